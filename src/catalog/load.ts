/**
 * Reading the catalog: the builtin files under `catalog/` first, then the profile's override file,
 * merged fragment by fragment into one {@link Catalog}. Every fact remembers the layer that decided
 * it. All problems of one load are collected and thrown together as an `invalid-catalog` error
 * whose details name file, line and column.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ErrorDetail, LandlordError } from "../diagnostics.js";
import { readSnapshot, writeSnapshot } from "../input/snapshot.js";
import { describeIssue, type PositionedDocument, readYamlFile } from "../input/yaml.js";
import { buildServiceIndex } from "./lockin.js";
import { buildRegionIndex } from "./regions.js";
import {
  type CatalogFragment,
  catalogFragmentSchema,
  type ListDefinition,
  type ProviderPatch,
  type RegionPatch,
  type SchemeDefinition,
  type ServicePatch,
} from "./schema.js";
import type {
  AccessLaw,
  CatalogLayer,
  CertificationFacts,
  CompetingSegment,
  Confidence,
  ListEntry,
  LockInClass,
  ProviderFacts,
  RegionFacts,
} from "./types.js";

/** A parent company: the owner that counts once in metrics by parent, whatever its providers. */
export interface ParentCompany {
  id: string;
  name: string;
  /** ISO country of the headquarters; absent for `self` (the organisation itself). */
  headquarters?: string;
  city?: string;
  ticker?: string;
  /** Legal Entity Identifier, when the catalog knows it. */
  lei?: string;
  source?: string;
  confidence?: Confidence;
  layer: CatalogLayer;
}

/** A business segment of the vocabulary. */
export interface SegmentInfo {
  id: string;
  name: string;
  description?: string;
  layer: CatalogLayer;
}

/** An official restricted list. */
export interface RestrictedList {
  id: string;
  name: string;
  jurisdiction: string;
  authority?: string;
  source?: string;
  confidence?: Confidence;
  layer: CatalogLayer;
}

/** A certification scheme; certification ids are `<scheme>` or `<scheme>-<level>`. */
export interface CertificationScheme {
  id: string;
  name: string;
  country: string;
  /** Lowest to highest. */
  levels: string[];
  /** The scheme a country's public bodies must use. */
  publicSector: boolean;
  source?: string;
  confidence?: Confidence;
  layer: CatalogLayer;
}

/** What the catalog says about one service (lock-in). */
export interface ServiceFacts {
  id: string;
  provider: string;
  service: string;
  class: LockInClass;
  equivalents: Record<string, string>;
  /** Resource types as written in the catalog. */
  match: (string | { type: string; kind: string })[];
  note?: string;
  source?: string;
  confidence?: Confidence;
  layer: CatalogLayer;
}

/** One entry of the type index: a service and the Azure kind it requires, if any. */
export interface ServiceMatcher {
  kind?: string;
  service: ServiceFacts;
}

/** The loaded catalog. Read-only; share it freely. */
export interface Catalog {
  /** Version of the builtin data, with `+override` when a profile's file changed it. */
  version: string;
  /** Provider facts by provider id (all certifications and list entries, with their dates). */
  providers: ReadonlyMap<string, ProviderFacts>;
  parents: ReadonlyMap<string, ParentCompany>;
  /** Segment vocabulary by id. */
  segments: ReadonlyMap<string, SegmentInfo>;
  laws: ReadonlyMap<string, AccessLaw>;
  lists: ReadonlyMap<string, RestrictedList>;
  schemes: ReadonlyMap<string, CertificationScheme>;
  /** Country (ISO) to the certification scheme its public sector requires, e.g. `KR` to CSAP. */
  publicSectorSchemes: ReadonlyMap<string, CertificationScheme>;
  /** Region tables: provider id to region code to facts. */
  regions: ReadonlyMap<string, ReadonlyMap<string, RegionFacts>>;
  /** Lookup of region spellings (lower-case, no spaces, aliases) per provider. */
  regionIndex: ReadonlyMap<string, ReadonlyMap<string, RegionFacts>>;
  services: readonly ServiceFacts[];
  /** Lower-case resource type to the services it may be. */
  serviceIndex: ReadonlyMap<string, readonly ServiceMatcher[]>;
  /** Where the layers came from. */
  files: { builtin: string; override?: string };
}

