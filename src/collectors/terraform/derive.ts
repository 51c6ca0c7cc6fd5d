/**
 * Reading the derived attributes of a planned resource from its tags (SPEC 2.1 `tags`), the same
 * way inventory files do, so a plan and an inventory describe resources alike.
 */
import type { DerivedAttribute, Resource } from "../../inventory/types.js";

/** Sets classification, workload, environment, criticality, sector, residency and certifications from tags when unset. */
export function deriveAttributes(resource: Resource, tagKeys: Record<DerivedAttribute, string[]>): void {
  const lowered = new Map(
    Object.entries(resource.tags).map(([key, value]) => [key.toLowerCase(), value] as const),
  );
  const read = (attribute: DerivedAttribute): string | undefined => {
    for (const key of tagKeys[attribute] ?? []) {
      const value = lowered.get(key.toLowerCase())?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const list = (value: string | undefined): string[] | undefined => {
    const items = value
      ?.split(/[,\s]+/)
      .map((item) => item.trim())
      .filter(Boolean);
    return items && items.length > 0 ? items : undefined;
  };
  const classification = read("classification");
  if (resource.classification === undefined && classification !== undefined)
    resource.classification = classification;
  const workload = read("workload");
  if (resource.workload === undefined && workload !== undefined) resource.workload = workload;
  const environment = read("environment");
  if (resource.environment === undefined && environment !== undefined) resource.environment = environment;
  const criticality = read("criticality");
  if (resource.criticality === undefined && criticality !== undefined) resource.criticality = criticality;
  const sector = read("sector");
  if (resource.sector === undefined && sector !== undefined) resource.sector = sector;
  const residency = list(read("residency"))?.map((country) => country.toUpperCase());
  if (resource.residency === undefined && residency !== undefined) resource.residency = residency;
  const certifications = list(read("certification"))?.map((id) => id.toLowerCase());
  if (resource.requiredCertifications === undefined && certifications !== undefined) {
    resource.requiredCertifications = certifications;
  }
}
