/**
 * Region lookup: region codes as inventories spell them (`koreacentral`, `Korea Central`,
 * `us-east-1a`, `asia-northeast3-b`) resolved to the catalog's region facts.
 */
import type { Catalog } from "./load.js";
import type { RegionFacts } from "./types.js";

/** The region code of global services. */
export const GLOBAL_REGION = "global";

/** Lower-case, without spaces or underscores: how region codes are compared. */
export function normalizeRegionCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "");
}

/** Builds the per-provider lookup of region spellings. */
export function buildRegionIndex(
  regions: ReadonlyMap<string, ReadonlyMap<string, RegionFacts>>,
  aliases: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Map<string, Map<string, RegionFacts>> {
  const index = new Map<string, Map<string, RegionFacts>>();
  for (const [provider, table] of regions) {
    const lookup = new Map<string, RegionFacts>();
    for (const [code, facts] of table) lookup.set(normalizeRegionCode(code), facts);
    for (const [alias, code] of aliases.get(provider) ?? []) {
      const facts = table.get(code);
      if (facts) lookup.set(normalizeRegionCode(alias), facts);
    }
    index.set(provider, lookup);
  }
  return index;
}

/**
 * The catalog's facts for a provider's region code, or undefined when the provider has no region
 * table or the code is not in it. Availability zones resolve to their region (`us-east-1a` to
 * `us-east-1`, `asia-northeast3-b` to `asia-northeast3`).
 */
export function findRegion(catalog: Catalog, provider: string, code: string): RegionFacts | undefined {
  const lookup = catalog.regionIndex.get(provider);
  if (!lookup) return undefined;
  const normalized = normalizeRegionCode(code);
  const direct = lookup.get(normalized);
  if (direct) return direct;
  // AWS and Huawei zones append a letter to the region; GCP and Alibaba zones append `-<letter>`.
  const zone = /^(.*\d)[a-z]$/.exec(normalized) ?? /^(.*)-[a-z]$/.exec(normalized);
  return zone?.[1] === undefined ? undefined : lookup.get(zone[1]);
}

/** All regions of a provider, in catalog order; empty when it has no region table. */
export function regionsOf(catalog: Catalog, provider: string): RegionFacts[] {
  return [...(catalog.regions.get(provider)?.values() ?? [])];
}

/** The ISO country of a provider's region code, or undefined when unknown (or global). */
export function countryOfRegion(catalog: Catalog, provider: string, code: string): string | undefined {
  return findRegion(catalog, provider, code)?.country;
}
