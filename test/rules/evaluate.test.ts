import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/inventory/types.js";
import { evaluateRules } from "../../src/rules/evaluate.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { compareFindings, runRuleCases } from "../../src/rules/testing.js";
import { fakeEnricher } from "./fake-catalog.js";
import { enriched, profileOf } from "./helpers.js";

const scanTime = new Date("2026-01-15T00:00:00Z");

const retailer: Resource[] = [
  {
    id: "arn:aws:s3:::pos-exports",
    provider: "aws",
    region: "us-east-1",
    type: "s3:bucket",
    tags: { "data-classification": "confidential", app: "pos", criticality: "critical" },
  },
  {
    id: "arn:aws:dynamodb:us-east-1:1:table/carts",
    provider: "aws",
    region: "us-east-1",
    type: "dynamodb:table",
    tags: { app: "pos" },
  },
  {
    id: "vendor:acme/aws/us-east-1",
    provider: "aws",
    region: "us-east-1",
    vendor: "Acme Store Analytics",
    tags: { classification: "confidential", app: "store-analytics" },
  },
  {
    id: "/subscriptions/1/vm/erp",
    provider: "azure",
    region: "eastus",
    tags: { "data-classification": "restricted", app: "erp" },
  },
];

describe("evaluating the builtin rules", () => {
  it("sees the Walmart case: own data and vendor-hosted data on a grocery competitor's cloud", async () => {
    const profile = profileOf({ organization: { segments: ["retail", "grocery"] } });
    const ruleSet = await loadRuleSet({ profile });
    const findings = evaluateRules(ruleSet, await enriched(retailer, profile), { profile, scanTime });
    const byRule = (id: string) => findings.filter((finding) => finding.ruleId === id);
    expect(byRule("competitor-hosted-sensitive-data").map((finding) => finding.resourceId)).toEqual([
      "arn:aws:s3:::pos-exports",
    ]);
    expect(byRule("vendor-on-competitor-cloud").map((finding) => finding.resourceId)).toEqual([
      "vendor:acme/aws/us-east-1",
    ]);
    const [sensitive] = byRule("competitor-hosted-sensitive-data");
    expect(sensitive?.message).toBe(
      "arn:aws:s3:::pos-exports holds confidential data on Amazon Web Services, whose parent Amazon.com, Inc. competes with Example Retail Co in grocery and retail",
    );
    // The evidence stays with the finding, out of its one-line message.
    expect(sensitive?.data).toMatchObject({
      reason: "competes in grocery: Whole Foods Market, bought in 2017; retail: Amazon.com marketplace",
      resource: "arn:aws:s3:::pos-exports",
      segments: ["grocery", "retail"],
    });
    const concentration = byRule("provider-concentration")[0];
    expect(concentration?.subject).toEqual({ provider: "aws" });
    expect(concentration?.resourceId).toBeNull();
    expect(concentration?.data).toMatchObject({ share: 0.75, resources: 3 });
    expect(byRule("proprietary-lock-in")[0]?.data).toMatchObject({ services: ["Amazon DynamoDB"] });
  });

  it("says in a few words how a competitor competes: shared segments, a naming, or both", async () => {
    const messages = async (organization: Record<string, unknown>) => {
      const profile = profileOf({ organization });
      const ruleSet = await loadRuleSet({ profile });
      return evaluateRules(ruleSet, await enriched(retailer, profile), { profile, scanTime })
        .filter((finding) => finding.ruleId === "vendor-on-competitor-cloud")
        .map((finding) => finding.message);
    };
    expect(await messages({ segments: ["banking"], competitors: ["amazon"] })).toEqual([
      "Acme Store Analytics hosts Example Retail Co's confidential data (store-analytics) on Amazon Web Services in us-east-1; its parent Amazon.com, Inc. competes with you (named in its competitors)",
    ]);
    expect(await messages({ segments: ["retail"], competitors: ["amazon"] })).toEqual([
      "Acme Store Analytics hosts Example Retail Co's confidential data (store-analytics) on Amazon Web Services in us-east-1; its parent Amazon.com, Inc. competes with you in retail (named in its competitors)",
    ]);
  });

  it("gives byte-identical JSON findings on every run, whatever the input order", async () => {
    const profile = profileOf({ organization: { segments: ["retail", "grocery"] } });
    const ruleSet = await loadRuleSet({ profile });
    const first = JSON.stringify(
      evaluateRules(ruleSet, await enriched(retailer, profile), { profile, scanTime }),
    );
    const again = JSON.stringify(
      evaluateRules(ruleSet, await enriched(retailer, profile), { profile, scanTime }),
    );
    const reversed = JSON.stringify(
      evaluateRules(ruleSet, await enriched([...retailer].reverse(), profile), { profile, scanTime }),
    );
    expect(again).toBe(first);
    expect(reversed).toBe(first);
  });

  it("keeps fingerprints stable and distinct per rule and resource or subject", async () => {
    const profile = profileOf({ organization: { segments: ["retail", "grocery"] } });
    const ruleSet = await loadRuleSet({ profile });
    const findings = evaluateRules(ruleSet, await enriched(retailer, profile), { profile, scanTime });
    const fingerprints = findings.map((finding) => finding.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(fingerprints.every((fingerprint) => /^[0-9a-f]{64}$/.test(fingerprint))).toBe(true);
    const renamed = retailer.map((resource) => ({ ...resource, name: "renamed" }));
    const later = evaluateRules(ruleSet, await enriched(renamed, profile), { profile, scanTime });
    expect(later.map((finding) => finding.fingerprint)).toEqual(fingerprints);
  });

  it("applies params from the profile", async () => {
    const strict = profileOf({ rules: { params: { "provider-concentration": { threshold: 1 } } } });
    const ruleSet = await loadRuleSet({ profile: strict });
    const findings = evaluateRules(ruleSet, await enriched(retailer, strict), { profile: strict, scanTime });
    expect(findings.filter((finding) => finding.ruleId === "provider-concentration")).toEqual([]);
  });

  it("handles many resources in one pass", async () => {
    const profile = profileOf({ organization: { segments: ["grocery"] } });
    const ruleSet = await loadRuleSet({ profile });
    const many: Resource[] = [];
    for (let index = 0; index < 20_000; index++) {
      many.push({
        id: `r-${index}`,
        provider: index % 4 === 0 ? "azure" : "aws",
        region: index % 2 === 0 ? "us-east-1" : "eastus",
        tags:
          index % 10 === 0
            ? { classification: "pii", app: `app-${index % 50}` }
            : { app: `app-${index % 50}` },
      });
    }
    const findings = evaluateRules(ruleSet, await enriched(many, profile), { profile, scanTime });
    expect(findings.filter((finding) => finding.ruleId === "competitor-hosted-sensitive-data")).toHaveLength(
      1_000,
    );
    expect(findings.find((finding) => finding.ruleId === "classification-coverage")?.data).toMatchObject({
      coverage: 0.1,
    });
  });

  it("puts each per-resource finding, made in the inventory's order, in its place by provider and id", async () => {
    const profile = profileOf({ organization: { segments: ["grocery"], jurisdiction: "DE" } });
    const ruleSet = await loadRuleSet({ profile });
    // Ids in no particular order, on three providers, some sharing long prefixes.
    const shuffled: Resource[] = [];
    for (let index = 0; index < 600; index++) {
      const scrambled = (index * 7919) % 600;
      shuffled.push({
        id: `${scrambled % 3 === 0 ? "arn:aws:s3:::bucket-" : "db-"}${scrambled.toString(36)}`,
        provider: ["aws", "azure", "gcp"][(index * 31) % 3]!,
        region: "us-east-1",
        tags: { classification: "confidential", app: `app-${index % 40}` },
      });
    }
    const findings = evaluateRules(ruleSet, await enriched(shuffled, profile), { profile, scanTime });
    const perResource = findings.filter((finding) => finding.resourceId !== null);
    expect(new Set(perResource.map((finding) => finding.ruleId)).size).toBeGreaterThan(1);
    for (const ruleId of new Set(perResource.map((finding) => finding.ruleId))) {
      const ofRule = perResource.filter((finding) => finding.ruleId === ruleId);
      const keys = ofRule.map((finding) => [finding.provider!, finding.resourceId!] as const);
      const sorted = [...keys].sort(([p1, id1], [p2, id2]) =>
        p1 !== p2 ? (p1 < p2 ? -1 : 1) : id1 < id2 ? -1 : id1 > id2 ? 1 : 0,
      );
      expect(keys).toEqual(sorted);
    }
    // Every finding carries its own resource's message, data and fingerprint.
    for (const finding of perResource) {
      expect(finding.message).toContain(finding.resourceId);
      expect(finding.data["resource"]).toBe(finding.resourceId);
    }
    const sortedInput = [...shuffled].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const again = evaluateRules(ruleSet, await enriched(sortedInput, profile), { profile, scanTime });
    expect(JSON.stringify(again)).toBe(JSON.stringify(findings));
  });
});

describe("rule test cases", () => {
  it("fail with a readable diff when a case is wrong", async () => {
    const profile = profileOf({});
    const ruleSet = await loadRuleSet({ profile });
    const rule = ruleSet.rules.find((candidate) => candidate.definition.id === "data-residency-violation")!;
    const broken = {
      ...rule,
      definition: {
        ...rule.definition,
        tests: [
          {
            name: "deliberately wrong",
            resources: [
              { id: "rds-kr", provider: "aws", region: "ap-northeast-1", tags: { "data-residency": "KR" } },
              { id: "ok", provider: "aws", region: "ap-northeast-2", tags: { "data-residency": "KR" } },
            ],
            expect: [{ resourceId: "ok" }, { resourceId: "rds-kr", data: { location: "KR" } }],
          },
        ],
      },
    };
    const [result] = await runRuleCases(broken, fakeEnricher);
    expect(result?.passed).toBe(false);
    expect(result?.diff).toEqual([
      "- expected a finding on resource ok, got none",
      '~ resource rds-kr: data.location expected "KR", actual "JP"',
    ]);
  });

  it("report unexpected findings with their message", () => {
    const lines = compareFindings(
      [],
      [
        {
          ruleId: "r",
          severity: "low",
          category: "coverage",
          resourceId: null,
          provider: null,
          subject: { workload: "pos" },
          message: "something",
          data: {},
          fingerprint: "f",
          waived: false,
        },
      ],
    );
    expect(lines).toEqual(["+ unexpected finding on subject {workload=pos}: something"]);
  });
});
