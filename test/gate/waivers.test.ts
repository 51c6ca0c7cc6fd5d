import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { applyWaivers, loadWaivers, type Waiver } from "../../src/report/waivers.js";
import { bucketFinding, concentrationFinding } from "./report-fixtures.js";

const scanTime = new Date("2026-11-21T12:00:00Z");

async function waiverFile(text: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "landlord-waivers-"));
  const file = path.join(folder, "waivers.yaml");
  await writeFile(file, text);
  return file;
}

function waiver(overrides: Partial<Waiver>): Waiver {
  return {
    rule: "competitor-hosted-sensitive-data",
    reason: "Accepted by the board, 2026 vendor review",
    owner: "cto@example.com",
    expires: "2027-06-30",
    location: { file: "waivers.yaml", line: 2, column: 5 },
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<LandlordError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LandlordError);
  return error as LandlordError;
}

describe("loadWaivers", () => {
  it("reads resource and subject waivers with their positions", async () => {
    const file = await waiverFile(
      [
        "waivers:",
        "  - rule: competitor-hosted-sensitive-data",
        '    resource: "terraform:*aws_s3_bucket.pos_exports"',
        "    reason: Accepted by the board",
        "    owner: cto@example.com",
        "    expires: 2027-06-30",
        "  - rule: competitor-hosted-workload",
        "    subject: { workload: streaming }",
        "    reason: Known risk, like every streaming company on AWS",
        "    owner: platform@example.com",
        "    expires: 2027-01-31",
        "",
      ].join("\n"),
    );
    const waivers = await loadWaivers(file);
    expect(waivers).toHaveLength(2);
    expect(waivers[0]).toMatchObject({
      resource: "terraform:*aws_s3_bucket.pos_exports",
      expires: "2027-06-30",
    });
    expect(waivers[0]?.location).toMatchObject({ file, line: 2 });
    expect(waivers[1]).toMatchObject({ subject: { workload: "streaming" }, owner: "platform@example.com" });
    expect(waivers[1]?.location.line).toBe(7);
  });

  it("names file, line and field when reason, owner or expires is missing", async () => {
    const file = await waiverFile(
      [
        "waivers:",
        "  - rule: provider-concentration",
        "    subject: { provider: aws }",
        "    owner: cto@example.com",
        "",
      ].join("\n"),
    );
    const error = await rejection(loadWaivers(file));
    expect(error.code).toBe("invalid-waivers");
    const messages = error.details.map((detail) => detail.message).join("\n");
    expect(messages).toMatch(/waivers\[0\]\.reason/);
    expect(messages).toMatch(/waivers\[0\]\.expires/);
    expect(error.details[0]?.location).toMatchObject({ file, line: 2 });
  });

  it("rejects an impossible expiry date and a waiver with neither resource nor subject", async () => {
    const file = await waiverFile(
      [
        "waivers:",
        "  - rule: provider-concentration",
        "    reason: r",
        "    owner: o",
        "    expires: 2027-02-30",
        "    subject: { provider: aws }",
        "  - rule: provider-concentration",
        "    reason: r",
        "    owner: o",
        "    expires: 2027-02-01",
        "",
      ].join("\n"),
    );
    const error = await rejection(loadWaivers(file));
    const messages = error.details.map((detail) => detail.message).join("\n");
    expect(messages).toContain('expected a date as YYYY-MM-DD, got "2027-02-30"');
    expect(messages).toMatch(/exactly one of `resource`/);
    expect(error.details.some((detail) => detail.location?.line === 5)).toBe(true);
  });

  it("refuses unknown keys, broken YAML and missing files with exit 2", async () => {
    const typo = await waiverFile(
      "waivers:\n  - rule: x\n    resourse: a\n    reason: r\n    owner: o\n    expires: 2027-01-01\n",
    );
    expect((await rejection(loadWaivers(typo))).details.map((detail) => detail.message).join()).toContain(
      '"resourse"',
    );
    const broken = await waiverFile("waivers:\n  - rule: [unclosed\n");
    const brokenError = await rejection(loadWaivers(broken));
    expect(brokenError.exitCode).toBe(2);
    expect(brokenError.details[0]?.location?.line).toBeGreaterThan(0);
    const missing = await rejection(loadWaivers("/nonexistent/landlord/waivers.yaml"));
    expect(missing.code).toBe("file-not-readable");
    expect(missing.exitCode).toBe(2);
  });

  it("treats an empty file as no waivers", async () => {
    expect(await loadWaivers(await waiverFile(""))).toEqual([]);
  });
});

