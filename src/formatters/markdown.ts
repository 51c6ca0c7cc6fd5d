/**
 * Markdown for pull-request comments and wiki pages. The full variant tells the whole story; the
 * short one (`options.short`) fits a PR comment. Every value is escaped: a tag cannot add a link,
 * an image, HTML, a mention or a table column.
 */

import { concentrationAssessment } from "../compliance/dora/concentration.js";
import {
  coverageLine,
  describeHhi,
  findingTarget,
  formatShare,
  groupOpenFindings,
  openCounts,
  readingOrder,
  SEVERITIES_DESCENDING,
} from "../report/present.js";
import type { Report } from "../report/types.js";
import { escapeMarkdown as md } from "./escape.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

/** Findings listed in the short variant. */
const SHORT_FINDINGS = 10;
/** Longest cell text before it is cut (keeps a PR comment under GitHub's size limit). */
const SHORT_CELL = 160;

/** Rows of a findings table rendered into one piece of the document. */
const ROWS_PER_PIECE = 512;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [...tablePieces(headers, rows, (row) => row)].join("");
}

/** A table, its rows made and rendered a few hundred at a time. */
function* tablePieces<T>(
  headers: readonly string[],
  items: readonly T[],
  cells: (item: T) => readonly string[],
): Generator<string> {
  yield `| ${headers.join(" | ")} |\n| ${headers.map(() => "---").join(" | ")} |`;
  for (let start = 0; start < items.length; start += ROWS_PER_PIECE) {
    const rows = items.slice(start, start + ROWS_PER_PIECE).map((item) => `| ${cells(item).join(" | ")} |`);
    yield `\n${rows.join("\n")}`;
  }
}

/**
 * `parts` joined by line breaks as {@link fullMarkdownChunks} builds them, then a large table in
 * pieces; afterwards `parts` holds the blank line that follows the table.
 */
function* partsThenTable(parts: string[], pieces: Iterable<string>): Generator<string> {
  yield `${parts.join("\n")}\n`;
  yield* pieces;
  yield "\n";
  parts.length = 0;
  parts.push("");
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function list(values: readonly string[], limit = 8): string {
  const shown = values.slice(0, limit).map(md).join(", ");
  return values.length > limit ? `${shown} and ${values.length - limit} more` : shown;
}

function number(value: number): string {
  return value.toLocaleString("en-US");
}

function header(report: Report): string[] {
  const status = report.summary.complete ? "complete" : "**incomplete**";
  return [
    `# landlord report: ${md(report.organization.name)}`,
    "",
    `${number(report.summary.resources)} resources · scan ${status} · generated ${md(report.generatedAt)} by ` +
      `landlord ${md(report.tool.version)}${report.catalog ? ` with catalog ${md(report.catalog.version)}` : ""}`,
  ];
}

function countsTable(report: Report): string {
  const open = openCounts(report.findings);
  const waived = report.findings.filter((finding) => finding.waived).length;
  return table(
    [...SEVERITIES_DESCENDING.map((severity) => severity), "waived"],
    [[...SEVERITIES_DESCENDING.map((severity) => String(open[severity])), String(waived)]],
  );
}

function hhiLine(report: Report): string {
  const { hhi } = report.metrics;
  const meaning = describeHhi(hhi.parent);
  return (
    `**HHI by parent company: ${number(hhi.parent)}** of 10,000 (${meaning.label}); by provider: ${number(hhi.provider)}. ` +
    meaning.explanation
  );
}

function shortMarkdown(report: Report): string {
  const parts = [...header(report), "", countsTable(report), ""];
  const summary = report.analysis?.executiveSummary ?? [];
  if (summary.length > 0) parts.push(summary.map(md).join(" "), "");
  if (report.metrics.parents.length > 0) {
    const top = report.metrics.parents
      .slice(0, 3)
      .map((entry) => `${md(entry.parent)} ${formatShare(entry.share)}`)
      .join(", ");
    parts.push(`Parent companies: ${top}. ${hhiLine(report)}`, "");
  }
  const { open } = readingOrder(report.findings);
  if (open.length > 0) {
    parts.push(
      table(
        ["Severity", "Rule", "Resource or subject", "Message"],
        open
          .slice(0, SHORT_FINDINGS)
          .map((finding) => [
            finding.severity,
            `\`${finding.ruleId.replace(/`/g, "")}\``,
            md(cut(findingTarget(finding), SHORT_CELL)),
            md(cut(finding.message, SHORT_CELL)),
          ]),
      ),
    );
    if (open.length > SHORT_FINDINGS) {
      parts.push("", `…and ${open.length - SHORT_FINDINGS} more findings in the full report.`);
    }
    parts.push("");
  }
  parts.push(`Coverage: ${md(coverageLine(report))}`);
  return `${parts.join("\n")}\n`;
}

