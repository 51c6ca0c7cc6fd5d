import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  FINDING_COLUMNS,
  formatCsv,
  formatInventoryCsv,
  INVENTORY_COLUMNS,
} from "../../src/formatters/csv.js";
import { formatHtml } from "../../src/formatters/html.js";
import { formatMarkdown } from "../../src/formatters/markdown.js";
import { formatText } from "../../src/formatters/text.js";
import { buildReport, RETAILER_FINDINGS } from "./fixtures/retailer.js";

const report = buildReport();

describe("terminal summary", () => {
  it("shows counts, shares, HHI, competitors, top findings and coverage without colour", () => {
    const text = formatText(report, { color: false });
    expect(text).not.toContain("\u001b[");
    expect(text).toContain("Findings    6 high · 2 medium · 1 low · 1 waived");
    expect(text).toMatch(/Providers {3}aws .* 53% {2}8/);
    expect(text).toContain("HHI         parent 3,333 (highly concentrated)");
    expect(text).toContain("Amazon.com, Inc. (aws) competes in retail and grocery: 5 sensitive resources");
    expect(text).toContain("Every finding, with remediation");
    expect(text).toContain("INCOMPLETE: 3 scopes read, 1 failed, 1 error, 1 warning");
    expect(text.split("\n").length).toBeLessThan(60);
  });

  it("groups the digits of large finding counts as it does every other count", () => {
    const first = RETAILER_FINDINGS.find((finding) => finding.severity === "high" && !finding.waived)!;
    const many = Array.from({ length: 1234 }, (_, index) => ({
      ...first,
      resourceId: `${first.resourceId}-${index}`,
      fingerprint: `${first.fingerprint}-${index}`,
    }));
    const text = formatText(buildReport(undefined, many), { color: false });
    expect(text).toContain("Findings    1,234 high");
    expect(text).toMatch(new RegExp(`${first.ruleId} ×1,234`));
    expect(text).toContain("The rules raised 1,234 high findings to act on.");
  });

  it("colours severities when colour is allowed", () => {
    expect(formatText(report, { color: true })).toContain("\u001b[");
  });
});

describe("Markdown", () => {
  it("tells the whole story in the full variant", () => {
    const markdown = formatMarkdown(report, { color: false });
    for (const heading of [
      "## Executive summary",
      "## Concentration",
      "## Conflicts of interest",
      "## Jurisdiction exposure",
      "## Lock-in by workload",
      "## Exit impact",
      "## Findings",
      "## Waived findings",
      "## Coverage and diagnostics",
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain("**grocery**: Whole Foods Market, bought in 2017 (since 2017)");
    expect(markdown).toContain("**Remediation:** Move the data to a provider");
    expect(markdown).toContain("Accepted by the board, 2024 vendor review | cto\\@example.com | 2027-06-30");
  });

  it("keeps the short variant small enough for a pull-request comment", () => {
    const short = formatMarkdown(report, { color: false, short: true });
    expect(short).toContain("| critical | high | medium | low | info | waived |");
    expect(short).toContain("competitor-hosted-sensitive-data");
    expect(short).not.toContain("## Exit impact");
    expect(short.length).toBeLessThan(formatMarkdown(report, { color: false }).length / 2);
  });
});

describe("CSV", () => {
  it("writes one row per finding with provider, parent, country, classification and workload", () => {
    const rows = parse(formatCsv(report, { color: false }), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...FINDING_COLUMNS]);
    expect(rows).toHaveLength(report.findings.length);
    const pos = rows.find((row) => row["resourceId"]?.endsWith("table/pos-transactions"))!;
    expect(pos).toMatchObject({
      ruleId: "competitor-hosted-sensitive-data",
      severity: "high",
      provider: "aws",
      parent: "amazon",
      country: "US",
      classification: "confidential",
      workload: "pos",
    });
    const waived = rows.find((row) => row["waived"] === "true")!;
    expect(waived["waiverOwner"]).toBe("cto@example.com");
    expect(waived["workload"]).toBe("checkout");
  });

  it("writes one row per enriched resource in the inventory CSV", () => {
    const rows = parse(formatInventoryCsv(report, { color: false }), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(rows[0]!)).toEqual([...INVENTORY_COLUMNS]);
    expect(rows).toHaveLength(report.summary.resources);
    expect(rows.find((row) => row["name"] === "cn-storefront-assets")).toMatchObject({
      provider: "alibaba",
      parent: "alibaba",
      country: "CN",
      classification: "confidential",
    });
  });
});

describe("HTML", () => {
  it("is one self-contained page with every section", () => {
    const html = formatHtml(report, { color: false });
    expect(html).not.toMatch(/<link|@import|url\(|src="http|<script src/);
    for (const id of [
      "summary",
      "concentration",
      "conflicts",
      "jurisdiction",
      "lock-in",
      "exit",
      "findings",
      "waived",
      "coverage",
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html.match(/data-chart="share"/g)).toHaveLength(2);
    expect(html.match(/data-chart="hhi"/g)).toHaveLength(2);
    expect(html).toContain("@media print");
    expect(html).toContain("Accepted by the board, 2024 vendor review");
  });
});
