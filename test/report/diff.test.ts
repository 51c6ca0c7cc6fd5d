import { describe, expect, it } from "vitest";
import { diffReports, formatDiffJson, formatDiffMarkdown, formatDiffText } from "../../src/report/diff.js";
import { buildReport, RETAILER_FINDINGS, RETAILER_RESOURCES } from "../formatters/fixtures/retailer.js";

const before = buildReport();
// Later: the CN storefront moved off Alibaba, a new bucket landed on AWS, the checkout waiver lapsed.
const afterResources = RETAILER_RESOURCES.filter((resource) => resource.provider !== "alibaba");
const afterFindings = RETAILER_FINDINGS.filter(
  (finding) => finding.ruleId !== "distrusted-jurisdiction-data",
).map((finding) => (finding.waived ? { ...finding, waived: false } : finding));
afterFindings.push({
  ...RETAILER_FINDINGS[1]!,
  resourceId: "arn:aws:s3:::receipts | `x`",
  fingerprint: "fp-new-bucket",
});
const after = buildReport(afterResources, afterFindings);

describe("diffReports", () => {
  const diff = diffReports(before, after);

  it("finds added and resolved findings by fingerprint, and waiver changes", () => {
    expect(diff.added.map((finding) => finding.fingerprint)).toEqual(["fp-new-bucket"]);
    expect(diff.resolved.map((finding) => finding.ruleId)).toEqual(["distrusted-jurisdiction-data"]);
    expect(diff.waiverChanged.map((finding) => finding.subject)).toEqual([
      { workload: "checkout", provider: "aws" },
    ]);
    expect(diff.unchanged).toBe(8);
  });

  it("reports how shares and HHI moved", () => {
    expect(diff.hhi.parent).toEqual({ before: 3333, after: 3776 });
    const alibaba = diff.providers.find((change) => change.id === "alibaba")!;
    expect(alibaba).toMatchObject({ resourcesBefore: 1, resourcesAfter: 0, after: 0 });
    expect(diff.providers.find((change) => change.id === "aws")!.delta).toBeGreaterThan(0);
  });

  it("renders text, Markdown and JSON", () => {
    const text = formatDiffText(diff);
    expect(text).toContain("Findings: 1 added, 1 resolved, 1 waiver changes, 8 unchanged");
    expect(text).toContain("HHI by parent: 3333 -> 3776 (+443)");
    expect(text).toMatch(/alibaba +7% -> {3}0% \(-7 pts, 1 -> 0 resources\)/);
    const markdown = formatDiffMarkdown(diff);
    expect(markdown).toContain("**1 added**, **1 resolved**");
    expect(markdown).toContain("arn:aws:s3:::receipts \\| \\`x\\`");
    expect(JSON.parse(formatDiffJson(diff))).toMatchObject({ added: [{ fingerprint: "fp-new-bucket" }] });
  });
});
