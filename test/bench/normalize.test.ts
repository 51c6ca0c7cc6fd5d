/**
 * The inventory's hot path was optimised for million-resource scans (bench/README.md); these
 * properties hold it to the straightforward implementation it replaced, on arbitrary records.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deriveAttributes,
  mergeDuplicates,
  recordToResource,
  splitList,
  type TagKeys,
} from "../../src/inventory/normalize.js";
import type { DerivedAttribute, Resource } from "../../src/inventory/types.js";
import { DEFAULT_TAG_KEYS } from "../../src/profile/schema.js";

const TAG_KEYS = Object.fromEntries(
  Object.entries(DEFAULT_TAG_KEYS).map(([attribute, keys]) => [
    attribute,
    keys.map((key) => key.toLowerCase()),
  ]),
) as unknown as TagKeys;

const LOWER_CASED = ["classification", "environment", "criticality", "sector"] as const;

/** The implementation before the optimisation, kept verbatim as the oracle. */
function referenceDeriveAttributes(resource: Resource, tagKeys: TagKeys): Resource {
  let lowerTags: Map<string, string> | undefined;
  const tagValue = (attribute: DerivedAttribute): string | undefined => {
    const keys = tagKeys[attribute];
    // Fast path: exact key match without building the lower-cased map.
    for (const key of keys) {
      const value = resource.tags[key];
      if (value !== undefined && value !== "") return value;
    }
    if (lowerTags === undefined) {
      lowerTags = new Map();
      for (const [key, value] of Object.entries(resource.tags)) {
        const lower = key.toLowerCase();
        if (!lowerTags.has(lower)) lowerTags.set(lower, value);
      }
    }
    for (const key of keys) {
      const value = lowerTags.get(key);
      if (value !== undefined && value !== "") return value;
    }
    return undefined;
  };

  for (const attribute of ["classification", "workload", "environment", "criticality", "sector"] as const) {
    if (resource[attribute] === undefined) {
      const value = tagValue(attribute);
      if (value !== undefined) resource[attribute] = value.trim();
    }
  }
  for (const attribute of LOWER_CASED) {
    const value = resource[attribute];
    if (value !== undefined) resource[attribute] = value.toLowerCase();
  }
  if (resource.residency === undefined) {
    const value = tagValue("residency");
    if (value !== undefined) resource.residency = splitList(value);
  }
  if (resource.residency) resource.residency = resource.residency.map((code) => code.toUpperCase());
  if (resource.requiredCertifications === undefined) {
    const value = tagValue("certification");
    if (value !== undefined) resource.requiredCertifications = splitList(value);
  }
  if (resource.requiredCertifications) {
    resource.requiredCertifications = resource.requiredCertifications.map((id) => id.toLowerCase());
  }
  return resource;
}

const tagKey = fc.oneof(
  fc.constantFrom(
    "env",
    "Env",
    "ENVIRONMENT",
    "app",
    "App",
    "data-classification",
    "Data-Classification",
    "tier",
  ),
  fc.constantFrom(
    "criticality",
    "Criticality",
    "sector",
    "residency",
    "Data-Residency",
    "compliance",
    "owner",
  ),
  fc.string({ maxLength: 6 }),
);
const tagValue = fc.oneof(
  fc.constantFrom("", " Prod ", "CONFIDENTIAL", "kr, jp", "Public", "csap-High"),
  fc.string({ maxLength: 8 }),
);
const record = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 8 }).filter((id) => id.trim() !== ""),
    provider: fc.constantFrom("aws", "AWS", "azure", "gcp"),
    tags: fc.dictionary(tagKey, tagValue, { maxKeys: 8 }),
    environment: fc.constantFrom("Prod", "dev"),
    classification: fc.constantFrom("PII", "internal"),
    residency: fc.constantFrom("kr", "de,fr"),
  },
  { requiredKeys: ["id", "provider", "tags"] },
);

describe("optimised inventory normalisation", () => {
  it("derives the same attributes as the reference implementation", () => {
    fc.assert(
      fc.property(record, (raw) => {
        const fast = deriveAttributes(recordToResource(structuredClone(raw)), TAG_KEYS);
        const reference = referenceDeriveAttributes(recordToResource(structuredClone(raw)), TAG_KEYS);
        expect(fast).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps tags whose values are not strings as strings, and rejects nested ones", () => {
    expect(
      recordToResource({ id: "a", provider: "aws", tags: { port: 443, on: true, none: null } }).tags,
    ).toEqual({
      port: "443",
      on: "true",
      none: "",
    });
    expect(() => recordToResource({ id: "a", provider: "aws", tags: { nested: { x: 1 } } })).toThrow(
      /tags.nested/,
    );
  });

  it("merges repeated ids per provider, keeping ids of different providers apart", () => {
    const resources: Resource[] = [
      { id: "x", provider: "aws", tags: { a: "1" }, source: "one.jsonl" },
      { id: "x", provider: "azure", tags: {}, source: "one.jsonl" },
      { id: "x", provider: "aws", tags: { a: "2", b: "3" }, region: "eu-west-1", source: "two.jsonl" },
      { id: "x", provider: "azure", tags: { c: "4" }, source: "two.jsonl" },
    ];
    const { resources: merged, diagnostics } = mergeDuplicates(resources);
    expect(merged).toEqual([
      { id: "x", provider: "aws", tags: { a: "1", b: "3" }, region: "eu-west-1", source: "one.jsonl" },
      { id: "x", provider: "azure", tags: { c: "4" }, source: "one.jsonl" },
    ]);
    expect(diagnostics.map((d) => [d.source, d.message.split(" ")[0]])).toEqual([["two.jsonl", "2"]]);
  });

  it("keeps the first record of every (provider, id) and only that, whatever the ids", () => {
    const ids = fc.oneof(
      fc.constantFrom("x", "y", "arn:aws:s3:::a", "arn:aws:s3:::b"),
      fc.string({ maxLength: 6 }).filter((id) => id !== ""),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: ids, provider: fc.constantFrom("aws", "azure", "gcp") }), {
          maxLength: 3000,
        }),
        (records) => {
          const resources: Resource[] = records.map((record, index) => ({
            ...record,
            tags: {},
            name: `record-${index}`,
          }));
          const firsts = new Map<string, string>();
          for (const resource of resources) {
            const key = `${resource.provider}\0${resource.id}`;
            if (!firsts.has(key)) firsts.set(key, resource.name!);
          }
          const { resources: merged } = mergeDuplicates(resources);
          expect(merged.map((resource) => resource.name)).toEqual([...firsts.values()]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
