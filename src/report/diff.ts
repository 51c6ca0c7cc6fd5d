/**
 * Comparing two saved reports: `landlord diff <old.json> <new.json>`. Findings match by
 * fingerprint, which is stable across runs for the same rule and subject.
 */
import { sanitizeTerminal as clean, escapeMarkdown as md } from "../formatters/escape.js";
import { findingTarget, formatShare, orderFindings } from "./present.js";
import type { Finding, Report } from "./types.js";

/** How one share moved between the reports. */
export interface ShareChange {
  /** Provider or parent-company id. */
  id: string;
  before: number;
  after: number;
  /** `after - before`, a fraction. */
  delta: number;
  resourcesBefore: number;
  resourcesAfter: number;
}

/** What changed between two reports. */
export interface ReportDiff {
  old: { generatedAt: string; resources: number };
  new: { generatedAt: string; resources: number };
  /** Findings whose fingerprint is only in the new report. */
  added: Finding[];
  /** Findings whose fingerprint is only in the old report. */
  resolved: Finding[];
  /** Findings in both whose waiver status changed. */
  waiverChanged: Finding[];
  unchanged: number;
  providers: ShareChange[];
  parents: ShareChange[];
  hhi: { provider: { before: number; after: number }; parent: { before: number; after: number } };
}

function shareChanges(
  before: readonly { id: string; share: number; resources: number }[],
  after: readonly { id: string; share: number; resources: number }[],
): ShareChange[] {
  const ids = new Set([...before.map((entry) => entry.id), ...after.map((entry) => entry.id)]);
  const old = new Map(before.map((entry) => [entry.id, entry]));
  const current = new Map(after.map((entry) => [entry.id, entry]));
  return [...ids]
    .map((id) => {
      const a = old.get(id);
      const b = current.get(id);
      return {
        id,
        before: a?.share ?? 0,
        after: b?.share ?? 0,
        delta: (b?.share ?? 0) - (a?.share ?? 0),
        resourcesBefore: a?.resources ?? 0,
        resourcesAfter: b?.resources ?? 0,
      };
    })
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.id.localeCompare(y.id));
}

/** Compares two reports. */
export function diffReports(oldReport: Report, newReport: Report): ReportDiff {
  const oldByFingerprint = new Map(oldReport.findings.map((finding) => [finding.fingerprint, finding]));
  const newFingerprints = new Set(newReport.findings.map((finding) => finding.fingerprint));
  const added: Finding[] = [];
  const waiverChanged: Finding[] = [];
  let unchanged = 0;
  for (const finding of newReport.findings) {
    const before = oldByFingerprint.get(finding.fingerprint);
    if (before === undefined) added.push(finding);
    else if (before.waived !== finding.waived) waiverChanged.push(finding);
    else unchanged++;
  }
  const resolved = oldReport.findings.filter((finding) => !newFingerprints.has(finding.fingerprint));
  return {
    old: { generatedAt: oldReport.generatedAt, resources: oldReport.summary.resources },
    new: { generatedAt: newReport.generatedAt, resources: newReport.summary.resources },
    added: orderFindings(added),
    resolved: orderFindings(resolved),
    waiverChanged: orderFindings(waiverChanged),
    unchanged,
    providers: shareChanges(
      oldReport.metrics.providers.map((entry) => ({
        id: entry.provider,
        share: entry.share,
        resources: entry.resources,
      })),
      newReport.metrics.providers.map((entry) => ({
        id: entry.provider,
        share: entry.share,
        resources: entry.resources,
      })),
    ),
    parents: shareChanges(
      oldReport.metrics.parents.map((entry) => ({
        id: entry.parent,
        share: entry.share,
        resources: entry.resources,
      })),
      newReport.metrics.parents.map((entry) => ({
        id: entry.parent,
        share: entry.share,
        resources: entry.resources,
      })),
    ),
    hhi: {
      provider: { before: oldReport.metrics.hhi.provider, after: newReport.metrics.hhi.provider },
      parent: { before: oldReport.metrics.hhi.parent, after: newReport.metrics.hhi.parent },
    },
  };
}

function signedPoints(delta: number): string {
  const points = Math.round(delta * 100);
  return points === 0 ? "±0 pts" : `${points > 0 ? "+" : ""}${points} pts`;
}