export interface LoadCatalogOptions {
  /** The profile's `catalog:` override file (absolute path). */
  overrideFile?: string;
  /** Folder of the builtin data. @default the package's `catalog/` folder */
  builtinDir?: string;
  /**
   * The builtin data validated at build time ({@link writeBuiltinSnapshot}), used while it matches
   * the files byte for byte. @default `builtin.snapshot.json` beside this module (absent from
   * the sources, present in `dist/` after `npm run build`)
   */
  snapshotFile?: string;
}

/** Where `npm run build` leaves the builtin catalog's snapshot: beside the built module. */
export function builtinSnapshotFile(): string {
  return fileURLToPath(new URL("./builtin.snapshot.json", import.meta.url));
}

/**
 * Validates the builtin catalog and writes it as JSON: parsing and validating some 200 KB of YAML
 * takes a few hundred milliseconds of every command's start, reading the snapshot a few.
 */
export async function writeBuiltinSnapshot(
  builtinDir: string = builtinCatalogDir(),
  snapshotFile: string = builtinSnapshotFile(),
): Promise<void> {
  await writeSnapshot(snapshotFile, builtinDir, await listYamlFiles(builtinDir), async (file) => ({
    fragment: validateFragment(await readYamlFile(file, "invalid-catalog")),
  }));
}

/** The snapshot's fragments when it exists and matches the files; undefined otherwise. */
async function readBuiltinSnapshot(
  builtinDir: string,
  files: readonly string[],
  snapshotFile: string,
): Promise<{ doc: PositionedDocument; fragment: CatalogFragment }[] | undefined> {
  const snapshot = await readSnapshot<{ fragment: CatalogFragment }>(snapshotFile, builtinDir, files);
  if (snapshot === undefined) return undefined;
  return [...snapshot].map(([file, { fragment }]) => {
    // Builtin data was validated when the snapshot was written: a location is only ever needed
    // for a problem an override causes, and then the file is named without a line.
    return { doc: { file, value: fragment, locate: () => ({ file }) }, fragment };
  });
}

/** The package's builtin catalog folder, both from `src/catalog/*.ts` and `dist/catalog/*.js`. */
export function builtinCatalogDir(): string {
  return fileURLToPath(new URL("../../catalog/", import.meta.url));
}

/** Loads the builtin catalog and applies the profile's overrides. */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<Catalog> {
  const builtinDir = options.builtinDir ?? builtinCatalogDir();
  const builder = new CatalogBuilder();
  const files = await listYamlFiles(builtinDir);
  const snapshot = await readBuiltinSnapshot(
    builtinDir,
    files,
    options.snapshotFile ?? builtinSnapshotFile(),
  );
  if (snapshot !== undefined) {
    for (const { doc, fragment } of snapshot) builder.apply(doc, fragment, "builtin");
  } else {
    for (const file of files) {
      const doc = await readYamlFile(file, "invalid-catalog");
      builder.apply(doc, validateFragment(doc), "builtin");
    }
  }
  if (options.overrideFile !== undefined) {
    const doc = await readYamlFile(options.overrideFile, "invalid-catalog");
    builder.apply(doc, validateFragment(doc), "override");
  }
  return builder.build({
    builtin: builtinDir,
    ...(options.overrideFile === undefined ? {} : { override: options.overrideFile }),
  });
}

/** Builds a catalog from documents already parsed (tests, embedders). Later documents override earlier ones. */
export function buildCatalog(
  layers: readonly { doc: PositionedDocument; layer: CatalogLayer }[],
  files: { builtin: string; override?: string } = { builtin: "(memory)" },
): Catalog {
  const builder = new CatalogBuilder();
  for (const { doc, layer } of layers) builder.apply(doc, validateFragment(doc), layer);
  return builder.build(files);
}

function validateFragment(doc: PositionedDocument): CatalogFragment {
  if (doc.value === null || doc.value === undefined) return {};
  const result = catalogFragmentSchema.safeParse(doc.value);
  if (result.success) return result.data;
  throw new LandlordError("invalid-catalog", `${doc.file} is not a valid catalog file`, {
    details: result.error.issues.map((issue) => ({
      message: describeIssue(issue),
      // Point at the unknown key itself rather than at the mapping that holds it.
      location: doc.locate(
        issue.code === "unrecognized_keys" && issue.keys[0] !== undefined
          ? [...issue.path, issue.keys[0]]
          : issue.path,
      ),
    })),
    hint: "docs/catalog.md describes the catalog format.",
  });
}

