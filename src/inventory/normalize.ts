/**
 * Turns raw records from any source into normalized {@link Resource}s: validates the fields of
 * SPEC 2.2 and derives classification, workload, environment, criticality, sector, residency and
 * required certifications from tags (the profile's tag keys) unless they are set directly.
 */
import type { Diagnostic, SourceLocation } from "../diagnostics.js";
import type { DerivedAttribute, Resource } from "./types.js";

/** Tag keys per derived attribute, lower-cased (from the profile). */
export type TagKeys = Readonly<Record<DerivedAttribute, readonly string[]>>;

/** Attributes whose values compare case-insensitively and are stored lower-cased. */
const LOWER_CASED = ["classification", "environment", "criticality", "sector"] as const;

/** Problem with one record: the record is skipped and the message becomes an error. */
export class RecordError extends Error {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** Fields a record may set as plain strings or string lists: the columns CSV accepts too. */
export const FLAT_RESOURCE_FIELDS = [
  "id",
  "provider",
  "region",
  "account",
  "type",
  "name",
  "vendor",
  "classification",
  "workload",
  "environment",
  "criticality",
  "sector",
  "residency",
  "requiredCertifications",
  "kind",
] as const;

const KNOWN_FIELDS = new Set<string>([...FLAT_RESOURCE_FIELDS, "tags", "source", "tagOrigins", "hierarchy"]);

/**
 * Validates one raw inventory record (from JSON, YAML or JSONL) and returns a Resource.
 * Throws {@link RecordError} naming the field when the record cannot be used.
 */
export function recordToResource(record: unknown): Resource {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new RecordError("expected an object with at least `id` and `provider`");
  }
  const raw = record as Record<string, unknown>;
  if (isWellFormed(raw)) {
    // The record is used as the resource itself: a copy would keep two objects per resource alive
    // through the read, and a million of them are most of the read's time and memory.
    const provider = raw["provider"] as string;
    const lower = lowerCased(provider);
    if (lower !== provider) raw["provider"] = lower;
    if (raw["tags"] === undefined) raw["tags"] = {};
    return raw as unknown as Resource;
  }
  for (const key in raw) {
    if (!KNOWN_FIELDS.has(key)) throw new RecordError(`unknown field "${key}"`, key);
  }
  const resource: Resource = {
    id: requiredString(raw, "id"),
    provider: requiredString(raw, "provider").toLowerCase(),
    tags: tagRecord(raw["tags"]),
  };
  for (const key of [
    "region",
    "account",
    "type",
    "name",
    "vendor",
    "classification",
    "workload",
    "environment",
    "criticality",
    "sector",
    "kind",
    "source",
  ] as const) {
    const value = raw[key];
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "number") resource[key] = String(value);
    else if (typeof value === "string") resource[key] = value;
    else throw new RecordError(`"${key}" must be a string`, key);
  }
  for (const key of ["residency", "requiredCertifications", "hierarchy"] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    resource[key] = stringList(value, key);
  }
  if (raw["tagOrigins"] !== undefined) resource.tagOrigins = tagRecord(raw["tagOrigins"], "tagOrigins");
  return resource;
}

/**
 * Whether a parsed record is a resource as it is, but for a provider to lower-case and missing tags:
 * every field known and of its final type, no empty optional value. Allocates nothing; anything
 * else takes the copying path, which also names the problem.
 */
function isWellFormed(raw: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(raw) !== Object.prototype) return false;
  let required = 0;
  for (const key in raw) {
    const value = raw[key];
    switch (key) {
      case "id":
      case "provider":
        if (typeof value !== "string" || value === "" || value.trim() !== value) return false;
        required++;
        break;
      case "region":
      case "account":
      case "type":
      case "name":
      case "vendor":
      case "classification":
      case "workload":
      case "environment":
      case "criticality":
      case "sector":
      case "kind":
      case "source":
        if (typeof value !== "string" || value === "") return false;
        break;
      case "residency":
      case "requiredCertifications":
      case "hierarchy":
        if (!isStringList(value)) return false;
        break;
      case "tags":
      case "tagOrigins":
        if (!isStringMap(value)) return false;
        break;
      default:
        return false;
    }
  }
  return required === 2;
}

function isStringList(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

function isStringMap(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  for (const key in value) {
    if (typeof (value as Record<string, unknown>)[key] !== "string" || key === "__proto__") return false;
  }
  return true;
}

function requiredString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value === "number") return String(value);
  if (typeof value !== "string" || value.trim() === "") {
    throw new RecordError(`"${key}" is required and must be a non-empty string`, key);
  }
  return value.trim();
}

