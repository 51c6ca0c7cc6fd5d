import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRegion, loadCatalog, parentOf } from "../../src/catalog/index.js";
import { LandlordError } from "../../src/diagnostics.js";
import { catalogFrom } from "./helpers.js";

const fixture = path.join(import.meta.dirname, "fixtures/private-dc-and-regional-provider.yaml");

async function loadError(text: string): Promise<LandlordError> {
  try {
    catalogFrom(BASE, text);
  } catch (error) {
    if (error instanceof LandlordError) return error;
    throw error;
  }
  throw new Error("expected the catalog to be rejected");
}

const BASE = `
segments:
  retail: { name: Retail }
laws:
  us-cloud-act: { name: CLOUD Act, jurisdiction: US, compelsAccess: true }
schemes:
  csap: { name: CSAP, country: KR, levels: [low, medium, high], publicSector: true }
lists:
  us-entity-list: { name: Entity List, jurisdiction: US }
providers:
  aws:
    name: AWS
    parent: { id: amazon, name: Amazon, headquarters: US }
regions:
  aws:
    us-east-1: { country: US }
`;

describe("override file", () => {
  it("adds a private data centre, a regional provider and a certification, and says which layer decided", async () => {
    const catalog = await loadCatalog({ overrideFile: fixture });
    expect(catalog.version).toMatch(/\+override$/);
    expect(catalog.files.override).toBe(fixture);

    const dc = findRegion(catalog, "onprem", "fra1");
    expect(dc).toMatchObject({ code: "dc-frankfurt", country: "DE", layer: "override" });
    expect(catalog.providers.get("onprem")?.certifications?.[0]).toMatchObject({
      id: "csap-high",
      layer: "override",
    });

    const regional = catalog.providers.get("seoul-hosting");
    expect(regional).toMatchObject({ parent: "seoul-hosting-co", headquarters: "KR", layer: "override" });
    expect(regional?.competingSegments[0]).toMatchObject({ segment: "insurance", layer: "override" });
    expect(catalog.segments.get("insurance")?.layer).toBe("override");
  });

  it("changes builtin facts field by field and keeps the rest builtin", async () => {
    const catalog = await loadCatalog({ overrideFile: fixture });
    const aws = catalog.providers.get("aws");
    expect(aws?.competingSegments.map((s) => s.segment)).not.toContain("music");
    expect(aws?.competingSegments.find((s) => s.segment === "grocery")?.layer).toBe("builtin");
    expect(aws?.certifications?.find((c) => c.id === "csap-low")).toMatchObject({
      layer: "override",
      level: "low",
    });
    expect(findRegion(catalog, "aws", "me-central-1")).toMatchObject({
      country: "AE",
      city: "Dubai",
      layer: "override",
    });
    const sqs = catalog.services.find((s) => s.id === "aws-sqs");
    expect(sqs).toMatchObject({ class: "moderate", service: "Amazon SQS", layer: "override" });
  });

  it("counts an Amazon-owned entry under the same parent as aws", async () => {
    const catalog = await loadCatalog({ overrideFile: fixture });
    expect(parentOf(catalog, "whole-foods-it")).toBe("amazon");
    expect(parentOf(catalog, "aws")).toBe("amazon");
    expect(catalog.providers.get("whole-foods-it")?.accessLaws.map((law) => law.id)).toContain(
      "us-cloud-act",
    );
    expect(parentOf(catalog, "no-such-provider")).toBe("no-such-provider");
  });

  it("rejects an unknown key with file, line and column", async () => {
    const error = await loadError("providers:\n  aws:\n    name: AWS\n    hq: US\n");
    expect(error.code).toBe("invalid-catalog");
    expect(error.details[0]?.message).toMatch(/unknown key "hq"/);
    expect(error.details[0]?.location).toMatchObject({ file: "layer-1.yaml", line: 4, column: 5 });
  });

  it("points at the line of a bad date", async () => {
    const error = await loadError(
      "providers:\n  aws:\n    certifications:\n      - id: csap-low\n        validFrom: 2024-13-40\n",
    );
    expect(error.details[0]?.message).toMatch(/validFrom/);
    expect(error.details[0]?.location).toMatchObject({ line: 5, column: 9 });
  });

  it("rejects references to unknown segments, certifications, regions and parents, naming the line", async () => {
    const error = await loadError(
      [
        "providers:",
        "  aws:",
        "    segments:",
        "      - { segment: groceries, evidence: typo }",
        "    certifications:",
        "      - { id: csap-platinum }",
        "      - { id: csap-low, regions: [us-east-9] }",
        "  newco:",
        "    name: New Co",
        "    parent: nobody",
        "regions:",
        "  newco:",
        "    r1: { city: Nowhere }",
      ].join("\n"),
    );
    const lines = error.details.map((detail) => `${detail.location?.line}: ${detail.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^13: region "r1" of newco needs a country/),
        expect.stringMatching(/^4: unknown segment "groceries"/),
        expect.stringMatching(/^6: unknown certification "csap-platinum"/),
        expect.stringMatching(/^7: unknown region "us-east-9" of aws/),
        expect.stringMatching(/^10: parent: unknown parent company "nobody"/),
      ]),
    );
  });

  it("requires a name and a parent for a new provider", async () => {
    const error = await loadError("providers:\n  newco:\n    segments: []\n");
    expect(error.details.map((d) => d.message).join("\n")).toMatch(/needs a name[\s\S]*needs a parent/);
    expect(error.details[0]?.location?.line).toBe(2);
  });

  it("reports YAML syntax errors with their line", async () => {
    expect(() => catalogFrom(BASE, "providers:\n  aws: [\n")).toThrow(LandlordError);
  });

  it("names a missing override file", async () => {
    await expect(loadCatalog({ overrideFile: "/nonexistent/catalog.yaml" })).rejects.toMatchObject({
      code: "file-not-readable",
    });
  });
});

describe("docs/catalog.md", () => {
  it("has an override example that loads", async () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, "../../docs/catalog.md"), "utf8");
    const example = /```yaml\n(# catalog\.yaml\n[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "landlord-docs-")), "catalog.yaml");
    writeFileSync(file, example!);
    const catalog = await loadCatalog({ overrideFile: file });
    expect(parentOf(catalog, "whole-foods-it")).toBe("amazon");
    expect(findRegion(catalog, "onprem", "FRA1")?.country).toBe("DE");
  });
});