async function listYamlFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })).map(String);
  } catch (error) {
    throw new LandlordError("catalog-not-found", `the builtin catalog folder ${dir} cannot be read`, {
      cause: error,
      hint: "The package is incomplete: reinstall landlord.",
    });
  }
  return entries
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Where an entry was written, to point errors at it. */
interface Where {
  doc: PositionedDocument;
  path: PropertyKey[];
}

interface Layered<T> {
  value: T;
  layer: CatalogLayer;
  where: Where;
}

interface ProviderDraft {
  id: string;
  name?: string;
  parentId?: string;
  accessLaws?: string[];
  runsOn?: string;
  lei?: string;
  source?: string;
  confidence?: Confidence;
  notes?: string[];
  layer: CatalogLayer;
  where: Where;
  segments: Map<string, Layered<CompetingSegment>>;
  lists: Map<string, Layered<ListEntry>>;
  certifications: Map<string, Layered<CertificationFacts>>;
}

type ServiceDraft = ServicePatch & { layer: CatalogLayer; where: Where };
type RegionDraft = RegionPatch & { layer: CatalogLayer; where: Where };

class CatalogBuilder {
  private version = "0.0.0";
  private overridden = false;
  private readonly errors: ErrorDetail[] = [];
  private readonly segments = new Map<string, SegmentInfo>();
  private readonly laws = new Map<string, AccessLaw & { compelsAccess: boolean }>();
  private readonly lists = new Map<string, RestrictedList>();
  private readonly schemes = new Map<string, CertificationScheme>();
  private readonly parents = new Map<string, ParentCompany>();
  private readonly providers = new Map<string, ProviderDraft>();
  private readonly regionSources = new Map<string, string>();
  private readonly regions = new Map<string, Map<string, RegionDraft>>();
  /** Other spellings of region codes, per provider: alias to code. */
  private readonly aliases = new Map<string, Map<string, string>>();
  private readonly services = new Map<string, ServiceDraft>();
  private defaultServiceSource: string | undefined;

  apply(doc: PositionedDocument, fragment: CatalogFragment, layer: CatalogLayer): void {
    if (layer === "override") this.overridden = true;
    if (fragment.version !== undefined && layer === "builtin") this.version = fragment.version;
    if (fragment.defaults?.source !== undefined && layer === "builtin") {
      this.defaultServiceSource = fragment.defaults.source;
    }
    for (const [id, segment] of Object.entries(fragment.segments ?? {})) {
      if (segment.remove) this.segments.delete(id);
      else
        this.segments.set(id, { id, name: segment.name, ...opt("description", segment.description), layer });
    }
    for (const [id, law] of Object.entries(fragment.laws ?? {})) {
      this.laws.set(id, {
        id,
        name: law.name,
        jurisdiction: law.jurisdiction,
        compelsAccess: law.compelsAccess,
        ...opt("enacted", law.enacted),
        ...opt("summary", law.summary),
        ...origin(law, layer),
      });
    }
    for (const [id, list] of Object.entries(fragment.lists ?? {}) as [string, ListDefinition][]) {
      this.lists.set(id, {
        id,
        name: list.name,
        jurisdiction: list.jurisdiction,
        ...opt("authority", list.authority),
        ...origin(list, layer),
      });
    }
    for (const [id, scheme] of Object.entries(fragment.schemes ?? {}) as [string, SchemeDefinition][]) {
      this.schemes.set(id, {
        id,
        name: scheme.name,
        country: scheme.country,
        levels: scheme.levels,
        publicSector: scheme.publicSector,
        ...origin(scheme, layer),
      });
    }
    for (const [id, patch] of Object.entries(fragment.providers ?? {})) {
      this.applyProvider(id, patch, layer, { doc, path: ["providers", id] });
    }
    for (const [provider, source] of Object.entries(fragment.regionSources ?? {})) {
      this.regionSources.set(provider, source);
    }
    for (const [provider, table] of Object.entries(fragment.regions ?? {})) {
      let regions = this.regions.get(provider);
      if (!regions) {
        regions = new Map();
        this.regions.set(provider, regions);
      }
      for (const [code, patch] of Object.entries(table)) {
        const where = { doc, path: ["regions", provider, code] };
        const existing = regions.get(code);
        regions.set(code, { ...existing, ...patch, layer, where: existing?.where ?? where });
      }
    }
    for (const [id, patch] of Object.entries(fragment.services ?? {})) {
      if (patch.remove) {
        this.services.delete(id);
        continue;
      }
      const existing = this.services.get(id);
      this.services.set(id, { ...existing, ...patch, layer, where: { doc, path: ["services", id] } });
    }
  }