function signed(value: number): string {
  return value === 0 ? "±0" : `${value > 0 ? "+" : ""}${value.toLocaleString("en-US")}`;
}

function moved(changes: readonly ShareChange[]): ShareChange[] {
  return changes.filter(
    (change) => Math.round(change.delta * 100) !== 0 || change.resourcesBefore !== change.resourcesAfter,
  );
}

/** The diff as plain text for a terminal (no colour; values stripped of control characters). */
export function formatDiffText(diff: ReportDiff): string {
  const lines = [
    `landlord diff: ${clean(diff.old.generatedAt)} (${diff.old.resources} resources) -> ${clean(diff.new.generatedAt)} (${diff.new.resources} resources)`,
    `Findings: ${diff.added.length} added, ${diff.resolved.length} resolved, ${diff.waiverChanged.length} waiver changes, ${diff.unchanged} unchanged`,
  ];
  const list = (title: string, findings: readonly Finding[]) => {
    if (findings.length === 0) return;
    lines.push("", title);
    for (const finding of findings) {
      lines.push(
        `  ${finding.severity.toUpperCase().padEnd(8)} ${finding.ruleId}  ${clean(findingTarget(finding))}`,
      );
      lines.push(`           ${clean(finding.message)}`);
    }
  };
  list("Added", diff.added);
  list("Resolved", diff.resolved);
  list("Waiver changed", diff.waiverChanged);
  lines.push(
    "",
    `HHI by parent: ${diff.hhi.parent.before} -> ${diff.hhi.parent.after} (${signed(diff.hhi.parent.after - diff.hhi.parent.before)}); ` +
      `by provider: ${diff.hhi.provider.before} -> ${diff.hhi.provider.after} (${signed(diff.hhi.provider.after - diff.hhi.provider.before)})`,
  );
  for (const [title, changes] of [
    ["Providers", moved(diff.providers)],
    ["Parents", moved(diff.parents)],
  ] as const) {
    if (changes.length === 0) continue;
    lines.push(`${title}:`);
    for (const change of changes) {
      lines.push(
        `  ${clean(change.id).padEnd(14)} ${formatShare(change.before).padStart(4)} -> ${formatShare(change.after).padStart(4)} ` +
          `(${signedPoints(change.delta)}, ${change.resourcesBefore} -> ${change.resourcesAfter} resources)`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The diff as Markdown for a pull-request comment. */
export function formatDiffMarkdown(diff: ReportDiff): string {
  const parts = [
    "## landlord: what changed",
    "",
    `**${diff.added.length} added**, **${diff.resolved.length} resolved**, ${diff.waiverChanged.length} waiver changes, ${diff.unchanged} unchanged findings.`,
    "",
  ];
  const table = (title: string, findings: readonly Finding[]) => {
    if (findings.length === 0) return;
    parts.push(
      `### ${title}`,
      "",
      "| Severity | Rule | Resource or subject | Message |",
      "| --- | --- | --- | --- |",
    );
    for (const finding of findings) {
      parts.push(
        `| ${finding.severity} | ${md(finding.ruleId)} | ${md(findingTarget(finding))} | ${md(finding.message)} |`,
      );
    }
    parts.push("");
  };
  table("Added", diff.added);
  table("Resolved", diff.resolved);
  table("Waiver changed", diff.waiverChanged);
  parts.push(
    "### Concentration",
    "",
    "| Measure | Before | After | Change |",
    "| --- | --- | --- | --- |",
    `| HHI by parent | ${diff.hhi.parent.before} | ${diff.hhi.parent.after} | ${signed(diff.hhi.parent.after - diff.hhi.parent.before)} |`,
    `| HHI by provider | ${diff.hhi.provider.before} | ${diff.hhi.provider.after} | ${signed(diff.hhi.provider.after - diff.hhi.provider.before)} |`,
  );
  for (const [label, changes] of [
    ["provider", moved(diff.providers)],
    ["parent", moved(diff.parents)],
  ] as const) {
    for (const change of changes) {
      parts.push(
        `| Share of ${label} ${md(change.id)} | ${formatShare(change.before)} | ${formatShare(change.after)} | ${signedPoints(change.delta)} |`,
      );
    }
  }
  return `${parts.join("\n")}\n`;
}

/** The diff as JSON (stable field names, for CI jobs). */
export function formatDiffJson(diff: ReportDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
