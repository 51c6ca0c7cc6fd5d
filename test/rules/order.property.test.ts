import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/report/types.js";
import { resourceOrder } from "../../src/rules/order.js";

/** The findings in the radix order (the same array when it is already in order). */
function orderByResource(findings: Finding[]): Finding[] {
  const order = resourceOrder(
    findings,
    (finding) => finding.provider!,
    (finding) => finding.resourceId!,
  );
  return order === undefined ? findings : Array.from(order, (index) => findings[index]!);
}

/** The order every per-resource rule's findings must come in: provider, then id by `<`, then as given. */
function byComparison(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => {
      const [left, right] = [a.finding, b.finding];
      if (left.provider !== right.provider) return left.provider! < right.provider! ? -1 : 1;
      if (left.resourceId !== right.resourceId) return left.resourceId! < right.resourceId! ? -1 : 1;
      return a.index - b.index;
    })
    .map(({ finding }) => finding);
}

function finding(provider: string, resourceId: string, tag: number): Finding {
  return {
    ruleId: "r",
    severity: "high",
    category: "conflict-of-interest",
    resourceId,
    provider,
    subject: null,
    message: String(tag),
    data: {},
    fingerprint: String(tag),
    waived: false,
  };
}

// Ids like real ones: long shared prefixes, ids that are prefixes of others, repeats, and characters
// outside ASCII (including lone and paired surrogates, which `<` compares by code unit).
const segment = fc.oneof(
  fc.constantFrom(
    "arn:aws:s3:::",
    "arn:aws:ec2:eu-west-1:123456789012:instance/",
    "/subscriptions/",
    "acs:ecs:",
  ),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 3 }),
  fc.constantFrom("가", "\u{1F600}", "\uD800", "é", "Z", "a", "0", "-", "\u0000"),
);
const id = fc.array(segment, { maxLength: 5 }).map((parts) => parts.join(""));

describe("orderByResource", () => {
  it("orders findings as comparing provider, then id, then position does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("aws", "azure", "gcp", "alibaba"), id), { maxLength: 400 }),
        (pairs) => {
          const findings = pairs.map(([provider, resourceId], index) => finding(provider, resourceId, index));
          expect(orderByResource(findings)).toEqual(byComparison(findings));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("tells ids that end from ids that go on with a low code unit", () => {
    // Few distinct characters: many ids share prefixes, in groups large enough to be distributed.
    const dense = fc
      .array(fc.constantFrom("a", "\u0000", "\u00ff"), { maxLength: 4 })
      .map((units) => units.join(""));
    fc.assert(
      fc.property(fc.array(dense, { minLength: 20, maxLength: 200 }), (ids) => {
        const findings = ids.map((resourceId, index) => finding("aws", resourceId, index));
        expect(orderByResource(findings)).toEqual(byComparison(findings));
      }),
      { numRuns: 200 },
    );
  });

  it("sorts large groups that share long prefixes, and returns findings already in order as they are", () => {
    const findings = Array.from({ length: 5000 }, (_, index) =>
      finding(
        index % 3 === 0 ? "azure" : "aws",
        `/subscriptions/${(index * 7919) % 97}/resourceGroups/rg/providers/Microsoft.Web/sites/app-${(index * 104729) % 5000}`,
        index,
      ),
    );
    const ordered = orderByResource(findings);
    expect(ordered).toEqual(byComparison(findings));
    expect(orderByResource(ordered)).toBe(ordered);
  });
});
