/**
 * The executive HTML report: one self-contained file (inline styles, inline SVG charts, one small
 * inline script), readable offline and printable to PDF. A Content-Security-Policy allows only that
 * script (by hash) and no network at all, so even a value that escaped escaping could not run.
 */
import { createHash } from "node:crypto";
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
  severityRank,
} from "../report/present.js";
import type { Finding, Report, Severity } from "../report/types.js";
import { escapeHtml as h } from "./escape.js";
import { REPORT_SCRIPT, REPORT_STYLES } from "./html-assets.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

const SCRIPT_HASH = createHash("sha256").update(REPORT_SCRIPT).digest("base64");
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:`;

const SHARE_COLORS = ["#2f5fd0", "#d9822b", "#2e9d6b", "#8e44ad", "#c0392b", "#16a5a5", "#7f8c8d"];

function number(value: number): string {
  return value.toLocaleString("en-US");
}

function severityBadge(severity: Severity): string {
  return `<span class="sev sev-${severity}">${severity}</span>`;
}

function tags(values: readonly string[], highlighted: ReadonlySet<string> = new Set()): string {
  if (values.length === 0) return '<span class="muted">none</span>';
  return values
    .map((value) => `<span class="tag${highlighted.has(value) ? " critical" : ""}">${h(value)}</span>`)
    .join(" ");
}

function table(
  headers: readonly string[],
  rows: readonly string[],
  numericColumns: ReadonlySet<number> = new Set(),
): string {
  return `${tableStart(headers, numericColumns)}${rows.join("")}</tbody></table>`;
}

/** A table up to its first row. */
function tableStart(headers: readonly string[], numericColumns: ReadonlySet<number> = new Set()): string {
  const head = headers
    .map((header, index) => `<th${numericColumns.has(index) ? ' class="num"' : ""}>${h(header)}</th>`)
    .join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>`;
}

function row(cells: readonly string[], numericColumns: ReadonlySet<number> = new Set()): string {
  return `<tr>${cells.map((cell, index) => `<td${numericColumns.has(index) ? ' class="num"' : ""}>${cell}</td>`).join("")}</tr>`;
}

