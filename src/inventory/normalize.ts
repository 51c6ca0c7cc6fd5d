/**
 * Turns raw records from any source into normalized {@link Resource}s: validates the fields of
 * SPEC 2.2 and derives classification, workload, environment, criticality, sector, residency and
 * required certifications from tags (the profile's tag keys) unless they are set directly.
 */
import type { Diagnostic, SourceLocation } from "../diagnostics.js";
import type { DerivedAttribute, Resource } from "./types.js";

/** Tag keys per derived attribute, lower-cased (from the profile). */
export type TagKeys = Readonly<Record<DerivedAttribute, readonly string[]>>;

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
  if (isWellFormed(raw)) return fixedShape(raw as unknown as Resource);
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
  return fixedShape(resource);
}

/**
 * The resource as an object of one fixed shape: every field of the inventory, and the slots
 * enrichment fills later, present from the start in the same order (unset ones undefined). A
 * million resources parsed from JSON come in as many shapes as their records have field orders,
 * and every stage after the read would otherwise reach their fields through slow, shape-generic
 * lookups and grow each object's property storage as fields are derived and attached.
 */
export function fixedShape(resource: Resource): Resource {
  const fixed = {
    id: resource.id,
    provider: lowerCased(resource.provider),
    region: resource.region,
    account: resource.account,
    type: resource.type,
    name: resource.name,
    tags: resource.tags ?? {},
    vendor: resource.vendor,
    classification: resource.classification,
    workload: resource.workload,
    environment: resource.environment,
    criticality: resource.criticality,
    sector: resource.sector,
    residency: resource.residency,
    requiredCertifications: resource.requiredCertifications,
    kind: resource.kind,
    source: resource.source,
    tagOrigins: resource.tagOrigins,
    hierarchy: resource.hierarchy,
    // Filled by enrichment (src/catalog/enrich.ts).
    providerFacts: undefined,
    regionFacts: undefined,
    certifications: undefined,
    lockIn: undefined,
  };
  return fixed as unknown as Resource;
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
  // exactly what the exact lookup found and no lower-cased map is needed (the common case).
  let lowerTags: Map<string, string> | undefined;
  for (const key in tags) {
    if (key.toLowerCase() !== key) {
      lowerTags = lowerCasedTags(tags);
      break;
    }
  }
  const classification = caseless(resource.classification, tags, lowerTags, tagKeys.classification);
  if (classification !== undefined) resource.classification = classification;
  const workload = resource.workload ?? tagValue(tags, lowerTags, tagKeys.workload)?.trim();
  if (workload !== undefined) resource.workload = shared(workload);
  // Regions, accounts and types repeat across thousands of resources: one string each keeps the
  // inventory smaller, lets the parsed copies die young, and every later lookup by them finds the
  // string's hash already computed.
  if (resource.region !== undefined) resource.region = shared(resource.region);
  if (resource.account !== undefined) resource.account = shared(resource.account);
  if (resource.type !== undefined) resource.type = shared(resource.type);
  const environment = caseless(resource.environment, tags, lowerTags, tagKeys.environment);
  if (environment !== undefined) resource.environment = environment;
  const criticality = caseless(resource.criticality, tags, lowerTags, tagKeys.criticality);
  if (criticality !== undefined) resource.criticality = criticality;
  const sector = caseless(resource.sector, tags, lowerTags, tagKeys.sector);
  if (sector !== undefined) resource.sector = sector;
  if (resource.residency === undefined) {
    const value = tagValue(tags, lowerTags, tagKeys.residency);
    if (value !== undefined) resource.residency = splitList(value);
  }
  if (resource.residency) resource.residency = resource.residency.map((code) => code.toUpperCase());
  if (resource.requiredCertifications === undefined) {
    const value = tagValue(tags, lowerTags, tagKeys.certification);
    if (value !== undefined) resource.requiredCertifications = splitList(value);
  }
  if (resource.requiredCertifications) {
    resource.requiredCertifications = resource.requiredCertifications.map((id) => id.toLowerCase());
  }
  return resource;
}

/**
 * A case-insensitive attribute, lower-cased: as set on the resource, else from its tag (trimmed);
 * the tags are looked at only when the attribute is unset.
 */
function caseless(
  set: string | undefined,
  tags: Record<string, string>,
  lowerTags: Map<string, string> | undefined,
  keys: readonly string[],
): string | undefined {
  if (set !== undefined) return lowerCased(set);
  const fromTag = tagValue(tags, lowerTags, keys);
  return fromTag === undefined ? undefined : lowerCased(fromTag.trim());
}

/** The first non-empty value of the attribute's tag keys: exact keys first, then case-insensitive. */
function tagValue(
  tags: Record<string, string>,
  lowerTags: Map<string, string> | undefined,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = tags[key];
    if (value !== undefined && value !== "") return value;
  }
  if (lowerTags === undefined) return undefined;
  for (const key of keys) {
    const value = lowerTags.get(key);
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/** Tags by lower-cased key; the first of keys equal but for case wins. */
function lowerCasedTags(tags: Record<string, string>): Map<string, string> {
  const lower = new Map<string, string>();
  for (const key in tags) {
    const lowerKey = lowerCased(key);
    if (!lower.has(lowerKey)) lower.set(lowerKey, tags[key]!);
  }
  return lower;
}

/** The tags of every resource whose tags were let go (see {@link releaseTags}); never written to. */
export const RELEASED_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Lets go of a resource's tags once its attributes are derived, for scans whose rules never read
 * tags: they are the largest part of most records, and a scan that drops them as each record is
 * read keeps far less in memory. Tags named in `tagOrigins` stay (the inventory export shows them).
 */
export function releaseTags(resource: Resource): Resource {
  const origins = resource.tagOrigins;
  if (origins === undefined) {
    resource.tags = RELEASED_TAGS as Record<string, string>;
    return resource;
  }
  const kept: Record<string, string> = {};
  for (const key in origins) {
    const value = resource.tags[key];
    if (value !== undefined) kept[key] = value;
  }
  resource.tags = kept;
  return resource;
}

/** One string per distinct value of the repeating fields (see {@link shared}). */
const SHARED_STRINGS = new Map<string, string>();
const SHARED_STRINGS_LIMIT = 200_000;

/** The first string seen equal to `text`, while the table has room; `text` itself after that. */
function shared(text: string): string {
  const known = SHARED_STRINGS.get(text);
  if (known !== undefined) return known;
  if (SHARED_STRINGS.size < SHARED_STRINGS_LIMIT) SHARED_STRINGS.set(text, text);
  return text;
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
  // One map by id: ids rarely repeat across providers, so those that do go to a second map per
  // provider, and the common case costs one lookup and no composite key string per resource.
  const byId = new Map<string, Resource>();
  let byProvider: Map<string, Map<string, Resource>> | undefined;
  const duplicatesBySource = new Map<string, { count: number; example: string }>();
  const merged: Resource[] = [];
  for (const resource of resources) {
    let existing = byId.get(resource.id);
    if (existing === undefined) {
      byId.set(resource.id, resource);
      merged.push(resource);
      continue;
    }
    if (existing.provider !== resource.provider) {
      byProvider ??= new Map();
      let sameProvider = byProvider.get(resource.provider);
      if (sameProvider === undefined) {
        sameProvider = new Map();
        byProvider.set(resource.provider, sameProvider);
      }
      existing = sameProvider.get(resource.id);
      if (existing === undefined) {
        sameProvider.set(resource.id, resource);
        merged.push(resource);
        continue;
      }
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
      if (existing.tags === RELEASED_TAGS) existing.tags = {};
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
