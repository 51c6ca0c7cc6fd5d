/**
 * The gate pieces on the retailer scenario (test/fixtures/retailer-plan-confidential-bucket): the
 * plan's bucket, the waiver files and a baseline, through waivers, baseline and exit code. The rule
 * finding is written here as the competitor rule reports it; the CLI end-to-end run covers the rest.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTerraformPlan } from "../../src/collectors/terraform/plan.js";
import { formatLocation } from "../../src/diagnostics.js";
import { loadProfile } from "../../src/profile/load.js";
import { applyBaseline, loadBaseline } from "../../src/report/baseline.js";
import { gateExitCode } from "../../src/report/gate.js";
import type { Finding, Report } from "../../src/report/types.js";
import { applyWaivers, loadWaivers } from "../../src/report/waivers.js";
import { bucketFinding, reportWith } from "./report-fixtures.js";

const scenario = path.resolve(import.meta.dirname, "../fixtures/retailer-plan-confidential-bucket");
const scanTime = new Date("2026-11-21T00:00:00Z");
const gate = { failOn: "high", allowPartial: false, baselineGiven: false } as const;

async function scenarioFinding(): Promise<Finding> {
  const profile = await loadProfile(path.join(scenario, "landlord.yaml"));
  expect(profile.organization.segments).toEqual(["retail", "grocery"]);
  expect(profile.sources).toContainEqual({ terraform: "./plan.json" });
  const { resources } = await readTerraformPlan(path.join(scenario, "plan.json"), {
    tagKeys: profile.tagKeys,
  });
  const bucket = resources.find((resource) => resource.type === "aws_s3_bucket");
  expect(bucket).toMatchObject({ provider: "aws", region: "us-east-1", classification: "confidential" });
  return bucketFinding({ resourceId: bucket!.id, source: bucket!.source! });
}

async function judge(findings: Finding[], waiverFile?: string): Promise<{ report: Report; code: number }> {
  const waivers = waiverFile ? await loadWaivers(path.join(scenario, waiverFile)) : [];
  const applied = applyWaivers(findings, waivers, { scanTime });
  const report = reportWith(applied.findings, { diagnostics: applied.diagnostics });
  return { report, code: gateExitCode(report, gate) };
}

describe("retailer plan adding a confidential S3 bucket", () => {
  it("fails the gate without a waiver", async () => {
    expect((await judge([await scenarioFinding()])).code).toBe(1);
  });

  it("passes with the valid waiver, the finding still reported as waived", async () => {
    const { report, code } = await judge([await scenarioFinding()], "waivers-valid.yaml");
    expect(code).toBe(0);
    expect(report.findings[0]).toMatchObject({
      waived: true,
      waiver: { owner: "cto@example.com", expires: "2030-06-30" },
    });
    expect(report.diagnostics).toEqual([]);
  });

  it("fails with the expired waiver and reports the expiry with its place", async () => {
    const { report, code } = await judge([await scenarioFinding()], "waivers-expired.yaml");
    expect(code).toBe(1);
    expect(report.findings[0]?.waived).toBe(false);
    expect(report.diagnostics).toHaveLength(1);
    const [expired] = report.diagnostics;
    expect(expired?.code).toBe("waiver-expired");
    expect(expired?.message).toContain("2025-01-31");
    expect(formatLocation(expired!.location!)).toBe(`${path.join(scenario, "waivers-expired.yaml")}:3:5`);
  });

  it("passes with a baseline saved from the failing run", async () => {
    const first = await judge([await scenarioFinding()]);
    const folder = await mkdtemp(path.join(tmpdir(), "landlord-scenario-"));
    const baselineFile = path.join(folder, "baseline.json");
    await writeFile(baselineFile, JSON.stringify(first.report, null, 2));
    const findings = applyBaseline([await scenarioFinding()], await loadBaseline(baselineFile));
    expect(findings[0]?.new).toBe(false);
    const report = reportWith(findings);
    expect(gateExitCode(report, { ...gate, baselineGiven: true })).toBe(0);
  });
});
