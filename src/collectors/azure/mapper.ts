/**
 * ARM resource records (from `resources.list` or Resource Graph) to normalized resources.
 * A mapper never judges: it copies what ARM says and rejects only records it cannot read.
 */
import type { Resource } from "../../inventory/types.js";

/** The fields landlord reads from an ARM `GenericResourceExpanded` or a Resource Graph row. */
export interface ArmResourceRecord {
  id: string;
  type: string;
  name?: string;
  location?: string;
  tags?: Record<string, unknown>;
  kind?: string;
  subscriptionId?: string;
}

/** Why a record could not be read; `undefined` when it is a well-formed ARM resource. */
export function recordProblem(record: unknown): string | undefined {
  if (record === null || typeof record !== "object" || Array.isArray(record))
    return "an entry is not a JSON object";
  const fields = record as Record<string, unknown>;
  if (typeof fields.id !== "string" || fields.id.length === 0) return "an entry has no `id`";
  if (typeof fields.type !== "string" || fields.type.length === 0)
    return `entry ${fields.id} has no \`type\``;
  if (
    fields.tags !== undefined &&
    fields.tags !== null &&
    (typeof fields.tags !== "object" || Array.isArray(fields.tags))
  )
    return `entry ${fields.id} has \`tags\` that are not an object`;
  return undefined;
}

/**
 * ARM locations are lower-case codes (`westeurope`); a few older API versions return display
 * names (`West Europe`), which compare equal once spaces are dropped.
 */
export function normalizeLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const code = location.replace(/\s+/g, "").toLowerCase();
  return code.length === 0 ? undefined : code;
}

/** The subscription id inside an ARM resource id (`/subscriptions/{id}/...`), if any. */
export function subscriptionOf(resourceId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1];
}

/** ARM tag values are strings; Resource Graph may hand back numbers or booleans for odd tags. */
function stringTags(tags: Record<string, unknown> | undefined | null): Record<string, string> {
  const result: Record<string, string> = {};
  if (!tags) return result;
  for (const [key, value] of Object.entries(tags)) {
    if (value === null || value === undefined) result[key] = "";
    else result[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return result;
}

/**
 * Maps one ARM resource to the normalized model: provider `azure`, region from `location`,
 * account = subscription, type = ARM type, and `kind`, which separates function apps from web apps
 * (both are `Microsoft.Web/sites`).
 */
export function toResource(record: ArmResourceRecord, subscriptionId: string): Resource {
  const resource: Resource = {
    id: record.id,
    provider: "azure",
    account: record.subscriptionId ?? subscriptionOf(record.id) ?? subscriptionId,
    type: record.type,
    tags: stringTags(record.tags),
    source: `azure:${subscriptionId}`,
  };
  const region = normalizeLocation(record.location);
  if (region !== undefined) resource.region = region;
  if (record.name !== undefined && record.name !== "") resource.name = record.name;
  if (record.kind !== undefined && record.kind !== null && record.kind !== "") resource.kind = record.kind;
  return resource;
}

/** The key under which two records are the same resource: ARM ids compare case-insensitively. */
export function identityKey(resourceId: string): string {
  return resourceId.toLowerCase();
}
