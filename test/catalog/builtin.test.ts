import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { countryOfRegion, findRegion, regionsOf } from "../../src/catalog/index.js";
import { builtinCatalog, referenceDir } from "./helpers.js";

const SPEC_PROVIDERS = [
  "aws",
  "azure",
  "gcp",
  "oracle",
  "ibm",
  "alibaba",
  "tencent",
  "huawei",
  "baidu",
  "naver",
  "kt",
  "nhn",
  "ovh",
  "hetzner",
  "digitalocean",
  "cloudflare",
  "akamai",
  "heroku",
  "sap",
  "onprem",
];
const SPEC_SEGMENTS = [
  "retail",
  "e-commerce",
  "grocery",
  "streaming-video",
  "music",
  "gaming",
  "advertising",
  "search",
  "social-media",
  "messaging",
  "payments",
  "banking",
  "logistics",
  "food-delivery",
  "devices",
  "healthcare",
  "pharmacy",
  "automotive",
  "telecom",
  "travel",
  "enterprise-software",
  "ai-models",
  "consulting",
];

describe("builtin catalog", () => {
  it("loads and validates, with a version", async () => {
    const catalog = await builtinCatalog();
    expect(catalog.version).toMatch(/^\d{4}\.\d+\.\d+$/);
  });

  it("has every provider of the SPEC with a parent and, except onprem, a headquarters country", async () => {
    const catalog = await builtinCatalog();
    for (const id of SPEC_PROVIDERS) {
      const provider = catalog.providers.get(id);
      expect(provider, id).toBeDefined();
      expect(provider?.parentName, id).not.toBe("");
      if (id !== "onprem") expect(provider?.headquarters, id).toMatch(/^[A-Z]{2}$/);
    }
    expect(catalog.providers.get("onprem")?.parent).toBe("self");
  });

  it("has the SPEC segment vocabulary", async () => {
    const catalog = await builtinCatalog();
    for (const id of SPEC_SEGMENTS) expect(catalog.segments.has(id), id).toBe(true);
  });

  it("keeps a source and a confidence for every segment, list entry and certification", async () => {
    const catalog = await builtinCatalog();
    for (const provider of catalog.providers.values()) {
      for (const fact of [
        ...provider.competingSegments,
        ...provider.lists,
        ...(provider.certifications ?? []),
      ]) {
        expect(fact.source, `${provider.id}: ${JSON.stringify(fact)}`).toBeTruthy();
        expect(fact.confidence, `${provider.id}: ${JSON.stringify(fact)}`).toBeTruthy();
        expect(fact.layer).toBe("builtin");
      }
    }
  });

  it("records the cases of the SPEC: Amazon in grocery since 2017, Alphabet in streaming video", async () => {
    const catalog = await builtinCatalog();
    const grocery = catalog.providers.get("aws")?.competingSegments.find((s) => s.segment === "grocery");
    expect(grocery).toMatchObject({ since: 2017, confidence: "verified" });
    expect(grocery?.evidence).toMatch(/Whole Foods/);
    expect(catalog.providers.get("aws")?.competingSegments.map((s) => s.segment)).toContain(
      "streaming-video",
    );
    expect(catalog.providers.get("gcp")?.competingSegments.map((s) => s.segment)).toContain(
      "streaming-video",
    );
    expect(catalog.providers.get("azure")?.competingSegments.map((s) => s.segment)).not.toContain("retail");
  });

  it("gives US providers the CLOUD Act and Chinese providers the National Intelligence Law", async () => {
    const catalog = await builtinCatalog();
    expect(catalog.providers.get("aws")?.accessLaws.map((law) => law.id)).toEqual([
      "us-cloud-act",
      "us-fisa-702",
    ]);
    expect(catalog.providers.get("alibaba")?.accessLaws.map((law) => law.id)).toContain(
      "cn-national-intelligence-law",
    );
    expect(catalog.providers.get("ovh")?.accessLaws).toEqual([]);
  });

  it("dates the restricted lists", async () => {
    const catalog = await builtinCatalog();
    const huawei = catalog.providers.get("huawei")?.lists ?? [];
    expect(huawei.find((entry) => entry.list === "us-fcc-covered-list")).toMatchObject({
      jurisdiction: "US",
      listed: "2021-03-12",
      name: "FCC Covered List",
    });
    expect(catalog.providers.get("tencent")?.lists.find((e) => e.list === "us-dod-1260h")?.listed).toBe(
      "2025-01-06",
    );
  });

  it("maps Korea's public sector to CSAP with three grades", async () => {
    const catalog = await builtinCatalog();
    expect(catalog.publicSectorSchemes.get("KR")).toMatchObject({
      id: "csap",
      levels: ["low", "medium", "high"],
    });
    expect(catalog.providers.get("azure")?.certifications?.find((c) => c.id === "csap-low")).toMatchObject({
      scheme: "csap",
      level: "low",
      country: "KR",
      regions: ["koreacentral", "koreasouth"],
    });
  });

  it("flags China-operated regions with their operator of record, and government and closed regions", async () => {
    const catalog = await builtinCatalog();
    expect(findRegion(catalog, "aws", "cn-north-1")).toMatchObject({
      country: "CN",
      chinaOperated: true,
      operatorJurisdiction: "CN",
      jurisdictions: ["US", "CN"],
    });
    expect(findRegion(catalog, "aws", "cn-north-1")?.operator).toMatch(/Sinnet/);
    expect(findRegion(catalog, "aws", "cn-northwest-1")?.operator).toMatch(/NWCD/);
    expect(findRegion(catalog, "azure", "chinanorth3")?.operator).toMatch(/21Vianet/);
    expect(findRegion(catalog, "azure", "usgovvirginia")?.government).toBe(true);
    expect(findRegion(catalog, "azure", "germanycentral")).toMatchObject({ closed: true, sovereign: true });
    expect(findRegion(catalog, "aws", "eusc-de-east-1")?.sovereign).toBe(true);
    expect(findRegion(catalog, "alibaba", "ap-southeast-2")?.closed).toBe(true);
    expect(findRegion(catalog, "aws", "eu-isoe-west-1")?.confidence).toBe("uncertain");
  });

  it("resolves zones and display spellings to their region", async () => {
    const catalog = await builtinCatalog();
    expect(countryOfRegion(catalog, "aws", "ap-northeast-2a")).toBe("KR");
    expect(countryOfRegion(catalog, "gcp", "asia-northeast3-b")).toBe("KR");
    expect(countryOfRegion(catalog, "azure", "Korea Central")).toBe("KR");
    expect(countryOfRegion(catalog, "aws", "mars-north-1")).toBeUndefined();
  });
});

