/**
 * Cloud Asset Inventory search results to normalized resources. Pure: no SDK, no network.
 */
import type { Resource } from "../../inventory/types.js";

/** A project as the hierarchy walk found it. */
export interface GcpProject {
  /** Project id (`shop-prod`): the resource's `account`. */
  projectId: string;
  /** Resource name with the project number (`projects/123456789012`). */
  name: string;
  displayName?: string;
  /** Parent resource (`folders/456` or `organizations/123`). */
  parent?: string;
  labels: Record<string, string>;
  /** Ancestors, outermost first: `["organizations/123", "folders/456"]`. */
  hierarchy: string[];
}

/** The fields of an asset `ResourceSearchResult` the mapper reads (protobuf fields may be null). */
export interface AssetSearchResult {
  name?: string | null;
  assetType?: string | null;
  project?: string | null;
  displayName?: string | null;
  location?: string | null;
  labels?: Record<string, string> | null;
  folders?: string[] | null;
  organization?: string | null;
}

/**
 * Multi-region locations. Cloud Storage, BigQuery, Artifact Registry and others report these
 * instead of a region (BigQuery in upper case). They are kept as region codes, lower-cased, so the
 * catalog can place them by continent: `us`, `eu`, `asia`.
 */
export const GCP_MULTI_REGIONS = ["us", "eu", "asia"] as const;

/**
 * Predefined Cloud Storage dual-regions: each names a pair of regions in one country or continent.
 * Kept as their own codes, like multi-regions.
 */
export const GCP_DUAL_REGIONS = ["asia1", "eur4", "eur5", "eur7", "eur8", "nam4"] as const;

const ZONE = /^([a-z]+-[a-z]+\d+)-[a-z]$/;

/**
 * The region of a Cloud Asset location: a zone (`us-central1-a`) becomes its region
 * (`us-central1`); `global`, multi-regions (`us`, `eu`, `asia`, any case) and dual-regions
 * (`nam4`) are kept as codes; an empty location gives undefined.
 */
export function regionFromLocation(location: string | null | undefined): string | undefined {
  const code = location?.trim().toLowerCase();
  if (!code) return undefined;
  if (code === "global") return "global";
  if ((GCP_MULTI_REGIONS as readonly string[]).includes(code)) return code;
  if ((GCP_DUAL_REGIONS as readonly string[]).includes(code)) return code;
  const zone = ZONE.exec(code);
  return zone?.[1] ?? code;
}

/** The last segment of a full resource name: `//compute.googleapis.com/projects/p/zones/z/instances/vm-1` -> `vm-1`. */
export function lastSegment(resourceName: string): string {
  const segments = resourceName.split("/").filter((segment) => segment !== "");
  return segments.at(-1) ?? resourceName;
}

/** Where the mapper looks up projects: by project number (`projects/123`) and by id. */
export interface ProjectDirectory {
  byName: ReadonlyMap<string, GcpProject>;
}

function hierarchyFromResult(result: AssetSearchResult): string[] {
  // The asset API lists folders innermost first; the report wants outermost first.
  const folders = [...(result.folders ?? [])].reverse();
  return result.organization ? [result.organization, ...folders] : folders;
}

/**
 * Maps one search result. `scanned` is the project whose search returned it; the result's own
 * `project` (a project number) wins when the directory knows it. Project labels fill in keys the
 * resource lacks, and `tagOrigins` records where each inherited label came from.
 */
export function mapAssetResult(
  result: AssetSearchResult,
  scanned: GcpProject,
  directory: ProjectDirectory,
): Resource | undefined {
  if (!result.name) return undefined;
  const project = (result.project && directory.byName.get(result.project)) || scanned;
  const ownLabels = result.labels ?? {};
  const tags: Record<string, string> = { ...ownLabels };
  const tagOrigins: Record<string, string> = {};
  for (const [key, value] of Object.entries(project.labels)) {
    if (key in tags) continue;
    tags[key] = value;
    tagOrigins[key] = `projects/${project.projectId}`;
  }
  const resource: Resource = {
    id: result.name,
    provider: "gcp",
    account: project.projectId,
    name: result.displayName || lastSegment(result.name),
    tags,
    source: `gcp:${project.projectId}`,
  };
  const region = regionFromLocation(result.location);
  if (region) resource.region = region;
  if (result.assetType) resource.type = result.assetType;
  if (Object.keys(tagOrigins).length > 0) resource.tagOrigins = tagOrigins;
  // The walk may stop below the organisation (a folder it could not read); the asset's own
  // ancestry, when it reaches further up, is then the better answer.
  const fromAsset = hierarchyFromResult(result);
  const complete = project.hierarchy[0]?.startsWith("organizations/") ?? false;
  const hierarchy = complete || fromAsset.length <= project.hierarchy.length ? project.hierarchy : fromAsset;
  if (hierarchy.length > 0) resource.hierarchy = [...hierarchy];
  return resource;
}
