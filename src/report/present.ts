/**
 * Wording and ordering shared by every human-facing format, so that text, Markdown and HTML tell
 * the same story in the same words.
 */
import { type Finding, type Report, type RuleSummary, SEVERITIES, type Severity } from "./types.js";

/** Severities from the most to the least severe. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();

/** Rank of a severity: critical is 4, info is 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** What an HHI value means, by the thresholds competition authorities use. */
export function describeHhi(hhi: number): { label: string; explanation: string } {
  if (hhi >= 2500) {
    return {
      label: "highly concentrated",
      explanation:
        "At 2,500 or more a market is called highly concentrated: losing or leaving the largest landlord would hit most of the estate.",
    };
  }
  if (hhi >= 1500) {
    return {
      label: "moderately concentrated",
      explanation: "Between 1,500 and 2,500 a market is called moderately concentrated.",
    };
  }
  return {
    label: "unconcentrated",
    explanation: "Below 1,500 a market is called unconcentrated: no single landlord dominates.",
  };
}

/** `0.567` as `57%`, small non-zero shares as `<1%`. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.005) return "<1%";
  return `${Math.round(share * 100)}%`;
}

/** `3 resources`, `1 resource`, with thousands separators. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The order findings are read in: the default locale's, as `localeCompare` without arguments. */
export const READING_ORDER = new Intl.Collator();

/**
 * Findings ordered for reading: unwaived first, then by severity, rule and resource. Each
 * finding's target is worked out once, not in every comparison: a report of a million resources
 * has hundreds of thousands of findings, and the sort compares each about twenty times.
 */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((finding) => ({
    finding,
    rank: (finding.waived ? 8 : 0) - severityRank(finding.severity),
    target: findingTarget(finding),
  }));
  keyed.sort(
    (a, b) =>
      a.rank - b.rank ||
      (a.finding.ruleId === b.finding.ruleId
        ? 0
        : READING_ORDER.compare(a.finding.ruleId, b.finding.ruleId)) ||
      READING_ORDER.compare(a.target, b.target),
  );
  return keyed.map((entry) => entry.finding);
}

/** Findings in reading order, split into open and waived: one sort for every section of a report. */
export function readingOrder(findings: readonly Finding[]): { open: Finding[]; waived: Finding[] } {
  const ordered = orderFindings(findings);
  const firstWaived = ordered.findIndex((finding) => finding.waived);
  return firstWaived === -1
    ? { open: ordered, waived: [] }
    : { open: ordered.slice(0, firstWaived), waived: ordered.slice(firstWaived) };
}

/** What a finding is about: its resource id, or its subject as `key=value` pairs. */
export function findingTarget(finding: Finding): string {
  if (finding.resourceId) return finding.resourceId;
  if (finding.subject) {
    return Object.entries(finding.subject)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ");
  }
  return "";
}

/** One rule's unwaived findings, for the "findings by severity and rule" sections. */
export interface RuleGroup {
  ruleId: string;
  severity: Severity;
  rule: RuleSummary | undefined;
  findings: Finding[];
}

/**
 * Groups unwaived findings by rule, the most severe rules first. `open` is the report's open
 * findings in reading order, when the caller has them already.
 */
export function groupOpenFindings(
  report: Report,
  open: readonly Finding[] = readingOrder(report.findings).open,
): RuleGroup[] {
  const rules = new Map(report.rules.map((rule) => [rule.id, rule]));
  const groups = new Map<string, RuleGroup>();
  for (const finding of open) {
    // A rule's findings share its severity unless overridden per finding; group on both.
    const key = `${finding.severity}\u0000${finding.ruleId}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        ruleId: finding.ruleId,
        severity: finding.severity,
        rule: rules.get(finding.ruleId),
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

/** Unwaived findings counted by severity. */
export function openCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const finding of findings) if (!finding.waived) counts[finding.severity]++;
  return counts;
}

/** Parent company of each provider, from the report's metrics. */
export function parentsByProvider(report: Report): Map<string, string> {
  return new Map(report.metrics.providers.map((entry) => [entry.provider, entry.parent]));
}

/** A one-line description of collection coverage. */
export function coverageLine(report: Report): string {
  const entries = report.coverage;
  const counts = { complete: 0, partial: 0, failed: 0, skipped: 0 };
  for (const entry of entries) counts[entry.status]++;
  const errors = report.diagnostics.filter((diagnostic) => diagnostic.level === "error").length;
  const warnings = report.diagnostics.filter((diagnostic) => diagnostic.level === "warning").length;
  const parts = [
    `${formatCount(entries.length, "scope")} read`,
    ...(["partial", "failed", "skipped"] as const)
      .filter((status) => counts[status] > 0)
      .map((status) => `${counts[status]} ${status}`),
  ];
  if (errors > 0) parts.push(formatCount(errors, "error"));
  if (warnings > 0) parts.push(formatCount(warnings, "warning"));
  return `${report.summary.complete ? "Complete" : "INCOMPLETE"}: ${parts.join(", ")}`;
}