/** A horizontal bar chart of shares, labels escaped. */
function shareChart(
  id: string,
  title: string,
  entries: readonly { label: string; share: number; resources: number }[],
): string {
  const shown = entries.slice(0, 8);
  const rowHeight = 28;
  const labelWidth = 140;
  const barWidth = 300;
  const height = shown.length * rowHeight + 8;
  const bars = shown
    .map((entry, index) => {
      const y = index * rowHeight + 4;
      const width = Math.max(entry.share > 0 ? 2 : 0, Math.round(entry.share * barWidth));
      const color = SHARE_COLORS[index % SHARE_COLORS.length];
      return (
        `<g><title>${h(entry.label)}: ${formatShare(entry.share)} (${number(entry.resources)} resources)</title>` +
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${h(entry.label.length > 20 ? `${entry.label.slice(0, 19)}…` : entry.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="18" fill="#eef1f6" rx="3"/>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="18" fill="${color}" rx="3"/>` +
        `<text x="${labelWidth + barWidth + 8}" y="${y + 17}">${formatShare(entry.share)} · ${number(entry.resources)}</text></g>`
      );
    })
    .join("");
  return (
    `<figure><figcaption>${h(title)}</figcaption>` +
    `<svg id="${id}" data-chart="share" role="img" aria-label="${h(title)}" viewBox="0 0 540 ${height}" width="100%" ` +
    `preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">${bars}</svg></figure>`
  );
}

/** A gauge of the HHI on its 0 to 10,000 scale with the usual concentration bands. */
function hhiGauge(id: string, title: string, hhi: number): string {
  const width = 500;
  const x = (value: number) => 20 + Math.round((Math.min(10_000, Math.max(0, value)) / 10_000) * width);
  const meaning = describeHhi(hhi);
  return (
    `<figure><figcaption>${h(title)}: ${number(hhi)} (${h(meaning.label)})</figcaption>` +
    `<svg id="${id}" data-chart="hhi" role="img" aria-label="${h(title)} ${number(hhi)} of 10,000, ${h(meaning.label)}" ` +
    `viewBox="0 0 540 74" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
    `<rect x="${x(0)}" y="22" width="${x(1500) - x(0)}" height="16" fill="#b7e1c1"/>` +
    `<rect x="${x(1500)}" y="22" width="${x(2500) - x(1500)}" height="16" fill="#f6d68b"/>` +
    `<rect x="${x(2500)}" y="22" width="${x(10_000) - x(2500)}" height="16" fill="#f2aaa4"/>` +
    `<line x1="${x(hhi)}" x2="${x(hhi)}" y1="14" y2="46" stroke="#1d2330" stroke-width="3"/>` +
    `<text x="${x(hhi)}" y="10" text-anchor="middle" font-weight="700">${number(hhi)}</text>` +
    `<text x="${x(0)}" y="62">0</text><text x="${x(1500)}" y="62" text-anchor="middle">1,500</text>` +
    `<text x="${x(2500)}" y="62" text-anchor="middle">2,500</text><text x="${x(10_000)}" y="62" text-anchor="end">10,000</text>` +
    `</svg><p class="muted">${h(meaning.explanation)}</p></figure>`
  );
}

function findingRow(finding: Finding): string {
  const target = findingTarget(finding);
  return (
    `<tr data-rank="${severityRank(finding.severity)}" data-status="${finding.new ? "new" : "existing"}">` +
    `<td data-value="${severityRank(finding.severity)}">${severityBadge(finding.severity)}</td>` +
    `<td><code>${h(finding.ruleId)}</code></td>` +
    `<td class="id">${h(target)}</td>` +
    `<td>${h(finding.provider ?? "")}</td>` +
    `<td>${h(finding.message)}${finding.new ? ' <span class="tag critical">new</span>' : ""}</td></tr>`
  );
}

function conflictsSection(report: Report): string {
  const analysis = report.analysis;
  if (!analysis) return "";
  const NUM = new Set([3, 4]);
  const body =
    analysis.conflicts.length === 0
      ? "<p>No provider's parent company competes with you in your segments.</p>"
      : table(
          [
            "Provider",
            "Parent company",
            "Competes with you in",
            "Resources",
            "Sensitive",
            "Workloads",
            "Vendors",
          ],
          analysis.conflicts.map((conflict) =>
            row(
              [
                h(conflict.providerName || conflict.provider),
                h(conflict.parentName || conflict.parent),
                [
                  ...conflict.segments.map(
                    (segment) =>
                      `<strong>${h(segment.segment)}</strong>: ${h(segment.evidence)}${segment.since ? ` <span class="muted">(since ${segment.since})</span>` : ""}`,
                  ),
                  ...(conflict.namedCompetitor ? ["<strong>named in your competitors</strong>"] : []),
                ].join("<br>"),
                number(conflict.resources),
                conflict.sensitiveResources > 0
                  ? `<span class="flag">${number(conflict.sensitiveResources)}</span>`
                  : "0",
                tags(conflict.workloads, new Set(conflict.sensitiveWorkloads)),
                tags(conflict.vendors),
              ],
              NUM,
            ),
          ),
          NUM,
        );
  return `<section class="major" id="conflicts"><h2>Conflicts of interest</h2>
<p class="muted">Providers whose parent company competes with you, where your data sits with them. Workloads in red hold sensitive data there.</p>${body}</section>`;
}

function jurisdictionSection(report: Report): string {
  const analysis = report.analysis;
  if (!analysis) return "";
  const parts = ['<section id="jurisdiction"><h2>Jurisdiction exposure</h2>'];
  parts.push(
    '<p class="muted">Governments that can reach your data through the providers answering to them.</p>',
  );
  const NUM = new Set([3, 4]);
  parts.push(
    table(
      ["Government", "Providers", "Access laws", "Resources", "Sensitive", ""],
      analysis.jurisdictions.map((entry) =>
        row(
          [
            `<strong>${h(entry.jurisdiction)}</strong>`,
            tags(entry.providers),
            entry.accessLaws.map((law) => h(law.name)).join("<br>") ||
              '<span class="muted">none known</span>',
            number(entry.resources),
            number(entry.sensitiveResources),
            entry.distrusted
              ? '<span class="flag">distrusted</span>'
              : entry.foreign
                ? "foreign"
                : "your own",
          ],
          NUM,
        ),
      ),
      NUM,
    ),
  );
  if (analysis.restrictedProviders.length > 0) {
    parts.push("<h3>Providers on official restricted lists</h3>");
    parts.push(
      table(
        ["Provider", "Lists", "Resources", "Sensitive"],
        analysis.restrictedProviders.map((entry) =>
          row(
            [
              h(entry.providerName || entry.provider),
              entry.lists
                .map(
                  (item) =>
                    `<span${entry.ownJurisdiction ? ' class="flag"' : ""}>${h(item.list)}</span> <span class="muted">(${h(item.jurisdiction)}${item.listed ? `, ${h(item.listed)}` : ""})</span>`,
                )
                .join("<br>"),
              number(entry.resources),
              number(entry.sensitiveResources),
            ],
            new Set([2, 3]),
          ),
        ),
        new Set([2, 3]),
      ),
    );
  }
  if (analysis.dataLocations.length > 0) {
    parts.push("<h3>Where the data sits</h3>");
    parts.push(
      table(
        ["Country", "Resources", "Sensitive"],
        analysis.dataLocations.map((entry) =>
          row([h(entry.country), number(entry.resources), number(entry.sensitiveResources)], new Set([1, 2])),
        ),
        new Set([1, 2]),
      ),
    );
  }
  parts.push("</section>");
  return parts.join("");
}

function lockInSection(report: Report, tableRows: number): string {
  const analysis = report.analysis;
  if (!analysis) return "";
  // One row per service of each workload: at a million resources, tens of thousands.
  const rowCount = analysis.lockIn.reduce((count, workload) => count + workload.services.length, 0);
  const body =
    analysis.lockIn.length === 0
      ? "<p>No workload depends on proprietary services the catalog knows.</p>"
      : table(
          ["Workload", "Service", "Provider", "Lock-in", "Resources", "Equivalents elsewhere"],
          analysis.lockIn
            .flatMap((workload) =>
              workload.services.map((service, index) =>
                row(
                  [
                    index === 0
                      ? `<strong>${h(workload.workload)}</strong>${workload.critical ? ' <span class="tag critical">critical</span>' : ""}`
                      : "",
                    h(service.service),
                    h(service.provider),
                    service.class === "proprietary"
                      ? `<span class="flag">${service.class}</span>`
                      : service.class,
                    number(service.resources),
                    Object.entries(service.equivalents)
                      .map(([provider, name]) => `${h(provider)}: ${h(name)}`)
                      .join("<br>"),
                  ],
                  new Set([4]),
                ),
              ),
            )
            .slice(0, tableRows),
          new Set([4]),
        ) + moreRows(tableRows, rowCount, "services of workloads");
  return `<section class="major" id="lock-in"><h2>Lock-in by workload</h2>${body}</section>`;
}

function exitSection(report: Report): string {
  const analysis = report.analysis;
  if (!analysis) return "";
  const NUM = new Set([1, 2, 6]);
  const body = table(
    [
      "Provider",
      "Resources",
      "Share",
      "Workloads lost entirely",
      "Critical workloads lost",
      "Workloads degraded",
      "Sensitive",
      "Proprietary services to rebuild",
    ],
    analysis.exitImpact.map((impact) =>
      row(
        [
          h(impact.providerName || impact.provider),
          number(impact.resources),
          formatShare(impact.share),
          tags(impact.workloadsLost, new Set(impact.criticalLost)),
          impact.criticalLost.length > 0 ? `<span class="flag">${impact.criticalLost.length}</span>` : "0",
          tags(impact.workloadsDegraded, new Set(impact.criticalDegraded)),
          number(impact.sensitiveResources),
          tags(impact.proprietaryServices),
        ],
        NUM,
      ),
    ),
    NUM,
  );
  return `<section id="exit"><h2>Exit impact</h2>
<p class="muted">What stops if a provider became unavailable or had to be left tomorrow. Critical workloads are outlined in red.</p>${body}</section>`;
}

/** Rows of a findings table rendered into one piece of the page. */
const ROWS_PER_PIECE = 512;

/** The first `limit` of `rows` rendered by `render`, a few hundred at a time. */
function* rowPieces<T>(rows: readonly T[], render: (row: T) => string, limit: number): Generator<string> {
  const end = Math.min(rows.length, limit);
  for (let start = 0; start < end; start += ROWS_PER_PIECE) {
    yield rows
      .slice(start, Math.min(end, start + ROWS_PER_PIECE))
      .map(render)
      .join("");
  }
}

/** A line under a table that shows only its first `shown` of `total` rows. */
function moreRows(shown: number, total: number, where: string): string {
  if (shown >= total) return "";
  return `<p class="muted">The first ${number(shown)} of ${number(total)} ${where} are shown here; every one is in the JSON, CSV and HTML reports.</p>`;
}

/** The findings table and the findings by rule, the table's rows a few hundred at a time. */
function* findingsSection(report: Report, open: readonly Finding[], tableRows: number): Generator<string> {
  const options = SEVERITIES_DESCENDING.map(
    (severity) => `<option value="${severityRank(severity)}">${severity} and above</option>`,
  ).reverse();
  const controls =
    `<div class="controls"><input id="finding-filter" type="search" placeholder="Filter findings by text, rule, resource..." aria-label="Filter findings">` +
    `<select id="severity-filter" aria-label="Minimum severity">${options.join("")}</select>` +
    `<select id="status-filter" aria-label="Status"><option value="all">all findings</option><option value="new">new only</option><option value="existing">existing only</option></select>` +
    `<span id="finding-count" class="muted"></span></div>`;
  const head =
    '<thead><tr><th data-sort="number">Severity</th><th data-sort="text">Rule</th><th data-sort="text">Resource or subject</th>' +
    '<th data-sort="text">Provider</th><th data-sort="text">Message</th></tr></thead>';

  const groups = groupOpenFindings(report, open)
    .map((group) => {
      const rule = group.rule;
      return (
        `<div class="rule sev-border-${group.severity}"><h3>${severityBadge(group.severity)} ${h(rule?.title ?? group.ruleId)} ` +
        `<span class="muted">· <code>${h(group.ruleId)}</code> · ${group.findings.length}</span></h3>` +
        (rule?.description ? `<p>${h(rule.description)}</p>` : "") +
        (rule?.rationale ? `<p class="muted">${h(rule.rationale)}</p>` : "") +
        (rule?.remediation
          ? `<p class="remediation"><strong>Remediation:</strong> ${h(rule.remediation)}</p>`
          : "") +
        `<ul>${group.findings
          .slice(0, 20)
          .map(
            (finding) =>
              `<li>${h(finding.message)} <span class="id muted">${h(findingTarget(finding))}</span></li>`,
          )
          .join(
            "",
          )}${group.findings.length > 20 ? `<li class="muted">and ${group.findings.length - 20} more in the table above</li>` : ""}</ul></div>`
      );
    })
    .join("");
  if (open.length === 0) {
    yield '<section class="major" id="findings"><h2>Findings</h2><p>No open findings.</p></section>';
  } else {
    yield `<section class="major" id="findings"><h2>Findings</h2>${controls}<table id="findings-table">${head}<tbody>`;
    yield* rowPieces(open, findingRow, tableRows);
    yield `</tbody></table>${moreRows(tableRows, open.length, "open findings")}</section>`;
  }
  yield `<section id="rules"><h2>Findings by severity and rule</h2>${groups || "<p>No open findings.</p>"}</section>`;
}

/** The waived findings' table, its rows a few hundred at a time; nothing when none is waived. */
function* waivedSection(waived: readonly Finding[], tableRows: number): Generator<string> {
  if (waived.length === 0) return;
  const headers = ["Severity", "Rule", "Resource or subject", "Message", "Reason", "Owner", "Expires"];
  yield `<section id="waived"><h2>Waived findings</h2>${tableStart(headers)}`;
  yield* rowPieces(
    waived,
    (finding) =>
      row([
        severityBadge(finding.severity),
        `<code>${h(finding.ruleId)}</code>`,
        `<span class="id">${h(findingTarget(finding))}</span>`,
        h(finding.message),
        h(finding.waiver?.reason ?? ""),
        h(finding.waiver?.owner ?? ""),
        h(finding.waiver?.expires ?? ""),
      ]),
    tableRows,
  );
  yield `</tbody></table>${moreRows(tableRows, waived.length, "waived findings")}</section>`;
}

function coverageSection(report: Report): string {
  const parts = [
    `<section id="coverage"><h2>Coverage and diagnostics</h2><p class="${report.summary.complete ? "status-complete" : "status-incomplete"}">${h(coverageLine(report))}</p>`,
  ];
  if (report.coverage.length > 0) {
    parts.push(
      table(
        ["Source", "Scope", "Status", "Resources", "Note"],
        report.coverage.map((entry) =>
          row(
            [
              h(entry.source),
              `<span class="id">${h(
                Object.entries(entry.scope)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(", "),
              )}</span>`,
              entry.status === "complete" ? h(entry.status) : `<span class="flag">${h(entry.status)}</span>`,
              number(entry.resources),
              h(entry.note ?? ""),
            ],
            new Set([3]),
          ),
        ),
        new Set([3]),
      ),
    );
  }
  if (report.diagnostics.length > 0) {
    parts.push(
      table(
        ["Level", "Code", "Message", "Source"],
        report.diagnostics.map((diagnostic) =>
          row([
            diagnostic.level === "error"
              ? `<span class="flag">${diagnostic.level}</span>`
              : h(diagnostic.level),
            `<code>${h(diagnostic.code)}</code>`,
            h(diagnostic.message) +
              (diagnostic.hint ? `<br><span class="muted">${h(diagnostic.hint)}</span>` : ""),
            `<span class="id">${h(diagnostic.source ?? "")}</span>`,
          ]),
        ),
      ),
    );
  }
  parts.push("</section>");
  return parts.join("");
}

/**
 * The HTML page in pieces: the findings and waived findings tables a few hundred rows at a time, so
 * a report of hundreds of thousands of findings is never one string.
 */
export const htmlChunks: ChunkedFormatter = function* (report, options) {
  const tableRows = options.tableRows ?? Number.POSITIVE_INFINITY;
  const counts = openCounts(report.findings);
  const ordered = readingOrder(report.findings);
  const waived = ordered.waived.length;
  const title = `landlord report: ${report.organization.name}`;
  const cards = [
    `<div class="card"><div class="value">${number(report.summary.resources)}</div><div class="label">resources</div></div>`,
    ...SEVERITIES_DESCENDING.map(
      (severity) =>
        `<div class="card"><div class="value"${counts[severity] > 0 && severityRank(severity) >= 3 ? ' style="color:var(--high)"' : ""}>${number(counts[severity])}</div><div class="label">${severity}</div></div>`,
    ),
    `<div class="card"><div class="value">${number(waived)}</div><div class="label">waived</div></div>`,
    `<div class="card"><div class="value">${number(report.metrics.hhi.parent)}</div><div class="label">HHI by parent</div></div>`,
  ].join("");

  const summary = report.analysis?.executiveSummary ?? [];
  const metrics = report.metrics;
  const concentration =
    metrics.providers.length === 0
      ? "<p>No resources were scanned.</p>"
      : `<div class="charts">${shareChart(
          "chart-providers",
          "Share of resources by provider",
          metrics.providers.map((entry) => ({
            label: entry.provider,
            share: entry.share,
            resources: entry.resources,
          })),
        )}${shareChart(
          "chart-parents",
          "Share of resources by parent company",
          metrics.parents.map((entry) => ({
            label: entry.parent,
            share: entry.share,
            resources: entry.resources,
          })),
        )}${hhiGauge("chart-hhi-parent", "HHI by parent company", metrics.hhi.parent)}${hhiGauge(
          "chart-hhi-provider",
          "HHI by provider",
          metrics.hhi.provider,
        )}</div>`;

  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="landlord ${h(report.tool.version)}">
<title>${h(title)}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<main>
<header class="report"><h1>${h(title)}</h1>
<div class="meta">Generated ${h(report.generatedAt)} by landlord ${h(report.tool.version)}${report.catalog ? ` · catalog ${h(report.catalog.version)}` : ""} · scan <span class="${report.summary.complete ? "status-complete" : "status-incomplete"}">${report.summary.complete ? "complete" : "incomplete"}</span></div>
</header>
${summary.length > 0 ? `<section class="summary" id="summary"><h2>Executive summary</h2>${summary.map((sentence) => `<p>${h(sentence)}</p>`).join("")}</section>` : ""}
<section id="glance"><h2>At a glance</h2><div class="cards">${cards}</div></section>
<section id="concentration"><h2>Concentration</h2>${concentration}</section>
${conflictsSection(report)}
${jurisdictionSection(report)}
${lockInSection(report, tableRows)}
${exitSection(report)}
${doraSection(report)}
`;
  yield* findingsSection(report, ordered.open, tableRows);
  yield "\n";
  yield* waivedSection(ordered.waived, tableRows);
  yield `
${coverageSection(report)}
<footer>Generated by landlord ${h(report.tool.version)}. Shares are fractions of scanned resources; HHI is on the 0 to 10,000 scale.</footer>
</main>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
};

/** Renders the report as one self-contained HTML page. */
export const formatHtml: Formatter = (report, options) => [...htmlChunks(report, options)].join("");

/** The DORA Art. 29 section, when the report carries DORA data. */
function doraSection(report: Report): string {
  const assessment = concentrationAssessment(report);
  if (!assessment) return "";
  const parts = assessment.parts.map(
    (part) =>
      `<h3>${h(part.heading)}</h3>${part.paragraphs.map((text) => `<p>${h(text)}</p>`).join("")}` +
      (part.table && part.table.rows.length > 0
        ? table(
            part.table.headers,
            part.table.rows.map((cells) => row(cells.map(h))),
          )
        : ""),
  );
  return `<section id="dora"><h2>${h(assessment.title)}</h2>${parts.join("")}</section>`;
}
