/**
 * The builtin rules' build-time snapshot: commands read the validated definitions instead of
 * parsing the YAML, so it must give the very rules the YAML gives, and must be ignored as soon as
 * a rule file changes.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinRulesDir, loadRuleSet, writeBuiltinRulesSnapshot } from "../../src/rules/load.js";
import type { RuleSet } from "../../src/rules/types.js";
import { profileOf } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-rules-snapshot-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const profile = profileOf({});

/** What a rule set is, without the compiled functions: definitions, files, messages, data keys. */
function described(ruleSet: RuleSet) {
  return ruleSet.rules.map(({ condition, data, ...rule }) => ({
    ...rule,
    condition: condition === undefined ? "none" : "compiled",
    data: data.map(([name]) => name),
  }));
}

describe("the builtin rules snapshot", () => {
  it("gives the same rules as the YAML files, conditions included", async () => {
    const snapshotFile = path.join(dir, "rules.snapshot.json");
    await writeBuiltinRulesSnapshot(await builtinRulesDir(), snapshotFile);
    const fromYaml = await loadRuleSet({ profile, snapshotFile: path.join(dir, "absent.json") });
    const fromSnapshot = await loadRuleSet({ profile, snapshotFile });
    expect(described(fromSnapshot)).toEqual(described(fromYaml));
    expect(fromSnapshot.rules.length).toBeGreaterThanOrEqual(14);
    // The compiled conditions decide alike.
    const residency = (set: RuleSet) =>
      set.rules.find((rule) => rule.definition.id === "data-residency-violation")!;
    expect(residency(fromSnapshot).condition).toBeTypeOf("function");
    expect(JSON.parse(await readFile(snapshotFile, "utf8")).files).toHaveLength(fromYaml.rules.length);
  });

  it("is what loads while the files match it, without their YAML being parsed", async () => {
    const snapshotFile = path.join(dir, "marked.snapshot.json");
    await writeBuiltinRulesSnapshot(await builtinRulesDir(), snapshotFile);
    const snapshot = JSON.parse(await readFile(snapshotFile, "utf8")) as {
      files: { file: string; definition: { title: string } }[];
    };
    for (const entry of snapshot.files) entry.definition.title = `from the snapshot: ${entry.file}`;
    await writeFile(snapshotFile, JSON.stringify(snapshot));
    const ruleSet = await loadRuleSet({ profile, snapshotFile });
    expect(ruleSet.rules.map((rule) => rule.definition.title)).toContain(
      "from the snapshot: provider-concentration.yaml",
    );
    expect(ruleSet.rules.every((rule) => rule.definition.title.startsWith("from the snapshot: "))).toBe(true);
  });

  it("is ignored once a builtin rule file no longer matches it", async () => {
    const builtinDir = path.join(dir, "rules");
    await cp(await builtinRulesDir(), builtinDir, { recursive: true });
    const snapshotFile = path.join(dir, "copy.snapshot.json");
    await writeBuiltinRulesSnapshot(builtinDir, snapshotFile);
    const title = async () =>
      (await loadRuleSet({ profile, builtinDir, snapshotFile })).rules.find(
        (rule) => rule.definition.id === "provider-concentration",
      )?.definition.title;
    const before = await title();
    expect(before).toBeTruthy();

    const file = path.join(builtinDir, "provider-concentration.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/^title: .*$/m, "title: Edited after the build"));
    expect(await title()).toBe("Edited after the build");
  });

  it("is ignored when it is not valid JSON", async () => {
    const snapshotFile = path.join(dir, "broken.snapshot.json");
    await writeFile(snapshotFile, "{ not json");
    const ruleSet = await loadRuleSet({ profile, snapshotFile });
    expect(ruleSet.rules.map((rule) => rule.definition.id)).toContain("competitor-hosted-sensitive-data");
  });
});
