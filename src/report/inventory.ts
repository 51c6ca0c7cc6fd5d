/** The enriched inventory as flat rows, for the inventory CSV and other exports. */
import type { EnrichedResource } from "../catalog/types.js";

/** One resource with who its landlord is, where it sits and what it means to the organisation. */
export interface InventoryRow {
  id: string;
  provider: string;
  parent: string;
  region: string;
  /** ISO country of the region; empty when unknown. */
  country: string;
  account: string;
  type: string;
  name: string;
  classification: string;
  workload: string;
  environment: string;
  criticality: string;
  /** Third party that runs the resource for the organisation. */
  vendor: string;
  /** `portable`, `moderate`, `proprietary`, or empty when the service is not in the catalog. */
  lockIn: string;
  /** Folders or management groups above the account, outermost first, joined by ` > `. */
  hierarchy: string;
  /** Tags the resource inherited and where from, e.g. `env=prod (from projects/shop-prod)`, joined by `; `. */
  inheritedTags: string;
}

/** Flattens enriched resources to inventory rows (missing values become empty strings). */
export function inventoryRows(resources: readonly EnrichedResource[]): InventoryRow[] {
  return resources.map((resource) => ({
    id: resource.id,
    provider: resource.provider,
    parent: resource.providerFacts.parent,
    region: resource.region ?? "",
    country: resource.regionFacts.country ?? "",
    account: resource.account ?? "",
    type: resource.type ?? "",
    name: resource.name ?? "",
    classification: resource.classification ?? "",
    workload: resource.workload ?? "",
    environment: resource.environment ?? "",
    criticality: resource.criticality ?? "",
    vendor: resource.vendor ?? "",
    lockIn: resource.lockIn?.class ?? "",
    hierarchy: resource.hierarchy?.join(" > ") ?? "",
    inheritedTags: resource.tagOrigins
      ? Object.entries(resource.tagOrigins)
          .map(([key, origin]) => `${key}=${resource.tags[key] ?? ""} (from ${origin})`)
          .join("; ")
      : "",
  }));
}
