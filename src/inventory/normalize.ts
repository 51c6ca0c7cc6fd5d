/**
 * Turns raw records from any source into normalized {@link Resource}s: validates the fields of
 * SPEC 2.2 and derives classification, workload, environment, criticality, sector, residency and
 * required certifications from tags (the profile's tag keys) unless they are set directly.
 */
import type { Diagnostic, SourceLocation } from "../diagnostics.js";
import { DERIVED_ATTRIBUTES, type DerivedAttribute, type Resource } from "./types.js";

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

/** A resource's fields, any of them but `id` and `provider` possibly undefined. */
export type ResourceFields = Pick<Resource, "id" | "provider"> & {
  [Field in Exclude<keyof Resource, "id" | "provider">]?: Resource[Field] | undefined;
};

/**
 * The resource as an object of one fixed shape: every field of the inventory, and the slots
 * enrichment fills later, present from the start in the same order (unset ones undefined). A
 * million resources parsed from JSON come in as many shapes as their records have field orders,
 * and every stage after the read would otherwise reach their fields through slow, shape-generic
 * lookups and grow each object's property storage as fields are derived and attached.
 */
export function fixedShape(resource: ResourceFields): Resource {
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
  const fromTags = tagValues(resource.tags, tagKeys);
  const classification = caseless(resource.classification, fromTags[CLASSIFICATION]);
  if (classification !== undefined) resource.classification = classification;
  const workload = resource.workload ?? fromTags[WORKLOAD]?.trim();
  if (workload !== undefined) resource.workload = shared(workload);
  // Regions, accounts and types repeat across thousands of resources: one string each keeps the
  // inventory smaller, lets the parsed copies die young, and every later lookup by them finds the
  // string's hash already computed.
  if (resource.region !== undefined) resource.region = shared(resource.region);
  if (resource.account !== undefined) resource.account = shared(resource.account);
  if (resource.type !== undefined) resource.type = shared(resource.type);
  const environment = caseless(resource.environment, fromTags[ENVIRONMENT]);
  if (environment !== undefined) resource.environment = environment;
  const criticality = caseless(resource.criticality, fromTags[CRITICALITY]);
  if (criticality !== undefined) resource.criticality = criticality;
  const sector = caseless(resource.sector, fromTags[SECTOR]);
  if (sector !== undefined) resource.sector = sector;
  if (resource.residency === undefined && fromTags[RESIDENCY] !== undefined) {
    resource.residency = splitList(fromTags[RESIDENCY]);
  }
  if (resource.residency) resource.residency = resource.residency.map((code) => code.toUpperCase());
  if (resource.requiredCertifications === undefined && fromTags[CERTIFICATION] !== undefined) {
    resource.requiredCertifications = splitList(fromTags[CERTIFICATION]);
  }
  if (resource.requiredCertifications) {
    resource.requiredCertifications = resource.requiredCertifications.map((id) => id.toLowerCase());
  }
  return resource;
}

// Positions of the derived attributes in DERIVED_ATTRIBUTES, and in the values of tagValues.
const CLASSIFICATION = 0;
const WORKLOAD = 1;
const ENVIRONMENT = 2;
const CRITICALITY = 3;
const SECTOR = 4;
const RESIDENCY = 5;
const CERTIFICATION = 6;

/** A case-insensitive attribute, lower-cased: as set on the resource, else from its tag (trimmed). */
function caseless(set: string | undefined, fromTag: string | undefined): string | undefined {
  if (set !== undefined) return lowerCased(set);
  return fromTag === undefined ? undefined : lowerCased(fromTag.trim());
}

/**
 * What one tag key, as spelt on resources, can set: pairs of (attribute position, rank of the key
 * in that attribute's list); `null` when nothing; `false` when it equals a profile key only but for
 * case, which takes the case-insensitive path.
 */
type TagKeyRole = number[] | null | false;

/** The profile's tag keys arranged for {@link tagValues}, with its scratch space. */
interface TagKeyPlan {
  /** Roles of the tag keys seen so far (keys repeat across millions of resources). */
  roles: Map<string, TagKeyRole>;
  /** Roles of the profile's own (lower-case) keys. */
  exact: Map<string, number[]>;
  /** Per attribute: the value found so far and the rank of its key. Reused by every call. */
  values: (string | undefined)[];
  ranks: Int32Array;
}