const reference = referenceDir();

describe.skipIf(!reference)("reference region lists (../shared/reference/regions)", () => {
  const files = reference
    ? readdirSync(path.join(reference, "regions")).filter((f) => f.endsWith(".csv"))
    : [];

  it("covers the seven providers", () => {
    expect(files.sort()).toEqual([
      "alibaba.csv",
      "aws.csv",
      "azure.csv",
      "gcp.csv",
      "huawei.csv",
      "oracle.csv",
      "tencent.csv",
    ]);
  });

  for (const file of files) {
    it(`resolves every region of ${file} to its country and city`, async () => {
      const catalog = await builtinCatalog();
      const rows = parse(readFileSync(path.join(reference!, "regions", file), "utf8"), { columns: true }) as {
        provider: string;
        region_code: string;
        country_iso2: string;
        city: string;
      }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const region = findRegion(catalog, row.provider, row.region_code);
        expect(region?.country, `${row.provider} ${row.region_code}`).toBe(row.country_iso2);
        if (row.city) expect(region?.city, `${row.provider} ${row.region_code}`).toBe(row.city);
      }
      // Every reference row is there; the catalog may add more (GCP multi-regions, for one).
      expect(regionsOf(catalog, rows[0]!.provider).length).toBeGreaterThanOrEqual(rows.length);
    });
  }
});
