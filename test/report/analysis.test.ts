import { describe, expect, it } from "vitest";
import { analyzeEstate, exitImpact } from "../../src/report/analysis.js";
import {
  enriched,
  RETAILER_FINDINGS,
  RETAILER_RESOURCES,
  retailerProfile,
} from "../formatters/fixtures/retailer.js";

const analysis = analyzeEstate(RETAILER_RESOURCES, {
  profile: retailerProfile(),
  findings: RETAILER_FINDINGS,
});

describe("analyzeEstate", () => {
  it("finds the providers whose parents compete with a retailer, with evidence and sensitive workloads", () => {
    expect(analysis.conflicts.map((conflict) => conflict.provider)).toEqual(["aws", "gcp", "alibaba"]);
    const amazon = analysis.conflicts[0]!;
    expect(amazon.segments.map((segment) => [segment.segment, segment.since])).toEqual([
      ["retail", 1995],
      ["grocery", 2017],
    ]);
    expect(amazon.sensitiveResources).toBe(5);
    expect(amazon.sensitiveWorkloads).toEqual(["checkout", "loyalty", "pos", "store-analytics"]);
    expect(amazon.vendors).toEqual(["Acme Store Analytics"]);
  });

  it("counts a parent named in competitors even without segment overlap", () => {
    const profile = retailerProfile();
    const result = analyzeEstate(RETAILER_RESOURCES, {
      profile: {
        ...profile,
        organization: { ...profile.organization, segments: [], competitors: ["Microsoft"] },
      },
      findings: [],
    });
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ provider: "azure", namedCompetitor: true, segments: [] });
  });

  it("reports jurisdictions with access laws, distrusted ones first, and restricted lists", () => {
    expect(analysis.jurisdictions[0]).toMatchObject({
      jurisdiction: "CN",
      distrusted: true,
      foreign: true,
      providers: ["alibaba", "huawei"],
      resources: 2,
      sensitiveResources: 1,
    });
    expect(analysis.jurisdictions[0]!.accessLaws.map((law) => law.id)).toEqual([
      "cn-national-intelligence-law",
    ]);
    expect(analysis.jurisdictions.find((entry) => entry.jurisdiction === "US")).toMatchObject({
      foreign: false,
      resources: 11,
    });
    expect(analysis.restrictedProviders).toEqual([
      expect.objectContaining({ provider: "huawei", ownJurisdiction: true, resources: 1 }),
    ]);
    expect(analysis.dataLocations.map((location) => location.country)).toEqual(["US", "CN", "SG"]);
  });

  it("lists lock-in by workload, critical workloads and proprietary services first", () => {
    expect(analysis.lockIn.map((entry) => entry.workload)).toEqual([
      "pos",
      "data-warehouse",
      "loyalty",
      "checkout",
    ]);
    expect(analysis.lockIn[0]!.services.map((service) => service.service)).toEqual([
      "Amazon DynamoDB",
      "AWS Lambda",
    ]);
    expect(analysis.lockIn[0]!.services[0]!.equivalents).toMatchObject({ azure: "Cosmos DB" });
    expect(analysis.lockIn.find((entry) => entry.workload === "checkout")!.services[0]!.class).toBe(
      "moderate",
    );
  });

  it("computes what leaving each provider would stop", () => {
    const aws = analysis.exitImpact.find((impact) => impact.provider === "aws")!;
    expect(aws).toMatchObject({
      resources: 8,
      workloadsLost: ["loyalty", "pos", "store-analytics"],
      criticalLost: ["loyalty", "pos", "store-analytics"],
      workloadsDegraded: ["checkout"],
      criticalDegraded: ["checkout"],
      unassignedResources: 1,
      proprietaryServices: ["Amazon DynamoDB", "AWS Lambda"],
    });
    expect(analysis.exitImpact.some((impact) => impact.provider === "onprem")).toBe(false);
    expect(exitImpact(RETAILER_RESOURCES, "azure")).toMatchObject({
      workloadsLost: [],
      workloadsDegraded: ["checkout"],
    });
    expect(exitImpact(RETAILER_RESOURCES, "oracle")).toMatchObject({ resources: 0, workloadsLost: [] });
  });

  it("writes three to five plain sentences", () => {
    expect(analysis.executiveSummary.length).toBeGreaterThanOrEqual(3);
    expect(analysis.executiveSummary.length).toBeLessThanOrEqual(5);
    expect(analysis.executiveSummary[0]).toBe(
      "Example Retail Co runs 13 resources with 5 providers owned by 5 parent companies (and 2 resources in its own data centres); Amazon.com, Inc. holds 62% of them, which is highly concentrated (HHI 4,201 of 10,000).",
    );
    expect(analysis.executiveSummary.join(" ")).toContain("competes with it in retail and grocery");
    expect(analysis.executiveSummary.join(" ")).toContain(
      "Losing Amazon Web Services tomorrow would stop 3 workloads",
    );
  });

  it("reads classification, workload and criticality from tags when the fields are unset", () => {
    const resource = enriched({
      id: "t1",
      provider: "aws",
      region: "us-east-1",
      tags: { "Data-Classification": "PII", App: "web", Tier: "tier-0" },
    });
    const result = analyzeEstate([resource], { profile: retailerProfile(), findings: [] });
    expect(result.conflicts[0]).toMatchObject({ sensitiveResources: 1, workloads: ["web"] });
    expect(result.exitImpact[0]!.criticalLost).toEqual(["web"]);
  });

  it("stays a single pass over a large inventory", () => {
    const many = Array.from(
      { length: 200_000 },
      (_, index) => RETAILER_RESOURCES[index % RETAILER_RESOURCES.length]!,
    );
    const result = analyzeEstate(many, { profile: retailerProfile(), findings: [] });
    expect(result.exitImpact[0]!.resources).toBe(
      many.filter((resource) => resource.provider === "aws").length,
    );
  });
});
