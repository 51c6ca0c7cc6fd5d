import { describe, expect, it } from "vitest";
import { ResourceBatchReader, ResourceBatchWriter } from "../../src/inventory/columns.js";
import { fixedShape, RELEASED_TAGS } from "../../src/inventory/normalize.js";
import type { Resource } from "../../src/inventory/types.js";

/** Filled by enrichment after the read: never sent by a reader thread. */
const ENRICHMENT_SLOTS = new Set(["providerFacts", "regionFacts", "certifications", "lockIn"]);
const LIST_FIELDS = new Set(["residency", "requiredCertifications", "hierarchy"]);
const MAP_FIELDS = new Set(["tags", "tagOrigins"]);

/** A resource with every field of the inventory's shape set, each to a value of its own. */
function everyFieldSet(index: number): Resource {
  const fields: Record<string, unknown> = {};
  for (const field of Object.keys(fixedShape({ id: "x", provider: "aws" }))) {
    if (ENRICHMENT_SLOTS.has(field)) continue;
    if (LIST_FIELDS.has(field)) fields[field] = [`${field}-a-${index}`, `${field}-b`];
    else if (MAP_FIELDS.has(field))
      fields[field] = { [`${field}-key`]: `${field}-value-${index}`, shared: "v" };
    else fields[field] = `${field}-${index}`;
  }
  return fixedShape(fields as unknown as Resource);
}

function roundTrip(resources: Resource[]): { resource: Resource; hash: number }[] {
  const writer = new ResourceBatchWriter();
  const reader = new ResourceBatchReader();
  const out: { resource: Resource; hash: number }[] = [];
  resources.forEach((resource, index) => {
    writer.add(resource, index * 7);
    // Several batches: the string table carries over from one to the next.
    if (index % 2 === 1)
      reader.read(structuredClone(writer.take().batch), (decoded, hash) =>
        out.push({ resource: decoded, hash }),
      );
  });
  reader.read(structuredClone(writer.take().batch), (decoded, hash) => out.push({ resource: decoded, hash }));
  return out;
}

describe("resource columns", () => {
  it("carry every field of the inventory's shape, in the same shape, across batches", () => {
    // A field added to the shape but not to the columns would be lost by every two-thread read.
    const resources = [0, 1, 2].map(everyFieldSet);
    const decoded = roundTrip(resources);
    expect(decoded.map(({ resource }) => resource)).toEqual(resources);
    expect(decoded.map(({ hash }) => hash)).toEqual([0, 7, 14]);
    for (const { resource } of decoded) expect(Object.keys(resource)).toEqual(Object.keys(resources[0]!));
  });

  it("keep unset fields unset and let-go tags let go", () => {
    const bare = fixedShape({ id: "a", provider: "gcp", tags: RELEASED_TAGS as Record<string, string> });
    const [decoded] = roundTrip([bare]);
    expect(decoded!.resource).toEqual(bare);
    expect(decoded!.resource.tags).toBe(RELEASED_TAGS);
    expect(decoded!.resource.residency).toBeUndefined();
  });
});
