/**
 * The builtin provider catalog and the enrichment step (SPEC 2.5): who each provider really is,
 * where its regions are, what it is certified for, and how hard its services are to leave.
 *
 * Data lives in the package's top-level `catalog/` folder (docs/catalog.md); the profile's
 * `catalog:` file overrides and extends it with the same format.
 */
import type { Catalog } from "./load.js";

export { type EnrichOptions, enrichResources, unknownProvider } from "./enrich.js";
export {
  buildCatalog,
  builtinCatalogDir,
  builtinSnapshotFile,
  type Catalog,
  type CertificationScheme,
  type LoadCatalogOptions,
  loadCatalog,
  type ParentCompany,
  type RestrictedList,
  type SegmentInfo,
  type ServiceFacts,
  type ServiceMatcher,
  writeBuiltinSnapshot,
} from "./load.js";
export { findService, lockInFacts, resourceTypeKey, typeFromArn, typeFromAzureId } from "./lockin.js";
export { countryOfRegion, findRegion, GLOBAL_REGION, normalizeRegionCode, regionsOf } from "./regions.js";
export {
  certificationInForce,
  certificationsInForce,
  inForce,
  listEntryInForce,
  satisfiesCertification,
} from "./validity.js";

/** The parent-company id of a provider (the provider id itself when unknown). */
export function parentOf(catalog: Catalog, providerId: string): string {
  return catalog.providers.get(providerId)?.parent ?? providerId;
}