  private applyProvider(id: string, patch: ProviderPatch, layer: CatalogLayer, where: Where): void {
    let draft = this.providers.get(id);
    if (!draft) {
      draft = { id, layer, where, segments: new Map(), lists: new Map(), certifications: new Map() };
      this.providers.set(id, draft);
    }
    draft.layer = layer;
    if (patch.name !== undefined) draft.name = patch.name;
    if (patch.accessLaws !== undefined) draft.accessLaws = patch.accessLaws;
    if (patch.runsOn !== undefined) draft.runsOn = patch.runsOn;
    if (patch.lei !== undefined) draft.lei = patch.lei;
    if (patch.notes !== undefined) draft.notes = patch.notes;
    if (patch.source !== undefined) draft.source = patch.source;
    if (patch.confidence !== undefined) draft.confidence = patch.confidence;
    if (typeof patch.parent === "string") {
      draft.parentId = patch.parent;
    } else if (patch.parent !== undefined) {
      const parent = patch.parent;
      draft.parentId = parent.id;
      this.parents.set(parent.id, {
        id: parent.id,
        name: parent.name,
        ...opt("headquarters", parent.headquarters),
        ...opt("city", parent.city),
        ...opt("ticker", parent.ticker),
        ...opt("lei", parent.lei),
        ...origin(parent, layer),
      });
      if (draft.source === undefined && parent.source !== undefined) draft.source = parent.source;
      if (draft.confidence === undefined && parent.confidence !== undefined)
        draft.confidence = parent.confidence;
    }
    patch.segments?.forEach((entry, index) => {
      const at = { doc: where.doc, path: [...where.path, "segments", index] };
      if (entry.remove) draft.segments.delete(entry.segment);
      else
        draft.segments.set(entry.segment, {
          value: {
            segment: entry.segment,
            evidence: entry.evidence ?? "",
            ...opt("since", entry.since),
            ...origin(entry, layer),
          },
          layer,
          where: at,
        });
    });
    patch.lists?.forEach((entry, index) => {
      const at = { doc: where.doc, path: [...where.path, "lists", index] };
      if (entry.remove) draft.lists.delete(entry.list);
      else
        draft.lists.set(entry.list, {
          value: {
            list: entry.list,
            name: "",
            jurisdiction: "",
            ...opt("entity", entry.entity),
            ...opt("listed", entry.listed),
            ...opt("until", entry.until),
            ...opt("note", entry.note),
            ...origin(entry, layer),
          },
          layer,
          where: at,
        });
    });
    patch.certifications?.forEach((entry, index) => {
      const at = { doc: where.doc, path: [...where.path, "certifications", index] };
      if (entry.remove) draft.certifications.delete(entry.id);
      else
        draft.certifications.set(entry.id, {
          value: {
            id: entry.id,
            scheme: "",
            country: "",
            ...opt("validFrom", entry.validFrom),
            ...opt("validUntil", entry.validUntil),
            ...opt("regions", entry.regions),
            ...opt("note", entry.note),
            ...origin(entry, layer),
          },
          layer,
          where: at,
        });
    });
  }

  private fail(where: Where, message: string, field?: PropertyKey): void {
    const location = where.doc.locate(field === undefined ? where.path : [...where.path, field]);
    this.errors.push({ message, location });
  }

