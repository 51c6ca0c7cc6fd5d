import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffCommand } from "../../../src/cli/commands/diff.js";
import type { CliContext } from "../../../src/cli/context.js";
import { buildReport, RETAILER_FINDINGS, RETAILER_RESOURCES } from "../../formatters/fixtures/retailer.js";

function context(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: { NO_COLOR: "1" },
    cwd,
    exitCode: 0,
    now: () => new Date("2026-11-21T00:00:00Z"),
  };
  return { ctx, out, err };
}

async function run(cwd: string, args: string[]) {
  const { ctx, out, err } = context(cwd);
  await diffCommand(ctx).exitOverride().parseAsync(args, { from: "user" });
  return { exitCode: ctx.exitCode, stdout: out.join(""), stderr: err.join("") };
}

describe("landlord diff", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "landlord-diff-"));
  await writeFile(path.join(dir, "old.json"), JSON.stringify(buildReport()));
  await writeFile(
    path.join(dir, "new.json"),
    JSON.stringify(buildReport(RETAILER_RESOURCES, RETAILER_FINDINGS.slice(1))),
  );
  await writeFile(path.join(dir, "broken.json"), "{ not json");
  await writeFile(path.join(dir, "other.json"), JSON.stringify({ hello: "world" }));

  it("prints what changed, in each format", async () => {
    const text = await run(dir, ["old.json", "new.json"]);
    expect(text).toMatchObject({ exitCode: 0, stderr: "" });
    expect(text.stdout).toContain("Findings: 0 added, 1 resolved");
    const markdown = await run(dir, ["old.json", "new.json", "--format", "markdown"]);
    expect(markdown.stdout).toContain("## landlord: what changed");
    const json = await run(dir, ["old.json", "new.json", "--format", "json"]);
    expect(JSON.parse(json.stdout).resolved).toHaveLength(1);
  });

  it("exits 2 with a clear message on unreadable or invalid reports", async () => {
    const missing = await run(dir, ["old.json", "missing.json"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("cannot read missing.json: ENOENT");
    const broken = await run(dir, ["broken.json", "new.json"]);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain("broken.json is not valid JSON");
    const other = await run(dir, ["old.json", "other.json"]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain("other.json is not a landlord JSON report");
  });
});
