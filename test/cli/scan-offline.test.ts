import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { FIXTURES, ROOT, runCli } from "../helpers/cli.js";

const fixture = (name: string) => path.join(FIXTURES, name);

describe("landlord scan on offline inventories", () => {
  it("reads JSON, JSONL, CSV and a vendors manifest through the profile and writes a JSON report", async () => {
    const result = await runCli(["scan", "--format", "json"], {
      cwd: fixture("small-retailer-three-clouds"),
    });
    expect(result.stderr).not.toMatch(/bug/);
    // A grocer keeps confidential orders on AWS, whose parent sells groceries: the gate fails.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL high competitor-hosted-sensitive-data arn:aws:s3:::grocer-orders/);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe("landlord");
    expect(report.generatedAt).toBe("2026-11-21T00:00:00Z");
    expect(report.organization.name).toBe("Small Grocer");
    // 3 JSON + 2 JSONL + 2 CSV + 2 vendor regions
    expect(report.summary.resources).toBe(9);
    expect(report.summary.complete).toBe(true);
    const aws = report.metrics.providers.find((share) => share.provider === "aws");
    // two from JSON, one from CSV, two vendor regions; shares leave out the own data centre
    expect(aws).toMatchObject({ parent: "amazon", resources: 5, share: 0.625 });
    expect(report.metrics.selfHosted).toBe(1);
    const total = report.metrics.providers.reduce((sum, share) => sum + share.resources, 0);
    expect(total).toBe(8);
    // shares 5/8, 2/8, 1/8 -> 62.5² + 25² + 12.5²
    expect(report.metrics.hhi.provider).toBe(4688);
    expect(report.coverage.map((entry) => entry.source)).toEqual(["file", "file", "file", "vendors"]);
  });

  it("writes several formats in one run, pairing --format and --output in order", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-out-"));
    const jsonFile = path.join(out, "nested", "report.json");
    const textFile = path.join(out, "summary.txt");
    const result = await runCli(
      [
        "scan",
        "--format",
        "json",
        "--output",
        jsonFile,
        "--format",
        "text",
        "--output",
        textFile,
        "--fail-on",
        "none",
      ],
      {
        cwd: fixture("small-retailer-three-clouds"),
      },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(jsonFile, "utf8")) as Report;
    expect(report.summary.resources).toBe(9);
    expect(await readFile(textFile, "utf8")).toContain("Small Grocer");
    // Every format went to a file, so the terminal still gets the summary.
    expect(result.stdout).toContain("Providers");
  });

  it("writes each format to its file, warning only when an extension names another format", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-out-"));
    const file = (name: string) => path.join(out, name);
    const result = await runCli(
      [
        "scan",
        ...["--format", "markdown-short", "--output", file("comment.md")],
        ...["--format", "inventory-csv", "--output", file("inventory.csv")],
        ...["--format", "sarif", "--output", file("results.json")],
        ...["--format", "junit", "--output", file("junit.xml")],
        ...["--fail-on", "none"],
      ],
      { cwd: fixture("small-retailer-three-clouds") },
    );
    expect(result.code).toBe(0);
    const warnings = result.stderr.split("\n").filter((line) => line.includes("warning: writing"));
    expect(warnings).toEqual([
      `landlord: warning: writing sarif to ${file("results.json")}, whose extension suggests json (--format and --output pair in order)`,
    ]);
    expect(await readFile(file("comment.md"), "utf8")).toMatch(/^# landlord report: Small Grocer\n/);
    expect((await readFile(file("inventory.csv"), "utf8")).split("\n")).toHaveLength(9 + 2);
    expect((JSON.parse(await readFile(file("results.json"), "utf8")) as { version: string }).version).toBe(
      "2.1.0",
    );
    expect(await readFile(file("junit.xml"), "utf8")).toMatch(/<\/testsuites>\n$/);
  });

  it("takes the format from the extension when --output comes alone", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-out-"));
    const result = await runCli(["scan", "--output", path.join(out, "r.json"), "--fail-on", "none"], {
      cwd: fixture("small-retailer-three-clouds"),
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(await readFile(path.join(out, "r.json"), "utf8")) as Report).summary.resources).toBe(
      9,
    );
  });

  it("re-renders a saved report without rescanning", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-out-"));
    const jsonFile = path.join(out, "report.json");
    await runCli(["scan", "-o", jsonFile], { cwd: fixture("small-retailer-three-clouds") });
    const result = await runCli(["report", jsonFile, "--format", "text"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Small Grocer");
    expect(result.stdout).toContain("9 resources");
  });

  it("derives attributes from tags case-insensitively and keeps directly set ones", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "landlord-out-"));
    const inventory = path.join(out, "inventory.json");
    const result = await runCli(["collect", "--output", inventory], {
      cwd: fixture("small-retailer-three-clouds"),
    });
    expect(result.code).toBe(0);
    const { resources } = JSON.parse(await readFile(inventory, "utf8")) as {
      resources: Record<string, unknown>[];
    };
    const byId = new Map(resources.map((resource) => [resource["id"], resource]));
    expect(byId.get("arn:aws:s3:::grocer-orders")).toMatchObject({
      classification: "confidential",
      workload: "orders",
      environment: "prod",
    });
    expect(byId.get("arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718")).toMatchObject({
      criticality: "tier-1",
    });
    expect(
      byId.get("//storage.googleapis.com/projects/grocer-analytics/buckets/grocer-clicks"),
    ).toMatchObject({ residency: ["US", "CA"] });
    expect(byId.get("arn:aws:rds:us-west-2:111122223333:db:pos, ledger")).toMatchObject({
      name: "pos, ledger",
      classification: "pii",
      requiredCertifications: ["fedramp-moderate", "c5"],
    });
    expect(byId.get("vendor:acme-store-analytics/aws/us-west-2")).toMatchObject({
      vendor: "Acme Store Analytics",
      workload: "store-analytics",
      classification: "confidential",
    });
  });

  it("scans the bundled example organisation", async () => {
    const result = await runCli(
      [
        "scan",
        "--config",
        "examples/retailer-multicloud/landlord.yaml",
        "--format",
        "json",
        "--fail-on",
        "none",
      ],
      { cwd: ROOT },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.organization.name).toBe("Harbor & Vine Markets");
    expect(report.summary.resources).toBeGreaterThan(200);
    expect(report.metrics.providers[0]?.provider).toBe("aws");
  });
});

