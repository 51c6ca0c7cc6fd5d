/** Assembles the report object every formatter renders (SPEC 4). Pure. */
import type { EnrichedResource } from "../catalog/types.js";
import type { CoverageEntry } from "../collectors/types.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Profile } from "../profile/load.js";
import { computeMetrics } from "./metrics.js";
import { type Finding, type FindingCounts, type Report, type RuleSummary, SEVERITIES } from "./types.js";

export interface ReportInput {
  profile: Profile;
  resources: readonly EnrichedResource[];
  findings: Finding[];
  diagnostics: Diagnostic[];
  coverage: CoverageEntry[];
  rules: RuleSummary[];
  scanTime: Date;
  toolVersion: string;
  catalogVersion: string;
}

const LEVEL_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Builds the report: counts, metrics, sorted diagnostics. */
export function buildReport(input: ReportInput): Report {
  const findings: FindingCounts = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, 0]),
  ) as FindingCounts;
  let waived = 0;
  for (const finding of input.findings) {
    if (finding.waived) waived++;
    else findings[finding.severity]++;
  }
  const diagnostics = [...input.diagnostics].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.code.localeCompare(b.code) ||
      (a.source ?? "").localeCompare(b.source ?? "") ||
      a.message.localeCompare(b.message),
  );
  const complete = !diagnostics.some((diagnostic) => diagnostic.level === "error");
  const organization: Report["organization"] = {
    name: input.profile.organization.name,
    jurisdiction: input.profile.organization.jurisdiction,
    segments: input.profile.organization.segments,
    sector: input.profile.organization.sector,
  };
  return {
    schemaVersion: 1,
    tool: { name: "landlord", version: input.toolVersion },
    generatedAt: input.scanTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    organization,
    summary: { resources: input.resources.length, findings, waived, complete },
    metrics: computeMetrics(input.resources, input.profile.criticalValues),
    findings: input.findings,
    diagnostics,
    coverage: input.coverage,
    rules: input.rules,
    catalog: { version: input.catalogVersion },
  };
}
