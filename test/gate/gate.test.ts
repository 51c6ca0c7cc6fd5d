import { describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { describeGate, gateExitCode, gateFailures, parseFailOn } from "../../src/report/gate.js";
import type { Finding } from "../../src/report/types.js";
import { bucketFinding, concentrationFinding, reportWith } from "./report-fixtures.js";

const defaults = { failOn: "high", allowPartial: false, baselineGiven: false } as const;

describe("gateExitCode", () => {
  it("is 1 for an unwaived finding at the threshold and 0 below it", () => {
    const report = reportWith([bucketFinding(), concentrationFinding()]);
    expect(gateExitCode(report, defaults)).toBe(1);
    expect(gateExitCode(reportWith([concentrationFinding()]), defaults)).toBe(0);
    expect(gateExitCode(reportWith([concentrationFinding()]), { ...defaults, failOn: "medium" })).toBe(1);
    expect(
      gateExitCode(reportWith([bucketFinding({ severity: "critical" })]), {
        ...defaults,
        failOn: "critical",
      }),
    ).toBe(1);
  });

  it("never fails on findings with --fail-on none", () => {
    expect(
      gateExitCode(reportWith([bucketFinding({ severity: "critical" })]), { ...defaults, failOn: "none" }),
    ).toBe(0);
  });

  it("passes when the only finding at the threshold is waived", () => {
    const waived = bucketFinding({
      waived: true,
      waiver: { reason: "r", owner: "o", expires: "2027-01-01" },
    });
    expect(gateExitCode(reportWith([waived]), defaults)).toBe(0);
  });

  it("with a baseline fails only on new findings, and on unmarked ones rather than passing by omission", () => {
    const known = bucketFinding({ new: false });
    expect(gateExitCode(reportWith([known]), { ...defaults, baselineGiven: true })).toBe(0);
    expect(
      gateExitCode(reportWith([known, bucketFinding({ fingerprint: "x", new: true })]), {
        ...defaults,
        baselineGiven: true,
      }),
    ).toBe(1);
    expect(gateExitCode(reportWith([bucketFinding()]), { ...defaults, baselineGiven: true })).toBe(1);
  });

  it("is 3 for an incomplete scan unless partial results are allowed", () => {
    const incomplete = reportWith([], {
      summary: {
        resources: 0,
        findings: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
        complete: false,
      },
    });
    expect(gateExitCode(incomplete, defaults)).toBe(3);
    expect(gateExitCode(incomplete, { ...defaults, allowPartial: true })).toBe(0);
    const incompleteWithFinding = { ...incomplete, findings: [bucketFinding()] };
    expect(gateExitCode(incompleteWithFinding, defaults)).toBe(3);
    expect(gateExitCode(incompleteWithFinding, { ...defaults, allowPartial: true })).toBe(1);
  });
});

describe("gateFailures and describeGate", () => {
  it("lists failing findings most severe first and says which are new", () => {
    const findings: Finding[] = [
      bucketFinding({ fingerprint: "a", new: true }),
      bucketFinding({
        fingerprint: "b",
        severity: "critical",
        resourceId: "arn:aws:s3:::loyalty",
        new: true,
      }),
      concentrationFinding({ new: true }),
    ];
    const report = reportWith(findings);
    expect(
      gateFailures(report, { failOn: "medium", baselineGiven: true }).map((finding) => finding.fingerprint),
    ).toEqual(["b", "a", "fp-concentration-aws"]);
    const lines = describeGate(report, { ...defaults, baselineGiven: true });
    expect(lines[0]).toBe(
      "FAIL critical competitor-hosted-sensitive-data arn:aws:s3:::loyalty: " +
        `${findings[1]?.message} (new)`,
    );
    expect(lines.at(-1)).toBe(
      "gate failed: 2 findings (fails on high and above, new findings only); 0 waived",
    );
  });

  it("lists at most the given number of failing findings, most severe first, and counts the rest", () => {
    const findings = [
      ...Array.from({ length: 30 }, (_, index) =>
        bucketFinding({ fingerprint: `h${index}`, resourceId: `arn:aws:s3:::bucket-${index}` }),
      ),
      bucketFinding({ fingerprint: "c", severity: "critical", resourceId: "arn:aws:s3:::vault" }),
    ];
    const lines = describeGate(reportWith(findings), defaults, 3);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^FAIL critical competitor-hosted-sensitive-data arn:aws:s3:::vault: /);
    expect(lines[1]).toMatch(/^FAIL high competitor-hosted-sensitive-data arn:aws:s3:::bucket-0: /);
    expect(lines[3]).toBe("... and 28 more failing findings (see the report)");
    expect(lines[4]).toBe("gate failed: 31 findings (fails on high and above); 0 waived");
  });

  it("says the gate passed and how many findings were waived", () => {
    const report = reportWith([bucketFinding({ waived: true })]);
    expect(describeGate(report, defaults)).toEqual(["gate passed (fails on high and above); 1 waived"]);
  });
});

describe("parseFailOn", () => {
  it("accepts severities and none in any case, and rejects the rest as a usage error", () => {
    expect(parseFailOn("HIGH")).toBe("high");
    expect(parseFailOn("none")).toBe("none");
    expect(() => parseFailOn("severe")).toThrow(LandlordError);
    expect(() => parseFailOn("severe")).toThrow(/--fail-on severe/);
  });
});
