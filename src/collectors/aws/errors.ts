/**
 * Turns an SDK or network error from one collection step into a diagnostic the user can act on.
 * Every message passes through the scrubber: no key, secret or token ever reaches a report.
 */
import type { Diagnostic } from "../../diagnostics.js";
import type { SecretScrubber } from "./scrub.js";

/** The step that failed, named in messages and hints. */
export type AwsStep =
  | "GetCallerIdentity"
  | "ListAccounts"
  | "AssumeRole"
  | "DescribeRegions"
  | "GetResources"
  | "ListResources";

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AWSOrganizationsNotInUseException",
]);
const REGION_UNAVAILABLE = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "AuthFailure",
  "OptInRequired",
  "RegionDisabledException",
]);
const THROTTLED = new Set([
  "ThrottledException",
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
]);
const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ExpiredToken", "ExpiredTokenException"]);

/** An answer that parsed but cannot be the whole truth (a page without its list, a looping token). */
export class MalformedResponseError extends Error {
  override readonly name = "MalformedResponseError";
}

/**
 * The pagination tokens of one listing. A token that comes back a second time would page forever:
 * it is a malformed answer, not the end of the listing.
 */
export class PageTokens {
  readonly #seen = new Set<string>();
  constructor(private readonly operation: string) {}

  /** The next page's token (undefined on the last page); throws when it was seen before. */
  next(token: string | undefined): string | undefined {
    if (!token) return undefined;
    if (this.#seen.has(token))
      throw new MalformedResponseError(
        `${this.operation} repeated a pagination token; the listing would never end`,
      );
    this.#seen.add(token);
    return token;
  }
}

/** A failed step, with where it happened. */
export interface AwsFailure {
  step: AwsStep;
  error: unknown;
  account?: string;
  region?: string;
  /** The call was cut off by landlord's own per-call timeout (not a user abort). */
  timedOut?: boolean;
  timeoutMs?: number;
}

/** The SDK error's code (`name`), or a Node network error code. */
export function errorCode(error: unknown): string {
  if (error && typeof error === "object") {
    const named = error as { name?: unknown; code?: unknown; Code?: unknown };
    if (typeof named.Code === "string") return named.Code;
    if (typeof named.name === "string" && named.name !== "Error") return named.name;
    if (typeof named.code === "string") return named.code;
  }
  return "Error";
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Builds the `error` diagnostic for a failed step. */
export function failureDiagnostic(failure: AwsFailure, scrubber: SecretScrubber): Diagnostic {
  const code = errorCode(failure.error);
  const where = [
    failure.account ? `account ${failure.account}` : undefined,
    failure.region ? `region ${failure.region}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const prefix = `AWS ${where || "source"}: ${failure.step}`;
  const scope: Record<string, string> = { provider: "aws" };
  if (failure.account) scope.account = failure.account;
  if (failure.region) scope.region = failure.region;
  const source = `aws:${failure.account ?? "*"}${failure.region ? `/${failure.region}` : ""}`;
  const detail = scrubber.scrub(errorMessage(failure.error)).trim();
  const base = { level: "error" as const, scope, source };

  if (failure.timedOut) {
    return {
      ...base,
      code: "aws-timeout",
      message: `${prefix} did not answer within ${failure.timeoutMs ?? "the configured"} ms; this scope was not read.`,
      hint: "Raise `timeoutMs` in the aws source, check network access to the AWS endpoint, or list only reachable regions.",
    };
  }
  if (failure.error instanceof MalformedResponseError) {
    return {
      ...base,
      code: "aws-malformed-response",
      message: `${prefix} got an answer landlord cannot read: ${detail}; resources after it are missing.`,
      hint: "Run again; if it persists, check any proxy between landlord and the AWS endpoint.",
    };
  }
  if (failure.step === "AssumeRole") {
    return {
      ...base,
      code: "aws-assume-role-failed",
      message: `${prefix} failed (${code}): ${detail}`,
      hint: "Check that the role exists in that account, trusts the scanning identity (and its external id), and that the caller may call sts:AssumeRole on it.",
    };
  }
  if (ACCESS_DENIED.has(code)) {
    return {
      ...base,
      code: "aws-access-denied",
      message: `${prefix} was denied (${code}): ${detail}`,
      hint: permissionHint(failure.step),
    };
  }
  if (REGION_UNAVAILABLE.has(code) && failure.region) {
    return {
      ...base,
      code: "aws-region-unavailable",
      message: `${prefix} was refused (${code}); the region is probably disabled (opt-in) for this account: ${detail}`,
      hint: "Enable the region for the account, or leave it out of `regions` (with `regions: all` landlord reads only enabled regions).",
    };
  }
  if (THROTTLED.has(code)) {
    return {
      ...base,
      code: "aws-throttled",
      message: `${prefix} was still throttled after the SDK's retries (${code}): ${detail}`,
      hint: "Lower `concurrency` or `requestsPerSecond` in the aws source, or scan fewer accounts at once with --shard.",
    };
  }
  if (NO_CREDENTIALS.has(code)) {
    return {
      ...base,
      code: "aws-credentials",
      message: `${prefix} found no usable AWS credentials (${code}): ${detail}`,
      hint: "Configure credentials for the default chain: AWS_PROFILE or `profile:` in the aws source, `aws sso login`, environment keys, or an instance role.",
    };
  }
  return {
    ...base,
    code: "aws-collection-failed",
    message: `${prefix} failed (${code}): ${detail}`,
    hint: "Run again; if it persists, check the endpoint and the identity's permissions for this scope.",
  };
}

function permissionHint(step: AwsStep): string {
  const action: Record<AwsStep, string> = {
    GetCallerIdentity: "sts:GetCallerIdentity",
    ListAccounts: "organizations:ListAccounts (from the management or a delegated administrator account)",
    AssumeRole: "sts:AssumeRole",
    DescribeRegions: "ec2:DescribeRegions",
    GetResources: "tag:GetResources",
    ListResources: "resource-explorer-2:ListResources (and a Resource Explorer index and view)",
  };
  return `Grant ${action[step]} to the identity landlord uses in this account (see docs/aws.md).`;
}
