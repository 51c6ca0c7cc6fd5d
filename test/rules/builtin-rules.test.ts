import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/rules/cel.js";
import { builtinRulesDir, loadRules, ruleFilesIn } from "../../src/rules/load.js";
import { catalogEnricher, runRuleCases } from "../../src/rules/testing.js";

const SPEC_RULE_IDS = [
  "competitor-hosted-sensitive-data",
  "vendor-on-competitor-cloud",
  "competitor-hosted-workload",
  "provider-concentration",
  "parent-concentration-hhi",
  "single-region-critical-workload",
  "single-provider-critical-workload",
  "distrusted-jurisdiction-data",
  "listed-provider",
  "data-residency-violation",
  "certification-missing",
  "foreign-government-access",
  "proprietary-lock-in",
  "classification-coverage",
];

const dir = await builtinRulesDir();
const files = await ruleFilesIn(dir);
const rules = await loadRules(files.map((file) => ({ file, builtin: true })));

describe("builtin rules: conventions", () => {
  it("ships exactly the fourteen rules of the SPEC", async () => {
    const names = (await readdir(dir))
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => name.slice(0, -5));
    expect(names.sort()).toEqual([...SPEC_RULE_IDS].sort());
  });

  for (const rule of rules) {
    const { definition } = rule;
    describe(definition.id, () => {
      it("has its id as file name", () => {
        expect(path.basename(rule.file)).toBe(`${definition.id}.yaml`);
      });
      it("documents what, why, the real case and the remediation", () => {
        expect(definition.description.length).toBeGreaterThan(40);
        expect(definition.rationale?.length ?? 0).toBeGreaterThan(40);
        expect(definition.case?.length ?? 0).toBeGreaterThan(40);
        expect(definition.remediation?.length ?? 0).toBeGreaterThan(40);
      });
      it("has at least one firing and one quiet case", () => {
        expect(definition.tests.some((testCase) => testCase.expect.length > 0)).toBe(true);
        expect(definition.tests.some((testCase) => testCase.expect.length === 0)).toBe(true);
      });
      it("has CEL that compiles", () => {
        for (const expression of [definition.condition, ...Object.values(definition.data)]) {
          if (expression === undefined) continue;
          expect(compileExpression(expression, definition.scope).ok).toBe(true);
        }
      });
      it("passes its cases", async () => {
        const results = await runRuleCases(rule, catalogEnricher);
        const failures = results
          .filter((result) => !result.passed)
          .map((result) => `${result.name}\n${result.diff.join("\n")}`);
        expect(failures).toEqual([]);
      });
    });
  }
});