/**
 * The full report in pieces: the tables of findings, which grow with the estate, a few hundred rows
 * at a time; everything else as it is built.
 */
function* fullMarkdownChunks(report: Report): Generator<string> {
  const parts = [...header(report), ""];
  const analysis = report.analysis;

  if (analysis && analysis.executiveSummary.length > 0) {
    parts.push("## Executive summary", "", analysis.executiveSummary.map(md).join(" "), "");
  }
  parts.push("## Findings at a glance", "", countsTable(report), "");

  parts.push("## Concentration", "");
  if (report.metrics.providers.length > 0) {
    parts.push(
      table(
        ["Provider", "Parent company", "Resources", "Share"],
        report.metrics.providers.map((entry) => [
          md(entry.provider),
          md(entry.parent),
          number(entry.resources),
          formatShare(entry.share),
        ]),
      ),
      "",
      table(
        ["Parent company", "Resources", "Share"],
        report.metrics.parents.map((entry) => [
          md(entry.parent),
          number(entry.resources),
          formatShare(entry.share),
        ]),
      ),
      "",
      hhiLine(report),
      "",
    );
  } else parts.push("No resources were scanned.", "");

  if (analysis) {
    parts.push("## Conflicts of interest", "");
    if (analysis.conflicts.length === 0) parts.push("No provider's parent company competes with you.", "");
    else
      parts.push(
        table(
          [
            "Provider",
            "Parent company",
            "Competes with you in",
            "Resources",
            "Sensitive",
            "Workloads",
            "Vendors",
          ],
          analysis.conflicts.map((conflict) => [
            md(conflict.providerName || conflict.provider),
            md(conflict.parentName || conflict.parent),
            [
              ...conflict.segments.map(
                (segment) =>
                  `**${md(segment.segment)}**: ${md(segment.evidence)}${segment.since ? ` (since ${segment.since})` : ""}`,
              ),
              ...(conflict.namedCompetitor ? ["named in your competitors"] : []),
            ].join("; "),
            number(conflict.resources),
            number(conflict.sensitiveResources),
            list(conflict.workloads),
            list(conflict.vendors),
          ]),
        ),
        "",
      );

    parts.push("## Jurisdiction exposure", "");
    if (analysis.jurisdictions.length > 0) {
      parts.push(
        table(
          ["Government", "Providers", "Access laws", "Resources", "Sensitive", "Note"],
          analysis.jurisdictions.map((entry) => [
            md(entry.jurisdiction),
            list(entry.providers),
            entry.accessLaws.map((law) => md(law.name)).join(", ") || "none known",
            number(entry.resources),
            number(entry.sensitiveResources),
            entry.distrusted ? "**distrusted**" : entry.foreign ? "foreign" : "your own",
          ]),
        ),
        "",
      );
    }
    if (analysis.restrictedProviders.length > 0) {
      parts.push(
        "Providers on official restricted lists:",
        "",
        table(
          ["Provider", "Lists", "Resources", "Sensitive"],
          analysis.restrictedProviders.map((entry) => [
            md(entry.providerName || entry.provider),
            entry.lists
              .map(
                (item) =>
                  `${md(item.list)} (${md(item.jurisdiction)}${item.listed ? `, ${md(item.listed)}` : ""})`,
              )
              .join("; "),
            number(entry.resources),
            number(entry.sensitiveResources),
          ]),
        ),
        "",
      );
    }
    if (analysis.dataLocations.length > 0) {
      parts.push(
        "Where the data sits:",
        "",
        table(
          ["Country", "Resources", "Sensitive"],
          analysis.dataLocations.map((entry) => [
            md(entry.country),
            number(entry.resources),
            number(entry.sensitiveResources),
          ]),
        ),
        "",
      );
    }

    parts.push("## Lock-in by workload", "");
    if (analysis.lockIn.length === 0)
      parts.push("No workload depends on proprietary services the catalog knows.", "");
    else
      parts.push(
        table(
          ["Workload", "Critical", "Service", "Provider", "Lock-in", "Resources", "Equivalents"],
          analysis.lockIn.flatMap((workload) =>
            workload.services.map((service, index) => [
              index === 0 ? `**${md(workload.workload)}**` : "",
              index === 0 ? (workload.critical ? "yes" : "no") : "",
              md(service.service),
              md(service.provider),
              service.class,
              number(service.resources),
              Object.entries(service.equivalents)
                .map(([provider, name]) => `${md(provider)}: ${md(name)}`)
                .join("; "),
            ]),
          ),
        ),
        "",
      );

    parts.push(
      "## Exit impact",
      "",
      "What stops if a provider became unavailable or had to be left tomorrow.",
      "",
    );
    if (analysis.exitImpact.length > 0)
      parts.push(
        table(
          [
            "Provider",
            "Resources",
            "Share",
            "Workloads lost",
            "Critical lost",
            "Degraded",
            "Sensitive",
            "Proprietary services",
          ],
          analysis.exitImpact.map((impact) => [
            md(impact.providerName || impact.provider),
            number(impact.resources),
            formatShare(impact.share),
            list(impact.workloadsLost),
            impact.criticalLost.length > 0 ? `**${list(impact.criticalLost)}**` : "none",
            list(impact.workloadsDegraded),
            number(impact.sensitiveResources),
            list(impact.proprietaryServices),
          ]),
        ),
        "",
      );
  }

  parts.push(...doraMarkdown(report));
  parts.push("## Findings", "");
  const ordered = readingOrder(report.findings);
  const groups = groupOpenFindings(report, ordered.open);
  if (groups.length === 0) parts.push("No open findings.", "");
  for (const group of groups) {
    const title = group.rule?.title ? `: ${md(group.rule.title)}` : "";
    parts.push(
      `### ${group.severity.toUpperCase()} · \`${group.ruleId.replace(/`/g, "")}\`${title} (${group.findings.length})`,
      "",
    );
    if (group.rule?.description) parts.push(md(group.rule.description), "");
    if (group.rule?.remediation) parts.push(`**Remediation:** ${md(group.rule.remediation)}`, "");
    yield* partsThenTable(
      parts,
      tablePieces(["Resource or subject", "Provider", "Message"], group.findings, (finding) => [
        md(findingTarget(finding)),
        md(finding.provider ?? ""),
        md(finding.message) + (finding.new ? " **(new)**" : ""),
      ]),
    );
  }

  const { waived } = ordered;
  if (waived.length > 0) {
    parts.push("## Waived findings", "");
    yield* partsThenTable(
      parts,
      tablePieces(
        ["Severity", "Rule", "Resource or subject", "Reason", "Owner", "Expires"],
        waived,
        (finding) => [
          finding.severity,
          `\`${finding.ruleId.replace(/`/g, "")}\``,
          md(findingTarget(finding)),
          md(finding.waiver?.reason ?? ""),
          md(finding.waiver?.owner ?? ""),
          md(finding.waiver?.expires ?? ""),
        ],
      ),
    );
  }

  parts.push("## Coverage and diagnostics", "", md(coverageLine(report)), "");
  if (report.coverage.length > 0) {
    parts.push(
      table(
        ["Source", "Scope", "Status", "Resources", "Note"],
        report.coverage.map((entry) => [
          md(entry.source),
          md(
            Object.entries(entry.scope)
              .map(([key, value]) => `${key}=${value}`)
              .join(", "),
          ),
          entry.status === "complete" ? "complete" : `**${entry.status}**`,
          number(entry.resources),
          md(entry.note ?? ""),
        ]),
      ),
      "",
    );
  }
  if (report.diagnostics.length > 0) {
    parts.push(
      table(
        ["Level", "Code", "Message", "Source"],
        report.diagnostics.map((diagnostic) => [
          diagnostic.level,
          md(diagnostic.code),
          md(diagnostic.message) + (diagnostic.hint ? ` ${md(diagnostic.hint)}` : ""),
          md(diagnostic.source ?? ""),
        ]),
      ),
      "",
    );
  }
  // The document ends with one line break; what is left always holds the coverage section.
  yield `${parts.join("\n").trimEnd()}\n`;
}

/** The Markdown report in pieces (see {@link formatMarkdown}). */
export const markdownChunks: ChunkedFormatter = (report, options) =>
  options.short ? [shortMarkdown(report)] : fullMarkdownChunks(report);

/** Renders the report as Markdown: the full story, or with `options.short` a pull-request comment. */
export const formatMarkdown: Formatter = (report, options) => [...markdownChunks(report, options)].join("");

/** The pull-request comment (`--format markdown-short`). */
export const formatMarkdownShort: Formatter = (report) => shortMarkdown(report);

/** The DORA Art. 29 section, when the report carries DORA data. */
function doraMarkdown(report: Report): string[] {
  const assessment = concentrationAssessment(report);
  if (!assessment) return [];
  const lines = [`## ${assessment.title}`, ""];
  for (const part of assessment.parts) {
    lines.push(`### ${part.heading}`, "", ...part.paragraphs.flatMap((text) => [md(text), ""]));
    if (part.table && part.table.rows.length > 0)
      lines.push(
        table(
          part.table.headers,
          part.table.rows.map((cells) => cells.map(md)),
        ),
        "",
      );
  }
  return lines;
}
