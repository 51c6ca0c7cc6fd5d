import { describe, expect, it } from "vitest";
import { findingTarget, groupOpenFindings, orderFindings, readingOrder } from "../../src/report/present.js";
import type { Finding } from "../../src/report/types.js";
import { buildReport, RETAILER_FINDINGS } from "../formatters/fixtures/retailer.js";

/** The reading order as a comparison, the way it reads in the documentation of `orderFindings`. */
function readsBefore(a: Finding, b: Finding): number {
  const rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
  return (
    Number(a.waived === true) - Number(b.waived === true) ||
    rank[a.severity] - rank[b.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    findingTarget(a).localeCompare(findingTarget(b))
  );
}

describe("reading order", () => {
  // Every finding of the fixture, reversed, and again with other severities and a few waived.
  const mixed: Finding[] = [
    ...[...RETAILER_FINDINGS].reverse(),
    ...RETAILER_FINDINGS.map((finding, index) => ({
      ...finding,
      severity: (["low", "critical", "info", "medium"] as const)[index % 4]!,
      waived: index % 3 === 0,
      resourceId: finding.resourceId ? `${finding.resourceId.toUpperCase()}-copy` : finding.resourceId,
      fingerprint: `${finding.fingerprint}-copy`,
    })),
  ];

  it("puts open findings first, then by severity, rule and resource or subject", () => {
    expect(orderFindings(mixed)).toEqual([...mixed].sort(readsBefore));
  });

  it("splits open from waived findings with one sort, each part in reading order", () => {
    const { open, waived } = readingOrder(mixed);
    expect(open.length + waived.length).toBe(mixed.length);
    expect(open.every((finding) => !finding.waived)).toBe(true);
    expect(waived.every((finding) => finding.waived)).toBe(true);
    expect([...open, ...waived]).toEqual([...mixed].sort(readsBefore));
    expect(readingOrder(mixed.filter((finding) => !finding.waived)).waived).toEqual([]);
  });

  it("groups open findings by severity and rule, the most severe first", () => {
    const groups = groupOpenFindings(buildReport(undefined, mixed));
    const severities = groups.map((group) => group.severity);
    expect(severities[0]).toBe("critical");
    expect(groups.flatMap((group) => group.findings)).toEqual(
      [...mixed].filter((finding) => !finding.waived).sort(readsBefore),
    );
  });
});
