import { describe, expect, it } from "vitest";
import { enrichResources, satisfiesCertification } from "../../src/catalog/index.js";
import type { Resource } from "../../src/inventory/types.js";
import { builtinCatalog, catalogFrom } from "./helpers.js";

function resource(fields: Partial<Resource> & { provider: string }): Resource {
  return { id: `${fields.provider}-${fields.region ?? "none"}-${Math.random()}`, tags: {}, ...fields };
}

const scanTime = new Date("2026-11-21T00:00:00Z");

describe("enrichment", () => {
  it("attaches the same facts to the given objects in place, or to copies by default", async () => {
    const catalog = await builtinCatalog();
    const inventory = [resource({ provider: "aws", region: "eu-west-1", type: "s3:bucket" })];
    const copied = enrichResources(inventory, catalog, { scanTime }).resources[0]!;
    expect(copied).not.toBe(inventory[0]);
    expect(inventory[0]).not.toHaveProperty("providerFacts");
    const inPlace = enrichResources(inventory, catalog, { scanTime, inPlace: true }).resources[0]!;
    expect(inPlace).toBe(inventory[0]);
    expect(inPlace).toEqual(copied);
    expect(inPlace.regionFacts).toMatchObject({ country: "IE" });
  });

  it("attaches provider, parent, region country, jurisdictions and operator", async () => {
    const catalog = await builtinCatalog();
    const { resources, diagnostics } = enrichResources(
      [
        resource({ provider: "aws", region: "cn-north-1" }),
        resource({ provider: "azure", region: "koreacentral" }),
      ],
      catalog,
      { scanTime },
    );
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.providerFacts).toMatchObject({ parent: "amazon", headquarters: "US", known: true });
    expect(resources[0]?.regionFacts).toMatchObject({
      country: "CN",
      chinaOperated: true,
      jurisdictions: ["US", "CN"],
    });
    expect(resources[0]?.regionFacts.operator).toMatch(/Sinnet/);
    expect(resources[1]?.regionFacts).toMatchObject({
      country: "KR",
      known: true,
      jurisdictions: ["US", "KR"],
    });
  });

  it("counts a certification only in its regions and while it is valid at scan time", async () => {
    const catalog = await builtinCatalog();
    const korea = resource({ provider: "azure", region: "koreacentral" });
    const virginia = resource({ provider: "azure", region: "eastus" });
    const ids = (time: string, r: Resource) =>
      enrichResources([r], catalog, { scanTime: new Date(time) }).resources[0]!.certifications.map(
        (c) => c.id,
      );
    expect(ids("2026-11-21T00:00:00Z", korea)).toContain("csap-low");
    expect(ids("2026-11-21T00:00:00Z", virginia)).not.toContain("csap-low");
    expect(ids("2024-11-30T23:59:59Z", korea)).not.toContain("csap-low");
    expect(ids("2024-12-01T00:00:00Z", korea)).toContain("csap-low");
  });

  it("drops an expired certification and a list entry that has lapsed", () => {
    const catalog = catalogFrom(`
schemes:
  c5: { name: C5, country: DE }
lists:
  clean: { name: Clean Network, jurisdiction: US }
providers:
  p:
    name: P
    parent: { id: pco, name: P Co, headquarters: CN }
    certifications:
      - { id: c5, validFrom: 2020-01-01, validUntil: 2023-01-01 }
    lists:
      - { list: clean, listed: 2020-08-05, until: 2021-01-20 }
`);
    const at = (time: string) =>
      enrichResources([resource({ provider: "p" })], catalog, { scanTime: new Date(time) });
    const during = at("2020-09-01T00:00:00Z").resources[0]!;
    expect(during.certifications.map((c) => c.id)).toEqual(["c5"]);
    expect(during.providerFacts.lists.map((l) => l.list)).toEqual(["clean"]);
    const after = at("2023-01-01T00:00:00Z").resources[0]!;
    expect(after.certifications).toEqual([]);
    expect(after.providerFacts.lists).toEqual([]);
    expect(at("2019-12-31T23:59:59Z").resources[0]!.certifications).toEqual([]);
  });

  it("marks unknown providers and regions, reports each once with a count, and still returns every resource", async () => {
    const catalog = await builtinCatalog();
    const inventory = [
      resource({ provider: "aws", region: "mars-north-1" }),
      resource({ provider: "aws", region: "mars-north-1" }),
      resource({ provider: "aws", region: "us-east-1" }),
      resource({ provider: "tinycloud", region: "x1" }),
      resource({ provider: "tinycloud", region: "x2" }),
      resource({ provider: "ibm", region: "us-south" }),
    ];
    const { resources, diagnostics } = enrichResources(inventory, catalog, { scanTime });
    expect(resources).toHaveLength(6);
    expect(resources[0]?.regionFacts).toMatchObject({ known: false, code: "mars-north-1" });
    expect(resources[0]?.regionFacts.country).toBeUndefined();
    expect(resources[3]?.providerFacts).toMatchObject({ known: false, parent: "tinycloud" });
    const byCode = diagnostics.map((d) => `${d.level} ${d.code}: ${d.message}`);
    expect(byCode).toEqual([
      expect.stringMatching(/^warning unknown-region: region "mars-north-1" of aws .*2 resources/),
      expect.stringMatching(/^warning unknown-provider: provider "tinycloud" .*2 resources/),
      expect.stringMatching(/^warning unknown-region: ibm has no region table .*1 resource in "us-south"/),
    ]);
  });

  it("handles global services and the organisation's own data centres explicitly", async () => {
    const catalog = catalogFrom(
      `
providers:
  onprem:
    name: Own data centres
    parent: { id: self, name: The organisation itself }
  aws:
    name: AWS
    parent: { id: amazon, name: Amazon, headquarters: US }
regions:
  onprem:
    dc-1: { country: DE }
`,
    );
    const { resources, diagnostics } = enrichResources(
      [
        resource({ provider: "aws", region: "global", type: "iam:role" }),
        resource({ provider: "onprem", region: "dc-1" }),
        resource({ provider: "onprem" }),
      ],
      catalog,
      { scanTime },
    );
    expect(resources[0]?.regionFacts).toMatchObject({
      code: "global",
      known: true,
      global: true,
      jurisdictions: ["US"],
    });
    expect(resources[1]?.providerFacts.parent).toBe("self");
    expect(resources[1]?.regionFacts).toMatchObject({ country: "DE", known: true, jurisdictions: ["DE"] });
    expect(diagnostics.map((d) => d.code)).toEqual(["unknown-resource-type", "missing-region"]);
  });

  it("shares fact objects between resources instead of copying them", async () => {
    const catalog = await builtinCatalog();
    const inventory = Array.from({ length: 1000 }, (_, index) =>
      resource({ provider: "aws", region: index % 2 ? "us-east-1" : "us-east-1a", type: "dynamodb:table" }),
    );
    const { resources } = enrichResources(inventory, catalog, { scanTime });
    expect(resources[0]?.providerFacts).toBe(resources[999]?.providerFacts);
    expect(resources[1]?.regionFacts).toBe(resources[999]?.regionFacts);
    expect(resources[1]?.certifications).toBe(resources[3]?.certifications);
    expect(resources[0]?.lockIn).toBe(resources[1]?.lockIn);
    expect(resources[0]?.regionFacts).toMatchObject({
      code: "us-east-1a",
      canonicalCode: "us-east-1",
      country: "US",
    });
  });

  it("lets a higher CSAP grade satisfy a lower requirement, not the reverse", async () => {
    const catalog = await builtinCatalog();
    const kt = enrichResources([resource({ provider: "kt" })], catalog, { scanTime }).resources[0]!;
    expect(satisfiesCertification(catalog, "csap-low", kt.certifications)).toBe(true);
    expect(satisfiesCertification(catalog, "csap-medium", kt.certifications)).toBe(true);
    expect(satisfiesCertification(catalog, "csap-high", kt.certifications)).toBe(false);
    expect(satisfiesCertification(catalog, "csap", kt.certifications)).toBe(true);
    expect(satisfiesCertification(catalog, "fedramp-high", kt.certifications)).toBe(false);
  });
});