function tagRecord(value: unknown, field = "tags"): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    // AWS style [{ Key, Value }] lists are common in exported inventories.
    const tags: Record<string, string> = {};
    for (const entry of value) {
      const key = (entry as { Key?: unknown; key?: unknown })?.Key ?? (entry as { key?: unknown })?.key;
      const tagValue =
        (entry as { Value?: unknown; value?: unknown })?.Value ?? (entry as { value?: unknown })?.value;
      if (typeof key !== "string") throw new RecordError(`"${field}" entries need a string Key`, field);
      tags[key] = tagValue === undefined || tagValue === null ? "" : String(tagValue);
    }
    return tags;
  }
  if (typeof value !== "object") throw new RecordError(`"${field}" must be a map of strings`, field);
  // The common case, a fresh plain object of strings from the parser, is used as it is: copying
  // it would double the allocation of the largest part of every record.
  if (Object.getPrototypeOf(value) === Object.prototype) {
    let allStrings = true;
    for (const key in value) {
      if (typeof (value as Record<string, unknown>)[key] !== "string" || key === "__proto__") {
        allStrings = false;
        break;
      }
    }
    if (allStrings) return value as Record<string, string>;
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value as Record<string, unknown>)) {
    if (tagValue !== null && typeof tagValue === "object") {
      throw new RecordError(`"${field}.${key}" must be a string`, `${field}.${key}`);
    }
    tags[key] = tagValue === undefined || tagValue === null ? "" : String(tagValue);
  }
  return tags;
}

function stringList(value: unknown, field: string): string[] {
  if (typeof value === "string") return splitList(value);
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new RecordError(`"${field}" must be a list of strings`, field);
  }
  return value as string[];
}

/** Splits `KR, JP` or `KR;JP` into trimmed non-empty parts. */
export function splitList(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/**
 * Fills the derived attributes from tags (first matching tag key wins, keys case-insensitive),
 * lower-cases the case-insensitive ones, and upper-cases residency country codes. Mutates and
 * returns `resource`; called once per resource on the hot path, so it avoids allocation.
 */
export function deriveAttributes(resource: Resource, tagKeys: TagKeys): Resource {
  const tags = resource.tags;
  // Profile tag keys are lower-case, so when every tag key is too, the case-insensitive lookup finds
  // exactly what the exact lookup found and the lower-cased map is never needed.
  let lowerTags: Map<string, string> | undefined;
  let mixedCase = false;
  for (const key in tags) {
    if (lowerCased(key) !== key) {
      mixedCase = true;
      break;
    }
  }
  const tagValue = (attribute: DerivedAttribute): string | undefined => {
    const keys = tagKeys[attribute];
    for (const key of keys) {
      const value = tags[key];
      if (value !== undefined && value !== "") return value;
    }
    if (!mixedCase) return undefined;
    if (lowerTags === undefined) {
      lowerTags = new Map();
      for (const [key, value] of Object.entries(tags)) {
        const lower = lowerCased(key);
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
    if (value !== undefined) resource[attribute] = lowerCased(value);
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

/**
 * Lower-cased strings, remembered: tag keys and attribute values repeat across millions of
 * resources, and sharing one string per distinct value also keeps the inventory smaller in memory.
 */
const LOWER_CASE_CACHE = new Map<string, string>();
const LOWER_CASE_CACHE_LIMIT = 50_000;

function lowerCased(text: string): string {
  let lower = LOWER_CASE_CACHE.get(text);
  if (lower === undefined) {
    lower = text.toLowerCase();
    if (LOWER_CASE_CACHE.size < LOWER_CASE_CACHE_LIMIT) LOWER_CASE_CACHE.set(text, lower);
  }
  return lower;
}

/**
 * Merges resources whose id repeats within one provider (SPEC 2.2: one resource, not two). Later
 * records fill fields the first one lacks and add tags; one diagnostic per source reports the count.
 */
export function mergeDuplicates(resources: Resource[]): { resources: Resource[]; diagnostics: Diagnostic[] } {
  // One map per provider: no composite key string to build for each of a million resources.
  const byProvider = new Map<string, Map<string, Resource>>();
  const duplicatesBySource = new Map<string, { count: number; example: string }>();
  const merged: Resource[] = [];
  for (const resource of resources) {
    let byId = byProvider.get(resource.provider);
    if (byId === undefined) {
      byId = new Map();
      byProvider.set(resource.provider, byId);
    }
    const existing = byId.get(resource.id);
    if (existing === undefined) {
      byId.set(resource.id, resource);
      merged.push(resource);
      continue;
    }
    const source = resource.source ?? "inventory";
    const entry = duplicatesBySource.get(source) ?? { count: 0, example: resource.id };
    entry.count++;
    duplicatesBySource.set(source, entry);
    for (const [field, value] of Object.entries(resource) as [keyof Resource, unknown][]) {
      if (field === "tags") continue;
      if (existing[field] === undefined && value !== undefined) {
        (existing as unknown as Record<string, unknown>)[field] = value;
      }
    }
    for (const [tag, value] of Object.entries(resource.tags)) {
      if (!(tag in existing.tags)) existing.tags[tag] = value;
    }
  }
  const diagnostics: Diagnostic[] = [...duplicatesBySource].map(([source, { count, example }]) => ({
    level: "warning",
    code: "duplicate-resource",
    message: `${count} resource record${count === 1 ? "" : "s"} repeated an id already seen for the same provider (e.g. ${example}); merged into one resource each`,
    source,
  }));
  return { resources: merged, diagnostics };
}

/** A location for a record-level problem. */
export function recordLocation(file: string, line?: number, field?: string): SourceLocation {
  const location: SourceLocation = { file };
  if (line !== undefined) location.line = line;
  if (field !== undefined) location.field = field;
  return location;
}
