import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogCommand } from "../../src/cli/commands/catalog.js";
import type { CliContext } from "../../src/cli/context.js";

async function run(args: string[], cwd = mkdtempSync(path.join(tmpdir(), "landlord-catalog-"))) {
  let stdout = "";
  let stderr = "";
  const context: CliContext = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { NO_COLOR: "1" },
    cwd,
    exitCode: 0,
    now: () => new Date("2026-11-21T00:00:00Z"),
  };
  await catalogCommand(context).parseAsync(args, { from: "user" });
  return { stdout, stderr, exitCode: context.exitCode };
}

describe("landlord catalog", () => {
  it("lists providers as a table with parent, home country and segments", async () => {
    const { stdout, exitCode } = await run(["providers"]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^PROVIDER\s+NAME\s+PARENT\s+HQ/);
    expect(stdout).toMatch(
      /\naws\s+Amazon Web Services\s+amazon\s+US\s+46\s+-\s+retail, e-commerce, grocery/,
    );
    expect(stdout).toMatch(/\nhuawei\s+.*us-fcc-covered-list, us-entity-list, us-dod-1260h/);
  });

  it("prints providers as JSON", async () => {
    const { stdout } = await run(["providers", "--json"]);
    const parsed = JSON.parse(stdout) as { version: string; providers: { id: string; parent: string }[] };
    expect(parsed.providers.find((p) => p.id === "gcp")?.parent).toBe("alphabet");
  });

  it("lists one provider's regions with their flags", async () => {
    const { stdout } = await run(["regions", "aws"]);
    expect(stdout).toMatch(/\naws\s+cn-north-1\s+CN\s+Beijing\s+china-operated by Beijing Sinnet/);
    expect(stdout).toMatch(/\naws\s+us-gov-west-1\s+US\s+-\s+government/);
    expect(stdout).toMatch(/46 regions\n$/);
  });

  it("shows one provider with evidence, dates and sources", async () => {
    const { stdout } = await run(["show", "aws"]);
    expect(stdout).toMatch(/grocery\s+2017\s+Agreed to buy Whole Foods/);
    expect(stdout).toContain("US CLOUD Act");
    expect(stdout).toMatch(/fedramp-high\s+\? to open in us-gov-east-1, us-gov-west-1/);
  });

  it("shows a parent company with its providers, and a segment", async () => {
    expect((await run(["show", "amazon"])).stdout).toMatch(/parent amazon[\s\S]*providers: aws/);
    const segment = JSON.parse((await run(["show", "grocery", "--json"])).stdout) as { providers: string[] };
    expect(segment.providers).toEqual(expect.arrayContaining(["aws", "alibaba"]));
  });

  it("exits 2 with a hint for an unknown id", async () => {
    const { stderr, exitCode } = await run(["show", "awz"]);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/error unknown-catalog-id: the catalog has no id "awz"\nhint: Did you mean aws/);
  });

  it("applies the profile's catalog file and reports a malformed one with file and line", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "landlord-catalog-"));
    writeFileSync(
      path.join(cwd, "landlord.yaml"),
      "organization: { name: Shop, jurisdiction: KR }\ncatalog: ./catalog.yaml\n",
    );
    writeFileSync(
      path.join(cwd, "catalog.yaml"),
      "regions:\n  onprem:\n    seoul-dc: { country: KR, city: Seoul }\n",
    );
    const ok = await run(["regions", "onprem"], cwd);
    expect(ok.stdout).toMatch(/onprem\s+seoul-dc\s+KR\s+Seoul\s+override/);

    writeFileSync(path.join(cwd, "catalog.yaml"), "regions:\n  onprem:\n    seoul-dc: { country: Korea }\n");
    const bad = await run(["regions", "onprem"], cwd);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${path.join(cwd, "catalog.yaml")}:3:17: regions.onprem.seoul-dc.country`);
  });
});
