/**
 * The hostile corpus through the built binary: malformed profiles, inventories, vendors manifests
 * and Terraform plans (exploding aliases, deep nesting, huge lines, invalid UTF-8, wrong shapes).
 * Each must stop the scan with exit 2 and a `landlord: ... [code]` line on stderr, without a stack
 * trace or terminal escape sequences, inside the test timeout and a 384 MB heap.
 * Small cases live in test/fixtures/hostile/ as `<case>.<kind>.<ext>` (kind: landlord, inventory,
 * vendors, plan, rule); the huge ones are generated here.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordTally } from "../faults/tally.js";
import { FIXTURES, runCli } from "../helpers/cli.js";

const CORPUS = path.join(FIXTURES, "hostile");
const PROFILE_HEAD = "organization: { name: Hostile Input Co, segments: [retail], jurisdiction: US }\n";
const HEAP_LIMIT = "--max-old-space-size=384";
const folders: string[] = [];
const outcomes: Record<string, number> = {};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  recordTally("hostile:corpus", { cases: Object.values(outcomes).reduce((a, b) => a + b, 0), ...outcomes });
});

type Kind = "landlord" | "inventory" | "vendors" | "plan" | "rule";

/** The kind of a corpus file from its name: `<case>.<kind>.<ext>`. */
function kindOf(file: string): Kind {
  const kind = file.split(".").at(-2);
  if (kind === "landlord" || kind === "inventory" || kind === "vendors" || kind === "plan" || kind === "rule")
    return kind;
  throw new Error(`corpus file ${file} does not name its kind`);
}

/** A folder with a profile that reads `file` the way its kind is read. */
function workspace(file: string, content: string | Buffer | undefined): string {
  const folder = mkdtempSync(path.join(tmpdir(), "landlord-corpus-"));
  folders.push(folder);
  const kind = kindOf(file);
  if (kind === "rule") {
    // A rule file is named after its id: `<id>.rule.yaml` in the corpus, `rules/<id>.yaml` here.
    mkdirSync(path.join(folder, "rules"));
    copyFileSync(path.join(CORPUS, file), path.join(folder, "rules", file.replace(".rule.yaml", ".yaml")));
    writeFileSync(
      path.join(folder, "inventory.json"),
      JSON.stringify({ resources: [{ id: "a", provider: "aws", name: "a".repeat(40) }] }),
    );
    writeFileSync(
      path.join(folder, "landlord.yaml"),
      `${PROFILE_HEAD}sources:\n  - file: ./inventory.json\nrules:\n  paths: [./rules]\n`,
    );
    return folder;
  }
  const target = path.join(folder, kind === "landlord" ? "landlord.yaml" : file);
  if (content === undefined) copyFileSync(path.join(CORPUS, file), target);
  else writeFileSync(target, content);
  const source = { inventory: "file", vendors: "vendors", plan: "terraform", landlord: "" }[kind];
  if (kind !== "landlord") {
    writeFileSync(path.join(folder, "landlord.yaml"), `${PROFILE_HEAD}sources:\n  - ${source}: ./${file}\n`);
  }
  return folder;
}

async function expectRejected(file: string, content?: string | Buffer): Promise<void> {
  const folder = workspace(file, content);
  const result = await runCli(["scan", "--format", "json"], {
    cwd: folder,
    env: { NODE_OPTIONS: HEAP_LIMIT },
  });
  const outcome = `exit-${result.code}`;
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  expect(result.stderr).not.toMatch(/unexpected error|This is a bug/);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).toMatch(/^landlord: .+ \[[a-z-]+\]$/m);
  // Nothing from the input may drive the terminal: no escape or other control characters.
  expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
}

/** Inputs that are odd but harmless: read as data, never executed, never shown raw. */
const ACCEPTED = new Set(["nul-bytes.inventory.csv", "yaml-js-function.inventory.yaml"]);
const smallCases = readdirSync(CORPUS)
  .filter((file) => !ACCEPTED.has(file))
  .sort();

describe("hostile corpus through the CLI", () => {
  it.each(smallCases)("%s stops the scan with exit 2 and a readable error", async (file) => {
    await expectRejected(file);
  });

  it.each([...ACCEPTED])("%s is read as plain data and shown without control characters", async (file) => {
    const folder = workspace(file, undefined);
    const result = await runCli(["scan", "--format", "text"], { cwd: folder });
    outcomes.accepted = (outcomes.accepted ?? 0) + 1;
    expect([0, 1]).toContain(result.code);
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toMatch(/1 resource/);
  });

  const nest = 100_000;
  const generated: Array<[string, () => string | Buffer]> = [
    ["deep-nesting.inventory.json", () => `{"resources":${"[".repeat(nest)}${"]".repeat(nest)}}`],
    ["deep-nesting.inventory.yaml", () => `resources: ${"[".repeat(nest)}${"]".repeat(nest)}\n`],
    [
      "deep-nesting-block.inventory.yaml",
      () =>
        `resources:\n${Array.from({ length: 5000 }, (_, depth) => `${" ".repeat(depth)}- `).join("\n")}x\n`,
    ],
    ["deep-nesting.inventory.jsonl", () => `${"[".repeat(nest)}${"]".repeat(nest)}\n`],
    [
      "deep-nesting.landlord.yaml",
      () => `${PROFILE_HEAD}rules: ${"{a: ".repeat(nest)}1${"}".repeat(nest)}\n`,
    ],
    [
      "deep-nesting.plan.json",
      () => `{"format_version":"1.2","resource_changes":${"[".repeat(nest)}${"]".repeat(nest)}}`,
    ],
    [
      "wide-aliases.inventory.yaml",
      () => `a: &a {id: x, provider: aws}\nresources: [${Array(5000).fill("*a").join(",")}]\n`,
    ],
  ];
  it.each(generated)("%s stops the scan with exit 2 and a readable error", async (file, make) => {
    await expectRejected(file, make());
  });

  /** About 50 MB of resources on one line. */
  const bigRecords = (invalidLast: boolean): string => {
    const record = JSON.stringify({
      id: "i-0123456789abcdef0",
      provider: "aws",
      region: "us-east-1",
      tags: { env: "prod" },
    });
    const body = Array(600_000).fill(record).join(",");
    return `{"resources":[${body}${invalidLast ? ',{"id":"broken"}' : ""}]}`;
  };
  it("a 50 MB single-line JSON cut off mid-document fails fast within the heap limit", async () => {
    await expectRejected("huge-line-truncated.inventory.json", bigRecords(false).slice(0, -7));
  });

  it("a 50 MB single-line JSON with one bad record names it within the heap limit", async () => {
    await expectRejected("huge-line-bad-record.inventory.json", bigRecords(true));
  });

  it("a 50 MB JSONL line that never closes fails within the heap limit", async () => {
    await expectRejected("huge-line.inventory.jsonl", `{"id":"${"a".repeat(50_000_000)}`);
  });
});