const TAG_KEY_PLANS = new WeakMap<TagKeys, TagKeyPlan>();
/** Most distinct tag keys whose roles are remembered. */
const TAG_KEY_ROLES_LIMIT = 50_000;

function planFor(tagKeys: TagKeys): TagKeyPlan {
  let plan = TAG_KEY_PLANS.get(tagKeys);
  if (plan === undefined) {
    const exact = new Map<string, number[]>();
    DERIVED_ATTRIBUTES.forEach((attribute, position) => {
      tagKeys[attribute].forEach((key, rank) => {
        const role = exact.get(key) ?? [];
        // A key listed twice for one attribute counts at its first rank.
        if (!role.some((value, index) => index % 2 === 0 && value === position)) role.push(position, rank);
        exact.set(key, role);
      });
    });
    plan = {
      roles: new Map(),
      exact,
      values: DERIVED_ATTRIBUTES.map(() => undefined),
      ranks: new Int32Array(DERIVED_ATTRIBUTES.length),
    };
    TAG_KEY_PLANS.set(tagKeys, plan);
  }
  return plan;
}

function roleOf(plan: TagKeyPlan, key: string): TagKeyRole {
  let role = plan.roles.get(key);
  if (role === undefined) {
    role = plan.exact.get(key) ?? (plan.exact.has(lowerCased(key)) ? false : null);
    if (plan.roles.size < TAG_KEY_ROLES_LIMIT) plan.roles.set(key, role);
  }
  return role;
}

/**
 * Each derived attribute's value from tags, by position: of the attribute's tag keys, the first
 * (in the profile's order) whose tag is non-empty; keys compare exactly first, then ignoring case.
 * One pass over the tags, one lookup per tag; the result is reused by the next call.
 */
function tagValues(tags: Record<string, string>, tagKeys: TagKeys): readonly (string | undefined)[] {
  const plan = planFor(tagKeys);
  const { values, ranks } = plan;
  values.fill(undefined);
  ranks.fill(0x7fffffff);
  for (const key in tags) {
    const role = roleOf(plan, key);
    if (role === null) continue;
    // A profile key spelt with other capitals: the exact-then-case-insensitive lookup decides.
    if (role === false) return caseInsensitiveTagValues(tags, tagKeys);
    const value = tags[key]!;
    if (value === "") continue;
    for (let index = 0; index < role.length; index += 2) {
      const position = role[index]!;
      if (role[index + 1]! < ranks[position]!) {
        ranks[position] = role[index + 1]!;
        values[position] = value;
      }
    }
  }
  return values;
}

/** {@link tagValues} for tags that spell a profile key with other capitals. */
function caseInsensitiveTagValues(tags: Record<string, string>, tagKeys: TagKeys): (string | undefined)[] {
  const lowerTags = lowerCasedTags(tags);
  return DERIVED_ATTRIBUTES.map((attribute) => tagValue(tags, lowerTags, tagKeys[attribute]));
}

/** The first non-empty value of the attribute's tag keys: exact keys first, then case-insensitive. */
function tagValue(
  tags: Record<string, string>,
  lowerTags: Map<string, string>,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = tags[key];
    if (value !== undefined && value !== "") return value;
  }
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

/**
 * How each resource is normalized as it is read. Plain data, so that a reader on another thread can
 * apply it.
 */
export interface Normalization {
  /** The profile's tag keys, from which attributes are derived. */
  tagKeys: TagKeys;
  /** Keep every tag after the attributes are derived (else see {@link releaseTags}). */
  keepTags: boolean;
}

/**
 * A resource from any source in the inventory's one shape, its attributes derived and, unless
 * kept, its tags let go. Mutates and returns the resource (or its fixed-shape copy).
 */
export function normalizeResource(resource: Resource, normalization: Normalization): Resource {
  // Inventory files already give every resource one shape; collectors' resources take it here.
  const normalized = deriveAttributes(
    "providerFacts" in resource ? resource : fixedShape(resource),
    normalization.tagKeys,
  );
  return normalization.keepTags ? normalized : releaseTags(normalized);
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
  const inventory = new MergedInventory(resources.length);
  for (const resource of resources) inventory.add(resource);
  return { resources: inventory.resources, diagnostics: inventory.diagnostics() };
}