  build(files: { builtin: string; override?: string }): Catalog {
    const regions = this.buildRegions();
    const providers = new Map<string, ProviderFacts>();
    for (const draft of this.providers.values()) {
      const facts = this.buildProvider(draft, regions);
      if (facts) providers.set(draft.id, facts);
    }
    for (const [provider, table] of regions) {
      const draft = this.providers.get(provider);
      if (!draft) {
        const first = this.regions.get(provider)?.values().next().value;
        if (first) this.fail(first.where, `region table for unknown provider "${provider}"`);
        continue;
      }
      const facts = providers.get(provider);
      for (const region of table.values()) {
        region.jurisdictions = jurisdictionsOf(facts?.headquarters, region);
      }
    }
    for (const draft of this.providers.values()) {
      if (draft.runsOn !== undefined && !this.providers.has(draft.runsOn)) {
        this.fail(draft.where, `runsOn: unknown provider "${draft.runsOn}"`, "runsOn");
      }
    }
    const services = this.buildServices(providers);
    if (this.errors.length > 0) {
      throw new LandlordError("invalid-catalog", "the provider catalog has errors", {
        details: this.errors,
        hint: "Fix the catalog file at the lines shown; docs/catalog.md describes the format.",
      });
    }
    const publicSectorSchemes = new Map<string, CertificationScheme>();
    for (const scheme of this.schemes.values()) {
      if (scheme.publicSector && !publicSectorSchemes.has(scheme.country)) {
        publicSectorSchemes.set(scheme.country, scheme);
      }
    }
    const laws = new Map<string, AccessLaw>();
    for (const [id, { compelsAccess: _compels, ...law }] of this.laws) laws.set(id, law);
    return {
      version: this.overridden ? `${this.version}+override` : this.version,
      providers,
      parents: this.parents,
      segments: this.segments,
      laws,
      lists: this.lists,
      schemes: this.schemes,
      publicSectorSchemes,
      regions,
      regionIndex: buildRegionIndex(regions, this.aliases),
      services,
      serviceIndex: buildServiceIndex(services),
      files,
    };
  }

  private buildRegions(): Map<string, Map<string, RegionFacts>> {
    const result = new Map<string, Map<string, RegionFacts>>();
    for (const [provider, table] of this.regions) {
      const facts = new Map<string, RegionFacts>();
      const aliases = new Map<string, string>();
      for (const [code, draft] of table) {
        if (draft.country === undefined) {
          this.fail(draft.where, `region "${code}" of ${provider} needs a country`);
          continue;
        }
        const source = draft.source ?? this.regionSources.get(provider);
        facts.set(code, {
          code,
          known: true,
          country: draft.country,
          ...opt("city", draft.city),
          government: draft.government ?? false,
          sovereign: draft.sovereign ?? false,
          chinaOperated: draft.chinaOperated ?? false,
          ...opt("operator", draft.operator),
          ...opt("operatorJurisdiction", draft.operatorJurisdiction),
          closed: draft.closed ?? false,
          global: false,
          layer: draft.layer,
          restricted: draft.restricted ?? false,
          ...opt("note", draft.note),
          confidence: draft.confidence ?? "verified",
          ...opt("source", source),
        });
        for (const alias of draft.aliases ?? []) aliases.set(alias, code);
      }
      result.set(provider, facts);
      this.aliases.set(provider, aliases);
    }
    return result;
  }

