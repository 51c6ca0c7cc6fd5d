/**
 * The builtin provider catalog and the enrichment step (SPEC 2.5).
 *
 * PLACEHOLDER API: a minimal provider-to-parent table so the pipeline runs end to end. The catalog
 * work replaces the data and the implementation behind these same exports.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Resource } from "../inventory/types.js";
import type { EnrichedResource, ProviderFacts, RegionFacts } from "./types.js";

export interface Catalog {
  version: string;
  /** Provider facts by provider id. */
  providers: ReadonlyMap<string, ProviderFacts>;
}

export interface LoadCatalogOptions {
  /** The profile's `catalog:` override file (absolute path). */
  overrideFile?: string;
}

const PARENTS: Record<string, [string, string, string]> = {
  aws: ["amazon", "Amazon.com, Inc.", "US"],
  azure: ["microsoft", "Microsoft Corporation", "US"],
  gcp: ["alphabet", "Alphabet Inc.", "US"],
  oracle: ["oracle", "Oracle Corporation", "US"],
  alibaba: ["alibaba", "Alibaba Group Holding Limited", "CN"],
  onprem: ["self", "The organisation itself", ""],
};

/** Loads the builtin catalog and applies the profile's overrides. */
export async function loadCatalog(_options: LoadCatalogOptions = {}): Promise<Catalog> {
  const providers = new Map<string, ProviderFacts>();
  for (const [id, [parent, parentName, headquarters]] of Object.entries(PARENTS)) {
    providers.set(id, {
      id,
      name: id,
      known: true,
      parent,
      parentName,
      headquarters,
      accessLaws: [],
      competingSegments: [],
      lists: [],
      layer: "builtin",
    });
  }
  return { version: "0.0.0-placeholder", providers };
}

/** Attaches provider, region, certification and lock-in facts to every resource. Pure. */
export function enrichResources(
  resources: readonly Resource[],
  catalog: Catalog,
  _options: { scanTime: Date },
): { resources: EnrichedResource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const enriched = resources.map((resource): EnrichedResource => {
    const providerFacts = catalog.providers.get(resource.provider) ?? unknownProvider(resource.provider);
    const region = resource.region ?? "unknown";
    const regionFacts: RegionFacts = {
      code: region,
      known: false,
      government: false,
      sovereign: false,
      chinaOperated: false,
      closed: false,
      global: region === "global",
      layer: "builtin",
    };
    return { ...resource, providerFacts, regionFacts, certifications: [] };
  });
  return { resources: enriched, diagnostics };
}

/** The parent-company id of a provider (the provider id itself when unknown). */
export function parentOf(catalog: Catalog, provider: string): string {
  return catalog.providers.get(provider)?.parent ?? provider;
}

function unknownProvider(id: string): ProviderFacts {
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
  };
}