describe("input errors exit 2 with file and line, never a stack trace", () => {
  const cases: [string, RegExp[]][] = [
    ["bad-profile-yaml-syntax", [/landlord\.yaml is not valid YAML/, /landlord\.yaml:\d+:\d+/]],
    [
      "bad-profile-unknown-key",
      [
        /organization: unknown key "segmnets"/,
        /landlord\.yaml:4:3: organization: unknown key "segmnets"/,
        /organization\.jurisdiction: expected an ISO 3166-1/,
        /sources\[0\]/,
      ],
    ],
    ["bad-inventory-json", [/inventory\.json is not valid JSON/, /inventory\.json:4:\d+/]],
    [
      "bad-inventory-jsonl",
      [
        /inventory\.jsonl:2: not a valid JSON object/,
        /inventory\.jsonl:3: "id" is required/,
        /inventory\.jsonl:4: "tags\.x" must be a string/,
      ],
    ],
    ["bad-inventory-csv", [/inventory\.csv:3: .*/]],
    ["missing-inventory-file", [/cannot read .*does-not-exist\.json: no such file/]],
  ];
  for (const [name, patterns] of cases) {
    it(name, async () => {
      const result = await runCli(["scan"], { cwd: fixture(name) });
      expect(result.code).toBe(2);
      for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
      expect(result.stderr).not.toMatch(/bug/);
      expect(result.stdout).toBe("");
    });
  }

  it("an unknown command-line format is a usage error", async () => {
    const result = await runCli(["scan", "--format", "pdfx"], {
      cwd: fixture("small-retailer-three-clouds"),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown format "pdfx"/);
  });

  it("no profile and no --inventory tells the user what to do", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "landlord-empty-"));
    const result = await runCli(["scan"], { cwd: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/landlord init/);
  });
});

describe("partial trouble becomes diagnostics", () => {
  it("an unknown provider or region is reported and the resource still counted", async () => {
    const result = await runCli(["scan", "--format", "json"], {
      cwd: fixture("unknown-provider-and-region"),
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.resources).toBe(3);
    expect(report.metrics.providers.map((share) => share.provider).sort()).toEqual(["aws", "moonbase-cloud"]);
  });

  it("a resource id repeated within a provider is merged once and reported; the same id on another provider is not", async () => {
    const result = await runCli(["scan", "--format", "json"], { cwd: fixture("duplicate-ids-across-files") });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.resources).toBe(3);
    const duplicate = report.diagnostics.filter((diagnostic) => diagnostic.code === "duplicate-resource");
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]?.message).toMatch(/^1 resource record repeated/);
  });

  it("--inventory scans files directly, without a profile", async () => {
    const file = path.join(fixture("small-retailer-three-clouds"), "more.jsonl");
    const empty = await mkdtemp(path.join(os.tmpdir(), "landlord-empty-"));
    const result = await runCli(
      [
        "scan",
        "--inventory",
        file,
        "--inventory",
        path.join(fixture("small-retailer-three-clouds"), "spreadsheet.csv"),
        "-f",
        "json",
        "--fail-on",
        "none",
      ],
      { cwd: empty },
    );
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Report).summary.resources).toBe(4);
  });
});

describe("help and version", () => {
  it("prints help for every command and the version", async () => {
    for (const command of [[], ["scan"], ["collect"], ["report"]]) {
      const result = await runCli([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: landlord/);
    }
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
