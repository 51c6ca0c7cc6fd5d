import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { rulesCommand } from "../../src/cli/commands/rules.js";
import { cliContext, folderWith, ruleText } from "./helpers.js";

async function run(cwd: string, ...args: string[]) {
  const context = cliContext(cwd);
  const program = new Command("landlord").exitOverride();
  program.addCommand(rulesCommand(context));
  await program.parseAsync(["rules", ...args], { from: "user" });
  return { code: context.exitCode, stdout: context.out(), stderr: context.err() };
}

const firing = `tests:
  - name: fires on pii
    resources: [{ id: r1, provider: azure, region: eastus, tags: { classification: pii } }]
    expect: [{ resourceId: r1 }]
  - name: quiet on public
    resources: [{ id: r2, provider: azure, region: eastus, tags: { classification: public } }]
    expect: []`;

describe("landlord rules", () => {
  it("lists the builtin rules with severity and category", async () => {
    const result = await run("/", "list");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/competitor-hosted-sensitive-data\s+high\s+conflict-of-interest/);
    expect(result.stdout.trim().split("\n")).toHaveLength(14);
  });

  it("explains a rule with its real case and params", async () => {
    const result = await run("/", "explain", "provider-concentration");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The real case:");
    expect(result.stdout).toContain("threshold: 0.6");
    expect((await run("/", "explain", "nope")).code).toBe(2);
  });

  it("validates good files with exit 0 and bad ones with exit 2 naming file, line and field", async () => {
    const dir = await folderWith({
      "good-rule.yaml": ruleText("good-rule"),
      "bad-rule.yaml": ruleText("bad-rule", "conditon: true"),
    });
    expect((await run(dir, "validate", "good-rule.yaml")).code).toBe(0);
    const bad = await run(dir, "validate", ".");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-rule\.yaml:8:1: unknown key "conditon"/);
  });

  it("runs every builtin rule's cases and passes", async () => {
    const result = await run("/", "test");
    expect(result.stdout).not.toContain("FAIL");
    expect(result.stdout).toMatch(/\d+ passed, 0 failed, 14 rules/);
    expect(result.code).toBe(0);
  });

  it("tests a user's rule, and fails a wrong case with a diff and exit 1", async () => {
    const dir = await folderWith({
      "pii-rule.yaml": ruleText("pii-rule", firing),
      "wrong-rule.yaml": ruleText("wrong-rule", firing.replace("expect: []", "expect: [{ resourceId: r9 }]")),
    });
    const good = await run(dir, "test", "pii-rule.yaml");
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("2 passed, 0 failed");
    const bad = await run(dir, "test", "wrong-rule.yaml");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FAIL wrong-rule: quiet on public");
    expect(bad.stdout).toContain("- expected a finding on resource r9, got none");
  });
});
