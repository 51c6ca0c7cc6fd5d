/**
 * Enrichment: attaches what the catalog knows to every resource. Pure (the scan time comes in), and
 * built for a million resources: facts are computed once per provider, once per (provider, region)
 * and once per (provider, type), and the same objects are shared by every resource that needs them.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Resource } from "../inventory/types.js";
import type { Catalog, ServiceFacts } from "./load.js";
import { findService, lockInFacts, resourceTypeKey } from "./lockin.js";
import { findRegion, GLOBAL_REGION } from "./regions.js";
import type {
  CertificationFacts,
  EnrichedResource,
  LockInFacts,
  ProviderFacts,
  RegionFacts,
} from "./types.js";
import { certificationsInForce, listEntryInForce } from "./validity.js";

export interface EnrichOptions {
  /** The scan time: certifications and list entries count only when in force at this time. */
  scanTime: Date;
  /**
   * Attach the facts to the given resource objects and return them, instead of copies: for a
   * caller that owns the resources and no longer needs them un-enriched (the scan pipeline), which
   * saves a copy of every resource. @default false
   */
  inPlace?: boolean;
}

/** How many distinct unknown types a diagnostic names before summarising. */
const MAX_NAMED_TYPES = 10;

interface RegionSlot {
  facts: RegionFacts;
  certifications: CertificationFacts[];
}

interface ProviderSlot {
  facts: ProviderFacts;
  count: number;
  regions: Map<string, RegionSlot & { count: number }>;
  missingRegion: number;
  types: Map<string, LockInFacts | undefined>;
  unknownTypes: Map<string, number>;
  untyped: number;
}

/**
 * Attaches provider, region, certification and lock-in facts to every resource. Pure unless
 * `options.inPlace`.
 */
export function enrichResources(
  resources: readonly Resource[],
  catalog: Catalog,
  options: EnrichOptions,
): { resources: EnrichedResource[]; diagnostics: Diagnostic[] } {
  const { scanTime } = options;
  const inPlace = options.inPlace === true;
  const slots = new Map<string, ProviderSlot>();
  const lockInByService = new Map<ServiceFacts, LockInFacts>();
  const enriched: EnrichedResource[] = inPlace
    ? (resources as EnrichedResource[])
    : new Array(resources.length);

  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index]!;
    let slot = slots.get(resource.provider);
    if (!slot) {
      slot = newProviderSlot(catalog, resource.provider, scanTime);
      slots.set(resource.provider, slot);
    }
    slot.count++;

    const regionCode = resource.region ?? "";
    let region = slot.regions.get(regionCode);
    if (!region) {
      region = { ...regionSlot(catalog, slot.facts, regionCode, scanTime), count: 0 };
      slot.regions.set(regionCode, region);
    }
    region.count++;
    if (regionCode === "") slot.missingRegion++;

    const typeKey = resourceTypeKey(resource.type, resource.id);
    let lockIn: LockInFacts | undefined;
    if (typeKey === undefined) {
      slot.untyped++;
    } else {
      const cacheKey = resource.kind === undefined ? typeKey : `${typeKey}\u0000${resource.kind}`;
      if (slot.types.has(cacheKey)) {
        lockIn = slot.types.get(cacheKey);
      } else {
        const service = findService(catalog, resource.provider, typeKey, resource.kind);
        if (service) {
          lockIn = lockInByService.get(service);
          if (!lockIn) {
            lockIn = lockInFacts(service);
            lockInByService.set(service, lockIn);
          }
        }
        slot.types.set(cacheKey, lockIn);
      }
      if (!lockIn) slot.unknownTypes.set(typeKey, (slot.unknownTypes.get(typeKey) ?? 0) + 1);
    }

    let result: EnrichedResource;
    if (inPlace) {
      result = resource as EnrichedResource;
      result.providerFacts = slot.facts;
      result.regionFacts = region.facts;
      result.certifications = region.certifications;
    } else {
      // Object.assign, not a spread: on Node 20 it copies a resource about ten times faster.
      result = Object.assign({}, resource, {
        providerFacts: slot.facts,
        regionFacts: region.facts,
        certifications: region.certifications,
      });
    }
    if (lockIn) result.lockIn = lockIn;
    enriched[index] = result;
  }

  return { resources: enriched, diagnostics: diagnosticsOf(slots) };
}

