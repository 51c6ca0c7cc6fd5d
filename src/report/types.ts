/**
 * The report object (SPEC section 4): one scan produces one, every formatter renders it.
 * Fields named in the SPEC are a contract; the rest may grow.
 */
import type { CoverageEntry } from "../collectors/types.js";
import type { DoraEstate } from "../compliance/dora/types.js";
import type { Diagnostic } from "../diagnostics.js";
import type { EstateAnalysis } from "./analysis.js";
import type { InventoryRow } from "./inventory.js";

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  "conflict-of-interest",
  "concentration",
  "jurisdiction",
  "compliance",
  "lock-in",
  "coverage",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A waiver that applied to a finding. */
export interface AppliedWaiver {
  reason: string;
  owner: string;
  expires: string;
}

/** One thing a rule found. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  /** Set for per-resource rules; absent (null in JSON) for aggregate rules. */
  resourceId: string | null;
  provider: string | null;
  /** The group an aggregate finding is about, e.g. `{ provider: "aws" }` or `{ workload: "pos" }`. */
  subject: Record<string, string> | null;
  message: string;
  /** The message's placeholders as structured data. */
  data: Record<string, unknown>;
  /** Stable across runs for the same rule and subject (sha-256 based). */
  fingerprint: string;
  waived: boolean;
  waiver?: AppliedWaiver;
  /** Set when a baseline was given: true when the fingerprint is absent from the baseline. */
  new?: boolean;
  /**
   * Where the finding's resource came from (its `Resource.source`: an inventory file, `vendors:<file>`,
   * `terraform:<file>` or a collection scope), so SARIF can point at the file.
   */
  source?: string;
}

/** Metadata of a rule that ran, so formatters need nothing but the report. */
export interface RuleSummary {
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  description: string;
  rationale?: string;
  remediation?: string;
  references?: string[];
}

export interface ProviderShare {
  provider: string;
  parent: string;
  resources: number;
  share: number;
  /** Critical resources (criticality in the profile's criticalValues) on this provider. */
  criticalResources?: number;
}

export interface ParentShare {
  parent: string;
  resources: number;
  share: number;
}

export interface Metrics {
  /** Third-party providers; shares are of the resources they host (own data centres excluded). */
  providers: ProviderShare[];
  parents: ParentShare[];
  /** Herfindahl-Hirschman Index on the 0 to 10,000 scale. */
  hhi: { provider: number; parent: number };
  /** Resources in the organisation's own data centres (provider `onprem`), outside the shares. */
  selfHosted?: number;
  [key: string]: unknown;
}

export type FindingCounts = Record<Severity, number>;

export interface Report {
  schemaVersion: 1;
  tool: { name: "landlord"; version: string };
  generatedAt: string;
  organization: { name: string; [key: string]: unknown };
  summary: {
    resources: number;
    findings: FindingCounts;
    /** False when a source, account or region could not be read. */
    complete: boolean;
    [key: string]: unknown;
  };
  metrics: Metrics;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** What was collected from where, and what each source cannot see. */
  coverage: CoverageEntry[];
  /** Metadata of every rule that ran. */
  rules: RuleSummary[];
  /** Catalog version the scan used. */
  catalog?: { version: string; overrides?: string };
  /** Conflicts, jurisdictions, lock-in and exit impact for the human-facing formats (`analyzeEstate`). */
  analysis?: EstateAnalysis;
  /** The enriched inventory, one row per resource; filled only when a format that lists it is requested. */
  inventory?: InventoryRow[];
  /** What the DORA register of information needs (`doraEstate`); set when the profile has `dora:` or `--format dora` is asked for. */
  dora?: DoraEstate;
  [key: string]: unknown;
}
