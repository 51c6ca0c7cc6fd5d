/**
 * landlord as a library: the same pipeline the CLI runs, importable without it.
 *
 * @example
 * const profile = await loadProfile("landlord.yaml");
 * const { report } = await scan({ profile, scanTime: new Date() });
 */
export { enrichResources, loadCatalog } from "./catalog/index.js";
export type * from "./catalog/types.js";
export type * from "./collectors/types.js";
export { type Diagnostic, EXIT, LandlordError } from "./diagnostics.js";
export { FORMAT_NAMES, FORMATTERS } from "./formatters/index.js";
export { readInventoryFile } from "./inventory/read.js";
export type { Resource } from "./inventory/types.js";
export { readVendorsManifest } from "./inventory/vendors.js";
export { loadProfile, type Profile, resolveProfile } from "./profile/load.js";
export { profileSchema } from "./profile/schema.js";
export { buildReport } from "./report/build.js";
export { computeMetrics, hhi } from "./report/metrics.js";
export type * from "./report/types.js";
export { evaluateRules, loadRuleSet } from "./rules/index.js";
export { type CollectOptions, collectInventory, type ScanOptions, scan } from "./scan.js";
export { VERSION } from "./version.js";