function newProviderSlot(catalog: Catalog, provider: string, scanTime: Date): ProviderSlot {
  const known = catalog.providers.get(provider);
  const facts: ProviderFacts = known
    ? { ...known, lists: known.lists.filter((entry) => listEntryInForce(entry, scanTime)) }
    : unknownProvider(provider);
  return {
    facts,
    count: 0,
    regions: new Map(),
    missingRegion: 0,
    types: new Map(),
    unknownTypes: new Map(),
    untyped: 0,
  };
}

function regionSlot(catalog: Catalog, provider: ProviderFacts, code: string, scanTime: Date): RegionSlot {
  const home = provider.headquarters ? [provider.headquarters] : [];
  if (code.toLowerCase() === GLOBAL_REGION) {
    return {
      facts: { ...emptyRegion(GLOBAL_REGION, true), global: true, jurisdictions: home },
      certifications: certificationsInForce(catalog, provider.id, undefined, scanTime),
    };
  }
  const found = provider.known && code !== "" ? findRegion(catalog, provider.id, code) : undefined;
  if (!found) {
    return {
      facts: { ...emptyRegion(code, false), jurisdictions: home },
      certifications: certificationsInForce(catalog, provider.id, undefined, scanTime),
    };
  }
  const facts = found.code === code ? found : { ...found, code, canonicalCode: found.code };
  return { facts, certifications: certificationsInForce(catalog, provider.id, found.code, scanTime) };
}

function emptyRegion(code: string, known: boolean): RegionFacts {
  return {
    code,
    known,
    government: false,
    sovereign: false,
    chinaOperated: false,
    closed: false,
    global: false,
    layer: "builtin",
  };
}

/** Facts for a provider the catalog does not know: its own parent, nothing else claimed. */
export function unknownProvider(id: string): ProviderFacts {
  return {
    id,
    name: id,
    known: false,
    parent: id,
    parentName: id,
    headquarters: "",
    accessLaws: [],
    competingSegments: [],
    lists: [],
    layer: "builtin",
    certifications: [],
    hasRegionTable: false,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function diagnosticsOf(slots: ReadonlyMap<string, ProviderSlot>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [provider, slot] of slots) {
    if (!slot.facts.known) {
      diagnostics.push({
        level: "warning",
        code: "unknown-provider",
        message: `provider "${provider}" is not in the catalog: ${plural(slot.count, "resource")} have no parent, jurisdiction, certification or region facts`,
        scope: { provider },
        hint: "Fix the provider id, or add the provider in the profile's catalog file (docs/catalog.md).",
      });
      continue;
    }
    for (const [code, region] of slot.regions) {
      if (code === "" || region.facts.known) continue;
      const message = slot.facts.hasRegionTable
        ? `region "${code}" of ${provider} is not in the catalog: ${plural(region.count, "resource")} ${region.count === 1 ? "has" : "have"} no country`
        : `${provider} has no region table in the catalog: ${plural(region.count, "resource")} in "${code}" ${region.count === 1 ? "has" : "have"} no country`;
      diagnostics.push({
        level: "warning",
        code: "unknown-region",
        message,
        scope: { provider, region: code },
        hint: "Check the region code, or declare the region under regions: in the profile's catalog file.",
      });
    }
    if (slot.missingRegion > 0) {
      diagnostics.push({
        level: "info",
        code: "missing-region",
        message: `${plural(slot.missingRegion, "resource")} of ${provider} have no region: their country is unknown`,
        scope: { provider },
      });
    }
    if (slot.unknownTypes.size > 0) {
      const sorted = [...slot.unknownTypes].sort((a, b) => b[1] - a[1]);
      const total = sorted.reduce((sum, [, count]) => sum + count, 0);
      const named = sorted
        .slice(0, MAX_NAMED_TYPES)
        .map(([type]) => type)
        .join(", ");
      const more = sorted.length > MAX_NAMED_TYPES ? ` and ${sorted.length - MAX_NAMED_TYPES} more` : "";
      diagnostics.push({
        level: "info",
        code: "unknown-resource-type",
        message: `${plural(total, "resource")} of ${provider} ${total === 1 ? "has" : "have"} a type without a lock-in class: ${named}${more}`,
        scope: { provider },
        hint: "Add the types under services: in the profile's catalog file to classify them.",
      });
    }
  }
  return diagnostics;
}
