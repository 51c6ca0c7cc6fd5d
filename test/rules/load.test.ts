import path from "node:path";
import { describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { loadRuleSet, ruleSummaries } from "../../src/rules/load.js";
import { folderWith, profileOf, ruleText } from "./helpers.js";

async function loadError(files: Record<string, string>): Promise<LandlordError> {
  const dir = await folderWith(files);
  try {
    await loadRuleSet({ profile: profileOf({}, dir), extraPaths: ["."] });
  } catch (error) {
    expect(error).toBeInstanceOf(LandlordError);
    return error as LandlordError;
  }
  throw new Error("expected the rules not to load");
}

describe("loading rules", () => {
  it("loads the builtin rules plus a user's folder, in id order", async () => {
    const dir = await folderWith({ "my-rule.yaml": ruleText("my-rule") });
    const ruleSet = await loadRuleSet({ profile: profileOf({ rules: { paths: ["."] } }, dir) });
    const ids = ruleSet.rules.map((rule) => rule.definition.id);
    expect(ids).toContain("my-rule");
    expect(ids).toContain("competitor-hosted-sensitive-data");
    expect(ids).toEqual([...ids].sort());
  });

  it("refuses YAML that does not parse, naming line and column", async () => {
    const error = await loadError({ "broken.yaml": "id: broken\ntitle: [unclosed\n" });
    expect(error.details[0]?.location?.file).toMatch(/broken\.yaml$/);
    expect(error.details[0]?.location?.line).toBeGreaterThan(0);
  });

  it("refuses an unknown field, naming the field and its line", async () => {
    const error = await loadError({ "typo.yaml": ruleText("typo", "severty: high") });
    const detail = error.details.find((entry) => entry.message.includes("severty"));
    expect(detail?.message).toContain('unknown key "severty"');
    expect(detail?.location?.line).toBe(8);
  });

  it("refuses a duplicate id, naming both files", async () => {
    const error = await loadError({
      "competitor-hosted-workload.yaml": ruleText("competitor-hosted-workload"),
    });
    expect(error.details[0]?.message).toContain('duplicate rule id "competitor-hosted-workload"');
  });

  it("refuses a bad CEL expression at load, naming file, line and expression", async () => {
    const error = await loadError({ "bad-cel.yaml": ruleText("bad-cel", "condition: resource.type ==") });
    const detail = error.details[0]!;
    expect(detail.message).toContain("invalid CEL expression `resource.type ==`");
    expect(path.basename(detail.location!.file)).toBe("bad-cel.yaml");
    expect(detail.location?.line).toBe(8);
    expect(detail.location?.field).toBe("condition");
  });

  it("refuses CEL naming a variable that does not exist", async () => {
    const error = await loadError({ "bad-var.yaml": ruleText("bad-var", 'condition: resourse.type == "x"') });
    expect(error.details[0]?.message).toContain("resourse");
  });

  it("refuses an id that differs from the file name, and an unknown placeholder", async () => {
    const error = await loadError({
      "named.yaml": ruleText("other-name").replace("is sensitive", "is {nonsense}"),
    });
    const messages = error.details.map((detail) => detail.message).join("\n");
    expect(messages).toContain('differs from the file name "named"');
    expect(messages).toContain("unknown placeholder {nonsense}");
  });

  it("honours rules.disable, rules.severity and rules.params", async () => {
    const ruleSet = await loadRuleSet({
      profile: profileOf({
        rules: {
          disable: ["competitor-hosted-workload"],
          severity: { "provider-concentration": "high" },
          params: { "provider-concentration": { threshold: 0.5 } },
        },
      }),
    });
    const byId = new Map(ruleSet.rules.map((rule) => [rule.definition.id, rule]));
    expect(byId.has("competitor-hosted-workload")).toBe(false);
    expect(ruleSet.disabled).toEqual(["competitor-hosted-workload"]);
    expect(byId.get("provider-concentration")?.severity).toBe("high");
    expect(byId.get("provider-concentration")?.params).toEqual({ threshold: 0.5 });
    expect(ruleSummaries(ruleSet).find((summary) => summary.id === "provider-concentration")?.severity).toBe(
      "high",
    );
  });

  it("refuses profile settings for unknown rules or params", async () => {
    const attempt = loadRuleSet({
      profile: profileOf({
        rules: { disable: ["no-such-rule"], params: { "provider-concentration": { treshold: 1 } } },
      }),
    });
    await expect(attempt).rejects.toThrow(LandlordError);
    const error = (await attempt.catch((caught: unknown) => caught)) as LandlordError;
    const messages = error.details.map((detail) => detail.message).join("\n");
    expect(messages).toContain('unknown rule "no-such-rule"');
    expect(messages).toContain('has no param "treshold"');
  });
});

describe("evaluation errors", () => {
  it("name the rule and resource when an expression fails at run time", async () => {
    const { evaluateRules } = await import("../../src/rules/evaluate.js");
    const { enriched } = await import("./helpers.js");
    const dir = await folderWith({
      "tag-rule.yaml": ruleText("tag-rule", 'condition: resource.tags["owner"] == "x"'),
    });
    const profile = profileOf({}, dir);
    const ruleSet = await loadRuleSet({ profile, extraPaths: ["tag-rule.yaml"], builtin: false });
    const resources = await enriched(
      [{ id: "r1", provider: "aws", tags: { classification: "pii" } }],
      profile,
    );
    expect(() => evaluateRules(ruleSet, resources, { profile, scanTime: new Date(0) })).toThrow(
      /rule tag-rule failed on r1: No such key: owner/,
    );
  });

  it("name the rule and resource when a data expression fails as the finding is made", async () => {
    const { evaluateRules } = await import("../../src/rules/evaluate.js");
    const { enriched } = await import("./helpers.js");
    const dir = await folderWith({
      "data-rule.yaml": ruleText("data-rule", 'data:\n  owner: resource.tags["owner"]'),
    });
    const profile = profileOf({}, dir);
    const ruleSet = await loadRuleSet({ profile, extraPaths: ["data-rule.yaml"], builtin: false });
    const resources = await enriched(
      [
        { id: "r1", provider: "aws", tags: { classification: "pii", owner: "team-a" } },
        { id: "r2", provider: "aws", tags: { classification: "pii" } },
      ],
      profile,
    );
    expect(() => evaluateRules(ruleSet, resources, { profile, scanTime: new Date(0) })).toThrow(
      /rule data-rule failed on r2: No such key: owner/,
    );
  });
});
