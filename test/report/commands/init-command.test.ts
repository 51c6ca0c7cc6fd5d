import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { initCommand } from "../../../src/cli/commands/init.js";
import type { CliContext } from "../../../src/cli/context.js";
import { parseYaml, validateDocument } from "../../../src/input/yaml.js";
import { profileSchema } from "../../../src/profile/schema.js";

async function run(args: string[], answers?: string[]) {
  const cwd = await mkdtemp(path.join(tmpdir(), "landlord-init-"));
  return runIn(cwd, args, answers);
}

async function runIn(cwd: string, args: string[], answers?: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const queue = [...(answers ?? [])];
  const ctx: CliContext = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    cwd,
    exitCode: 0,
    now: () => new Date("2026-11-21T00:00:00Z"),
    ...(answers === undefined
      ? {}
      : {
          prompt: async (question: string) => {
            questions.push(question);
            return queue.shift() ?? "";
          },
        }),
  };
  await initCommand(ctx).exitOverride().parseAsync(args, { from: "user" });
  return { cwd, exitCode: ctx.exitCode, stdout: out.join(""), stderr: err.join(""), questions };
}

function validate(text: string, file: string) {
  return validateDocument(parseYaml(text, file), profileSchema, "invalid-profile", "landlord.yaml profile");
}

describe("landlord init", () => {
  it("writes a commented profile from flags that validates", async () => {
    const result = await run([
      "--name",
      'Example Retail Co: "EU" #1',
      "--segments",
      "retail, grocery,e-commerce",
      "--jurisdiction",
      "us",
      "--source",
      "file:./inventory.json",
      "--source",
      "vendors:./vendors.yaml",
      "--source",
      "aws",
    ]);
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    const file = path.join(result.cwd, "landlord.yaml");
    const text = await readFile(file, "utf8");
    expect(text).toContain("# Business segments you compete in");
    const profile = validate(text, file);
    expect(profile.organization).toMatchObject({
      name: 'Example Retail Co: "EU" #1',
      segments: ["retail", "grocery", "e-commerce"],
      jurisdiction: "US",
    });
    expect(profile.sources).toEqual([
      { file: "./inventory.json" },
      { vendors: "./vendors.yaml" },
      { aws: { regions: "all" } },
    ]);
  });

  it("asks for what the flags leave out", async () => {
    const result = await run(
      ["--output", "profile.yaml"],
      ["Seoul Public Data Agency", "healthcare", "KR", "file:./assets.csv"],
    );
    expect(result.exitCode).toBe(0);
    expect(result.questions).toHaveLength(4);
    const file = path.join(result.cwd, "profile.yaml");
    const profile = validate(await readFile(file, "utf8"), file);
    expect(profile.organization).toMatchObject({
      name: "Seoul Public Data Agency",
      jurisdiction: "KR",
      segments: ["healthcare"],
    });
    expect(profile.sources).toEqual([{ file: "./assets.csv" }]);
  });

  it("refuses to overwrite without --force", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "landlord-init-"));
    await writeFile(path.join(cwd, "landlord.yaml"), "keep: me\n");
    const refused = await runIn(cwd, ["--name", "X", "--jurisdiction", "DE"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("landlord.yaml already exists");
    expect(await readFile(path.join(cwd, "landlord.yaml"), "utf8")).toBe("keep: me\n");
    const forced = await runIn(cwd, ["--name", "X", "--jurisdiction", "DE", "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(await readFile(path.join(cwd, "landlord.yaml"), "utf8")).toContain("name: X");
  });

  it("rejects a missing name, a bad country and an unknown source kind with exit 2", async () => {
    expect((await run(["--jurisdiction", "US"])).stderr).toContain("name is required");
    expect((await run(["--name", "X", "--jurisdiction", "USA"])).exitCode).toBe(2);
    const unknown = await run(["--name", "X", "--jurisdiction", "US", "--source", "ftp:./x"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown source kind "ftp"');
  });
});