describe("applyWaivers", () => {
  it("waives a finding whose resource id matches the glob and keeps it in the list", () => {
    const findings = [
      bucketFinding(),
      bucketFinding({ resourceId: "terraform:aws_s3_bucket.other", fingerprint: "fp2" }),
    ];
    const result = applyWaivers(findings, [waiver({ resource: "terraform:*pos_exports" })], { scanTime });
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]).toMatchObject({
      waived: true,
      waiver: {
        reason: "Accepted by the board, 2026 vendor review",
        owner: "cto@example.com",
        expires: "2027-06-30",
      },
    });
    expect(result.findings[1]?.waived).toBe(false);
    expect(findings[0]?.waived).toBe(false);
    expect(result.diagnostics).toEqual([]);
  });

  it("lets `*` cross slashes in ARNs and Azure ids, and matches exact ids containing brackets", () => {
    const ec2 = bucketFinding({ resourceId: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc" });
    const indexed = bucketFinding({ resourceId: 'terraform:module.s3["eu"].aws_s3_bucket.this[0]' });
    const result = applyWaivers(
      [ec2, indexed],
      [
        waiver({ resource: "arn:aws:*" }),
        waiver({ resource: 'terraform:module.s3["eu"].aws_s3_bucket.this[0]' }),
      ],
      { scanTime },
    );
    expect(result.findings.map((finding) => finding.waived)).toEqual([true, true]);
  });

  it("matches aggregate findings by subject, and only for the waiver's rule", () => {
    const result = applyWaivers(
      [
        concentrationFinding(),
        concentrationFinding({ subject: { provider: "azure" }, fingerprint: "fp-az" }),
        bucketFinding(),
      ],
      [waiver({ rule: "provider-concentration", subject: { provider: "aws" } })],
      { scanTime },
    );
    expect(result.findings.map((finding) => finding.waived)).toEqual([true, false, false]);
  });

  it("stops applying an expired waiver and reports rule, owner, date and place", () => {
    const result = applyWaivers(
      [bucketFinding()],
      [
        waiver({
          resource: "terraform:*",
          expires: "2026-11-20",
          location: { file: "waivers-expired.yaml", line: 2, column: 5 },
        }),
      ],
      { scanTime },
    );
    expect(result.findings[0]?.waived).toBe(false);
    expect(result.diagnostics).toHaveLength(1);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({
      level: "warning",
      code: "waiver-expired",
      source: "waivers-expired.yaml:2:5",
    });
    expect(diagnostic?.message).toContain("competitor-hosted-sensitive-data");
    expect(diagnostic?.message).toContain("cto@example.com");
    expect(diagnostic?.message).toContain("2026-11-20");
    expect(diagnostic?.message).toContain("1 finding it used to waive is active again");
  });

  it("still applies a waiver on its expiry day, and warns about it", () => {
    const result = applyWaivers(
      [bucketFinding()],
      [waiver({ resource: "terraform:*", expires: "2026-11-21" })],
      { scanTime },
    );
    expect(result.findings[0]?.waived).toBe(true);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["waiver-expiring"]);
    expect(result.diagnostics[0]?.message).toContain("less than a day");
  });

  it("warns about waivers expiring within 30 days but not later", () => {
    const soon = applyWaivers(
      [bucketFinding()],
      [waiver({ resource: "terraform:*", expires: "2026-12-15" })],
      { scanTime },
    );
    expect(soon.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["waiver-expiring"]);
    expect(soon.diagnostics[0]?.message).toMatch(/expires on 2026-12-15, in 24 days/);
    const later = applyWaivers(
      [bucketFinding()],
      [waiver({ resource: "terraform:*", expires: "2027-01-31" })],
      { scanTime },
    );
    expect(later.diagnostics).toEqual([]);
  });

  it("reports a waiver that matches nothing as stale", () => {
    const result = applyWaivers([bucketFinding()], [waiver({ rule: "listed-provider", resource: "*" })], {
      scanTime,
    });
    expect(result.findings[0]?.waived).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ level: "warning", code: "waiver-stale", source: "waivers.yaml:2:5" }),
    ]);
    expect(result.diagnostics[0]?.message).toContain("listed-provider");
  });

  it("lets a valid waiver win over an expired one for the same finding", () => {
    const result = applyWaivers(
      [bucketFinding()],
      [
        waiver({ resource: "terraform:*", expires: "2025-01-31" }),
        waiver({ resource: "terraform:*", owner: "ciso@example.com" }),
      ],
      { scanTime },
    );
    expect(result.findings[0]?.waiver?.owner).toBe("ciso@example.com");
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["waiver-expired"]);
  });
});