  private buildProvider(
    draft: ProviderDraft,
    regions: ReadonlyMap<string, ReadonlyMap<string, RegionFacts>>,
  ): ProviderFacts | undefined {
    if (draft.name === undefined) {
      this.fail(draft.where, `provider "${draft.id}" needs a name (it is not in the builtin catalog)`);
    }
    if (draft.parentId === undefined) {
      this.fail(
        draft.where,
        `provider "${draft.id}" needs a parent: a parent id or { id, name, headquarters }`,
      );
      return undefined;
    }
    const parent = this.parents.get(draft.parentId);
    if (!parent) {
      this.fail(
        draft.where,
        `parent: unknown parent company "${draft.parentId}"; give { id, name, headquarters }`,
        "parent",
      );
      return undefined;
    }
    const accessLaws: AccessLaw[] = [];
    if (draft.accessLaws !== undefined) {
      draft.accessLaws.forEach((lawId, index) => {
        const law = this.laws.get(lawId);
        if (!law) {
          this.fail(
            { doc: draft.where.doc, path: [...draft.where.path, "accessLaws", index] },
            `unknown law "${lawId}"`,
          );
          return;
        }
        const { compelsAccess: _compels, ...rest } = law;
        accessLaws.push(rest);
      });
    } else if (parent.headquarters !== undefined) {
      for (const { compelsAccess, ...law } of this.laws.values()) {
        if (compelsAccess && law.jurisdiction === parent.headquarters) accessLaws.push(law);
      }
    }
    const competingSegments: CompetingSegment[] = [];
    for (const { value, where } of draft.segments.values()) {
      if (!this.segments.has(value.segment)) {
        this.fail(
          where,
          `unknown segment "${value.segment}"; add it under segments: or use one of the vocabulary`,
          "segment",
        );
      }
      competingSegments.push(value);
    }
    const lists: ListEntry[] = [];
    for (const { value, where } of draft.lists.values()) {
      const list = this.lists.get(value.list);
      if (!list) {
        this.fail(where, `unknown list "${value.list}"; known: ${[...this.lists.keys()].join(", ")}`, "list");
        continue;
      }
      lists.push({ ...value, name: list.name, jurisdiction: list.jurisdiction });
    }
    const table = regions.get(draft.id);
    const certifications: CertificationFacts[] = [];
    for (const { value, where } of draft.certifications.values()) {
      const scheme = this.schemeOf(value.id);
      if (!scheme) {
        this.fail(where, `unknown certification "${value.id}"; expected <scheme> or <scheme>-<level>`, "id");
        continue;
      }
      if (
        value.validFrom !== undefined &&
        value.validUntil !== undefined &&
        value.validUntil <= value.validFrom
      ) {
        this.fail(where, "validUntil must be after validFrom", "validUntil");
      }
      value.regions?.forEach((code, index) => {
        if (table && !table.has(code)) {
          this.fail(
            { doc: where.doc, path: [...where.path, "regions", index] },
            `unknown region "${code}" of ${draft.id}`,
          );
        }
      });
      certifications.push({
        ...value,
        scheme: scheme.scheme.id,
        ...opt("level", scheme.level),
        country: scheme.scheme.country,
      });
    }
    return {
      id: draft.id,
      name: draft.name ?? draft.id,
      known: true,
      parent: parent.id,
      parentName: parent.name,
      headquarters: parent.headquarters ?? "",
      ...opt("headquartersCity", parent.city),
      accessLaws,
      competingSegments,
      lists,
      layer: draft.layer,
      ...opt("runsOn", draft.runsOn),
      ...opt("lei", draft.lei),
      ...opt("parentLei", parent.lei),
      certifications,
      hasRegionTable: table !== undefined,
      ...opt("confidence", draft.confidence),
      ...opt("source", draft.source),
      ...opt("notes", draft.notes),
    };
  }

  private schemeOf(certificationId: string): { scheme: CertificationScheme; level?: string } | undefined {
    const whole = this.schemes.get(certificationId);
    if (whole && whole.levels.length === 0) return { scheme: whole };
    for (const scheme of this.schemes.values()) {
      if (!certificationId.startsWith(`${scheme.id}-`)) continue;
      const level = certificationId.slice(scheme.id.length + 1);
      if (scheme.levels.includes(level)) return { scheme, level };
    }
    // A scheme id alone stands for "some level" when the level is not known (IBM's FedRAMP).
    return whole ? { scheme: whole } : undefined;
  }

  private buildServices(providers: ReadonlyMap<string, ProviderFacts>): ServiceFacts[] {
    const services: ServiceFacts[] = [];
    for (const [id, draft] of this.services) {
      const missing = (["provider", "service", "class", "match"] as const).filter(
        (key) => draft[key] === undefined,
      );
      if (missing.length > 0) {
        this.fail(draft.where, `service "${id}" needs ${missing.join(", ")}`);
        continue;
      }
      if (!providers.has(draft.provider!)) {
        this.fail(draft.where, `unknown provider "${draft.provider}"`, "provider");
        continue;
      }
      const source = draft.source ?? (draft.layer === "builtin" ? this.defaultServiceSource : undefined);
      services.push({
        id,
        provider: draft.provider!,
        service: draft.service!,
        class: draft.class!,
        equivalents: draft.equivalents ?? {},
        match: draft.match!,
        ...opt("note", draft.note),
        ...opt("source", source),
        confidence: draft.confidence ?? "reported",
        layer: draft.layer,
      });
    }
    return services;
  }
}

/** Jurisdictions whose law reaches data in a region: parent's home, operator's, region's country. */
function jurisdictionsOf(headquarters: string | undefined, region: RegionFacts): string[] {
  const result: string[] = [];
  for (const code of [headquarters, region.operatorJurisdiction, region.country]) {
    if (code && !result.includes(code)) result.push(code);
  }
  return result;
}

function origin(
  value: { source?: string | undefined; confidence?: Confidence | undefined },
  layer: CatalogLayer,
): { source?: string; confidence?: Confidence; layer: CatalogLayer } {
  return { ...opt("source", value.source), ...opt("confidence", value.confidence), layer };
}

/** `{ key: value }` when value is defined, `{}` otherwise (for exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
