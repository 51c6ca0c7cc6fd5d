/**
 * The terminal summary of `landlord scan`: compact, for a person. Colour only when the CLI allows
 * it (`options.color`: a TTY without `NO_COLOR`); every inventory value is stripped of control
 * characters so a hostile tag cannot drive the terminal.
 */
import { createColors } from "picocolors";
import {
  coverageLine,
  describeHhi,
  findingTarget,
  formatCount,
  formatShare,
  joinWords,
  READING_ORDER,
  SEVERITIES_DESCENDING,
} from "../report/present.js";
import type { Finding, Severity } from "../report/types.js";
import { sanitizeTerminal as clean } from "./escape.js";
import type { Formatter } from "./types.js";

/** How many findings the summary lists before pointing at the full report. */
const TOP_FINDINGS = 8;
const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
const BAR_WIDTH = 20;

type Colors = ReturnType<typeof createColors>;

function severityColor(colors: Colors, severity: Severity): (text: string) => string {
  switch (severity) {
    case "critical":
      return (text) => colors.bold(colors.magenta(text));
    case "high":
      return (text) => colors.bold(colors.red(text));
    case "medium":
      return colors.yellow;
    case "low":
      return colors.cyan;
    default:
      return colors.dim;
  }
}

function bar(share: number): string {
  const filled = Math.max(share > 0 ? 1 : 0, Math.round(share * BAR_WIDTH));
  return "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** A rule's open findings as the summary shows them: how many, and the one that reads first. */
interface RuleTally {
  first: Finding;
  target: string;
  length: number;
}

/**
 * Open findings by severity, waived findings, and per rule the finding that reads first (by
 * resource or subject), in one pass: at a million resources every pass over the findings reads
 * objects scattered over the heap, and the summary made three.
 */
function tallyFindings(findings: readonly Finding[]): {
  counts: Record<Severity, number>;
  waived: number;
  byRule: Map<string, RuleTally>;
} {
  const counts: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  let waived = 0;
  const byRule = new Map<string, RuleTally>();
  let lastRule = "";
  let last: RuleTally | undefined;
  for (const finding of findings) {
    if (finding.waived) {
      waived++;
      continue;
    }
    counts[finding.severity]++;
    const target = findingTarget(finding);
    // Findings come grouped by rule: most lookups are the rule just seen.
    const tally = finding.ruleId === lastRule && last !== undefined ? last : byRule.get(finding.ruleId);
    if (tally === undefined) {
      last = { first: finding, target, length: 1 };
      byRule.set(finding.ruleId, last);
    } else {
      last = tally;
      tally.length++;
      if (READING_ORDER.compare(target, tally.target) < 0) {
        tally.first = finding;
        tally.target = target;
      }
    }
    lastRule = finding.ruleId;
  }
  return { counts, waived, byRule };
}

/** Renders the report as a short colourful terminal summary. */
export const formatText: Formatter = (report, options) => {
  const colors = createColors(options.color);
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  const label = (text: string) => colors.bold(text.padEnd(12));

  lines.push(
    `${colors.bold("landlord")} ${report.tool.version} · ${colors.bold(clean(report.organization.name))} · ` +
      `${formatCount(report.summary.resources, "resource")} · ${report.generatedAt}`,
  );

  const { counts, waived, byRule } = tallyFindings(report.findings);
  const countParts = SEVERITIES_DESCENDING.filter((severity) => counts[severity] > 0).map((severity) =>
    severityColor(colors, severity)(`${counts[severity].toLocaleString("en-US")} ${severity}`),
  );
  if (waived > 0) countParts.push(colors.dim(`${waived.toLocaleString("en-US")} waived`));
  lines.push(
    `${label("Findings")}${countParts.length > 0 ? countParts.join(" · ") : colors.green("none")}`,
    "",
  );

  const shareRows = (title: string, rows: { name: string; share: number; resources: number }[]) => {
    const nameWidth = Math.min(
      16,
      Math.max(
        ...report.metrics.providers.map((entry) => entry.provider.length),
        ...report.metrics.parents.map((entry) => entry.parent.length),
        4,
      ),
    );
    rows.slice(0, 5).forEach((row, index) => {
      lines.push(
        `${index === 0 ? label(title) : " ".repeat(12)}${truncate(row.name, nameWidth).padEnd(nameWidth)} ` +
          `${colors.cyan(bar(row.share))} ${formatShare(row.share).padStart(4)}  ${row.resources.toLocaleString("en-US")}`,
      );
    });
    if (rows.length > 5) lines.push(`${" ".repeat(12)}${colors.dim(`and ${rows.length - 5} more`)}`);
  };
  if (report.metrics.providers.length > 0) {
    shareRows(
      "Providers",
      report.metrics.providers.map((entry) => ({
        name: clean(entry.provider),
        share: entry.share,
        resources: entry.resources,
      })),
    );
    shareRows(
      "Parents",
      report.metrics.parents.map((entry) => ({
        name: clean(entry.parent),
        share: entry.share,
        resources: entry.resources,
      })),
    );
    const hhi = report.metrics.hhi;
    const meaning = describeHhi(hhi.parent).label;
    const colorOf = hhi.parent >= 2500 ? colors.red : hhi.parent >= 1500 ? colors.yellow : colors.green;
    lines.push(
      `${label("HHI")}parent ${colorOf(`${hhi.parent.toLocaleString("en-US")} (${meaning})`)} · provider ` +
        `${hhi.provider.toLocaleString("en-US")} · of 10,000`,
    );
  }
  const selfHosted = report.metrics.selfHosted ?? 0;
  if (selfHosted > 0) {
    lines.push(
      `${label("Own sites")}${selfHosted.toLocaleString("en-US")} resources in your own data centres (outside the shares)`,
    );
  }

  const analysis = report.analysis;
  if (analysis && analysis.conflicts.length > 0) {
    analysis.conflicts.slice(0, 3).forEach((conflict, index) => {
      const segments =
        conflict.segments.length > 0
          ? `competes in ${joinWords(conflict.segments.map((segment) => clean(segment.segment)))}`
          : "named competitor";
      lines.push(
        truncate(
          `${index === 0 ? label("Competitors") : " ".repeat(12)}${colors.bold(clean(conflict.parentName || conflict.parent))} ` +
            `(${clean(conflict.provider)}) ${segments}: ` +
            `${colors.red(formatCount(conflict.sensitiveResources, "sensitive resource"))}, ` +
            formatCount(conflict.workloads.length, "workload"),
          width + 40,
        ),
      );
    });
  }

  // One entry per rule, most severe first: a person sees every kind of problem, not the first five
  // of the most common one.
  if (byRule.size > 0) {
    const titles = new Map(report.rules.map((rule) => [rule.id, rule.title]));
    lines.push("", colors.bold("Top findings"));
    const groups = [...byRule.values()].sort(
      (a, b) =>
        SEVERITY_RANK[b.first.severity] - SEVERITY_RANK[a.first.severity] ||
        b.length - a.length ||
        READING_ORDER.compare(a.first.ruleId, b.first.ruleId),
    );
    for (const group of groups.slice(0, TOP_FINDINGS)) {
      const first = group.first;
      const severity = severityColor(colors, first.severity)(first.severity.toUpperCase().padEnd(8));
      const count = group.length > 1 ? ` ×${group.length.toLocaleString("en-US")}` : "";
      const title = titles.get(first.ruleId);
      lines.push(
        `  ${severity} ${first.ruleId}${count}${title ? colors.dim(` · ${truncate(clean(title), width - 40)}`) : ""}`,
      );
      lines.push(`            ${truncate(clean(first.message), width - 12)}`);
    }
    if (groups.length > TOP_FINDINGS) {
      lines.push(colors.dim(`  and ${groups.length - TOP_FINDINGS} more rules with findings`));
    }
    lines.push(
      colors.dim("  Every finding, with remediation: --format html, --format markdown or --format json."),
    );
  }

  if (analysis && analysis.executiveSummary.length > 0) {
    lines.push("", colors.bold("Summary"));
    for (const sentence of analysis.executiveSummary) lines.push(...wrap(clean(sentence), width - 2, "  "));
  }

  lines.push("");
  const coverage = coverageLine(report);
  lines.push(
    `${label("Coverage")}${report.summary.complete ? colors.green(coverage) : colors.red(coverage)}`,
  );
  const problems = report.diagnostics.filter((diagnostic) => diagnostic.level !== "info");
  for (const diagnostic of problems.slice(0, 3)) {
    const level = diagnostic.level === "error" ? colors.red("error") : colors.yellow("warning");
    lines.push(
      `  ${level} ${colors.dim(clean(diagnostic.code))} ${truncate(clean(diagnostic.message), width - 20)}`,
    );
  }
  if (problems.length > 3)
    lines.push(colors.dim(`  and ${problems.length - 3} more diagnostics in the report`));
  return `${lines.join("\n")}\n`;
};

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(indent + line);
  return lines;
}
