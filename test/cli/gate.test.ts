/**
 * The CI gate end to end: a Terraform plan that puts a confidential bucket on a competitor's cloud,
 * with and without waivers and baselines (test/fixtures/retailer-plan-confidential-bucket/README.md).
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../src/report/types.js";
import { FIXTURES, runCli } from "../helpers/cli.js";

const cwd = path.join(FIXTURES, "retailer-plan-confidential-bucket");
const BUCKET = "terraform:aws_s3_bucket.pos_exports";

async function scanJson(args: string[]): Promise<{ code: number; stderr: string; report: Report }> {
  const out = await mkdtemp(path.join(os.tmpdir(), "landlord-gate-"));
  const file = path.join(out, "report.json");
  const result = await runCli(["scan", ...args, "--format", "json", "--output", file], { cwd });
  const report = JSON.parse(await readFile(file, "utf8")) as Report;
  return { code: result.code, stderr: result.stderr, report };
}

const bucketFinding = (report: Report): Finding | undefined =>
  report.findings.find(
    (finding) => finding.ruleId === "competitor-hosted-sensitive-data" && finding.resourceId === BUCKET,
  );

describe("a plan that adds a confidential S3 bucket for a retailer", () => {
  it("fails the gate with exit 1 and names the finding", async () => {
    const { code, stderr, report } = await scanJson(["--config", "landlord.yaml"]);
    expect(code).toBe(1);
    expect(bucketFinding(report)).toMatchObject({ severity: "high", provider: "aws", waived: false });
    expect(stderr).toContain(`FAIL high competitor-hosted-sensitive-data ${BUCKET}`);
  });

  it("passes with a valid waiver, keeping the finding visible as waived", async () => {
    const { code, report } = await scanJson(["--config", "landlord-waived.yaml"]);
    expect(code).toBe(0);
    expect(bucketFinding(report)).toMatchObject({
      waived: true,
      waiver: { owner: "cto@example.com", expires: "2030-06-30" },
    });
    expect(report.summary.waived).toBeGreaterThanOrEqual(1);
    expect(report.diagnostics.some((diagnostic) => diagnostic.code === "waiver-stale")).toBe(false);
  });

  it("fails with an expired waiver and reports the expiry", async () => {
    const { code, report } = await scanJson(["--config", "landlord-expired-waiver.yaml"]);
    expect(code).toBe(1);
    expect(bucketFinding(report)?.waived).toBe(false);
    const expired = report.diagnostics.find((diagnostic) => diagnostic.code === "waiver-expired");
    expect(expired?.message).toMatch(/2025-01-31/);
    expect(expired?.message).toMatch(/cto@example\.com/);
  });

  it("passes against a baseline that already holds the finding, and fails on it without", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-gate-"));
    const baseline = path.join(out, "baseline.json");
    const first = await runCli(
      ["scan", "--config", "landlord.yaml", "--format", "json", "--output", baseline],
      { cwd },
    );
    expect(first.code).toBe(1);
    const { code, report } = await scanJson(["--config", "landlord.yaml", "--baseline", baseline]);
    expect(code).toBe(0);
    expect(bucketFinding(report)?.new).toBe(false);
  });

  it("writes SARIF and JUnit for the CI views in the same run", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-gate-"));
    const result = await runCli(
      [
        "scan",
        "--config",
        "landlord.yaml",
        "-o",
        path.join(out, "r.sarif"),
        "-o",
        path.join(out, "junit.xml"),
      ],
      { cwd },
    );
    expect(result.code).toBe(1);
    const sarif = JSON.parse(await readFile(path.join(out, "r.sarif"), "utf8")) as {
      version: string;
      runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const result0 = sarif.runs[0]?.results.find(
      (entry) => entry.ruleId === "competitor-hosted-sensitive-data",
    );
    expect(Object.values(result0?.partialFingerprints ?? {})[0]).toMatch(/^[0-9a-f]{16,}/);
    const junit = await readFile(path.join(out, "junit.xml"), "utf8");
    expect(junit).toMatch(/<testsuites[\s>]/);
    expect(junit).toContain("<failure");
  });

  it("an unreadable plan or baseline is exit 2, never a pass", async () => {
    const plan = await runCli(["scan", "--config", "landlord.yaml", "--terraform-plan", "missing.json"], {
      cwd,
    });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/missing\.json/);
    const baseline = await runCli(["scan", "--config", "landlord.yaml", "--baseline", "waivers-valid.yaml"], {
      cwd,
    });
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/invalid-baseline/);
  });
});