/**
 * Resources merged by (provider, id) as they arrive, as {@link mergeDuplicates} merges a list: a
 * scan adds each resource as soon as it is read, while its id is still in the processor's cache.
 *
 * The first resource of each (provider, id) sits in an open-addressing table of one typed array,
 * each slot's id hash next to its index, so that a probe costs one cache miss. A Map keyed by a
 * million fresh id strings spent most of a second on cache misses, rereading every key's hash from
 * its string each time it grew.
 */
export class MergedInventory {
  /** The first resource of each (provider, id), in the order they arrived. */
  readonly resources: Resource[] = [];
  /** Per slot, two entries: index + 1 into `resources` (0 for an empty slot), then the id's hash. */
  #table: Int32Array;
  readonly #duplicatesBySource = new Map<string, { count: number; example: string }>();

  /** `expected`: how many resources will probably arrive (the table grows past it as needed). */
  constructor(expected = 0) {
    let slots = 1024;
    while (slots < expected * 2) slots *= 2;
    this.#table = new Int32Array(slots * 2);
  }

  /**
   * Adds a resource, or merges it into the first one with its provider and id. `hash` is the
   * {@link idHash} of its id, when a reader thread has computed it already.
   */
  add(resource: Resource, hash: number = idHash(resource.id)): void {
    const table = this.#table;
    const mask = table.length / 2 - 1;
    let at = (hash & mask) * 2;
    for (let taken = table[at]!; taken !== 0; taken = table[at]!) {
      if (table[at + 1] === hash) {
        const first = this.resources[taken - 1]!;
        if (first.id === resource.id && first.provider === resource.provider) {
          this.#merge(first, resource);
          return;
        }
      }
      at = (at + 2) & (table.length - 1);
    }
    this.resources.push(resource);
    table[at] = this.resources.length;
    table[at + 1] = hash;
    if (this.resources.length * 4 > table.length) this.#grow();
  }

  /** One warning per source that repeated ids, with the count and an example. */
  diagnostics(): Diagnostic[] {
    return [...this.#duplicatesBySource].map(([source, { count, example }]) => ({
      level: "warning",
      code: "duplicate-resource",
      message: `${count} resource record${count === 1 ? "" : "s"} repeated an id already seen for the same provider (e.g. ${example}); merged into one resource each`,
      source,
    }));
  }

  #merge(first: Resource, repeat: Resource): void {
    const source = repeat.source ?? "inventory";
    const entry = this.#duplicatesBySource.get(source) ?? { count: 0, example: repeat.id };
    entry.count++;
    this.#duplicatesBySource.set(source, entry);
    for (const [field, value] of Object.entries(repeat) as [keyof Resource, unknown][]) {
      if (field === "tags") continue;
      if (first[field] === undefined && value !== undefined) {
        (first as unknown as Record<string, unknown>)[field] = value;
      }
    }
    for (const [tag, value] of Object.entries(repeat.tags)) {
      if (first.tags === RELEASED_TAGS) first.tags = {};
      if (!(tag in first.tags)) first.tags[tag] = value;
    }
  }

  /** Doubles the slots, keeping at least half of them empty. */
  #grow(): void {
    const old = this.#table;
    const table = new Int32Array(old.length * 2);
    const mask = table.length / 2 - 1;
    for (let from = 0; from < old.length; from += 2) {
      if (old[from] === 0) continue;
      let at = (old[from + 1]! & mask) * 2;
      while (table[at] !== 0) at = (at + 2) & (table.length - 1);
      table[at] = old[from]!;
      table[at + 1] = old[from + 1]!;
    }
    this.#table = table;
  }
}

/** FNV-1a over the id's UTF-16 code units, mixed so that the low bits (the slot) use every char. */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  hash ^= hash >>> 15;
  return Math.imul(hash, 0x2c1b3c6d) ^ (hash >>> 12);
}

/** A location for a record-level problem. */
export function recordLocation(file: string, line?: number, field?: string): SourceLocation {
  const location: SourceLocation = { file };
  if (line !== undefined) location.line = line;
  if (field !== undefined) location.field = field;
  return location;
}
