/**
 * The contract every collector (cloud SDK, inventory file, vendors manifest, Terraform plan) meets:
 * a source configuration in, normalized resources plus diagnostics and coverage out.
 * Collectors never judge; rules never read raw SDK output.
 */

import type { Diagnostic } from "../diagnostics.js";
import type { Normalization } from "../inventory/normalize.js";
import type { AcceptResource } from "../inventory/read.js";
import type { Resource } from "../inventory/types.js";

/** Progress of one unit of collection work (an account-region, a subscription, a project, a file). */
export interface ProgressEvent {
  /** Source kind: `aws`, `azure`, `gcp`, `file`, ... */
  source: string;
  /** Human-readable scope, e.g. `123456789012/eu-west-1`. */
  scope: string;
  status: "started" | "done" | "failed" | "skipped";
  /** Resources found in this scope so far (on `done`). */
  resources?: number;
  /** Units of work planned for this source, when known (for "12/40 regions"). */
  planned?: number;
}

/** Receives progress; the CLI renders it on stderr (animated on a TTY, plain lines otherwise). */
export type ProgressSink = (event: ProgressEvent) => void;

/** One line of the report's coverage section: what was read, and how completely. */
export interface CoverageEntry {
  /** Source kind: `aws`, `azure`, `gcp`, `file`, `vendors`, `terraform`. */
  source: string;
  /** Scope: `{ account, region }`, `{ subscription }`, `{ project }`, `{ file }`. */
  scope: Record<string, string>;
  status: "complete" | "partial" | "failed" | "skipped";
  resources: number;
  /** What this scope cannot see, e.g. "GetResources lists only resources that are or were tagged". */
  note?: string;
}

/** A deterministic slice of the accounts/subscriptions/projects: run `index` of `count` (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Injection points for credentials and transport, used by tests and by programs that embed landlord.
 * Without them each collector uses its SDK's default credential chain.
 */
export interface CloudOverrides {
  aws?: {
    /** Credentials or a provider (`AwsCredentialIdentity | AwsCredentialIdentityProvider`). */
    credentials?: unknown;
    /** Spread into every AWS SDK client's configuration (e.g. `retryStrategy`, `requestHandler`). */
    clientConfig?: Record<string, unknown>;
  };
  azure?: {
    /** An `@azure/core-auth` `TokenCredential`. */
    credential?: unknown;
    /** Spread into every Azure client's options (e.g. `agent`, `retryOptions`). */
    clientOptions?: Record<string, unknown>;
  };
  gcp?: {
    /** A `google-auth-library` auth client (e.g. an `OAuth2Client` with a static token). */
    authClient?: unknown;
    /** Spread into every Google client's options (e.g. `fallback`, `protocol`, `port`). */
    clientOptions?: Record<string, unknown>;
  };
}

/** What a collector receives besides its own source configuration. */
export interface CollectContext {
  /** Folder that relative paths resolve against (the profile's folder). */
  baseDir: string;
  /** Folder that file paths are shown relative to in reports (the working directory). */
  displayRoot?: string;
  /** Environment variables (the library never reads `process.env` itself). */
  env: Record<string, string | undefined>;
  progress: ProgressSink;
  signal?: AbortSignal;
  shard?: Shard;
  overrides?: CloudOverrides;
  /** How every resource a source yields is normalized (`collectSources`). */
  normalization?: Normalization;
  /**
   * Receives every resource a source yields, normalized (`collectSources`): file readers call it as
   * each record is read; the other sources' results are handed to it after them.
   */
  accept?: AcceptResource;
}

/** What a collector returns. A diagnostic with level `error` makes the scan incomplete. */
export interface CollectResult {
  resources: Resource[];
  diagnostics: Diagnostic[];
  coverage: CoverageEntry[];
}

/** A collector for one source kind. `Config` is that source's entry in `landlord.yaml`. */
export type Collector<Config> = (config: Config, context: CollectContext) => Promise<CollectResult>;
