/**
 * What the catalog says about a resource's provider and region, attached to every resource by the
 * enrichment step. Rules and reports read these fields; they never look up the catalog themselves.
 */
import type { Resource } from "../inventory/types.js";

/** Which layer of the catalog decided a value: the builtin data or the profile's `catalog:` file. */
export type CatalogLayer = "builtin" | "override";

/** A competing segment of a provider's parent company. */
export interface CompetingSegment {
  /** Segment id from the catalog vocabulary (`retail`, `streaming-video`, ...). */
  segment: string;
  /** One line of evidence, e.g. "Whole Foods Market, bought in 2017". */
  evidence: string;
  /** Year the parent entered the segment. */
  since?: number;
  source?: string;
}

/** A law that gives a government access to data a provider holds. */
export interface AccessLaw {
  id: string;
  name: string;
  jurisdiction: string;
}

/** An entry on an official restricted list. */
export interface ListEntry {
  list: string;
  name: string;
  /** ISO country (or `EU`) whose government keeps the list. */
  jurisdiction: string;
  /** Date the entity was listed (YYYY-MM-DD). */
  listed?: string;
  entity?: string;
  source?: string;
}

/** Who a resource's provider really is. */
export interface ProviderFacts {
  id: string;
  name: string;
  known: boolean;
  parent: string;
  parentName: string;
  /** ISO country of the parent's headquarters: the home jurisdiction. */
  headquarters: string;
  accessLaws: AccessLaw[];
  competingSegments: CompetingSegment[];
  lists: ListEntry[];
  layer: CatalogLayer;
}

/** Where a resource's region is and who operates it. */
export interface RegionFacts {
  code: string;
  known: boolean;
  /** ISO country; undefined when unknown or for `global`. */
  country?: string;
  city?: string;
  government: boolean;
  sovereign: boolean;
  /** Region operated in mainland China by a local operator of record. */
  chinaOperated: boolean;
  /** Operator of record when it is not the provider (Sinnet, NWCD, 21Vianet). */
  operator?: string;
  /** Jurisdiction the operator answers to, when it differs from the provider's parent. */
  operatorJurisdiction?: string;
  closed: boolean;
  global: boolean;
  layer: CatalogLayer;
}

/** A certification in force for the resource's provider (and region) at scan time. */
export interface CertificationFacts {
  /** Id such as `csap-high`, `fedramp-high`, `c5`, `ismap`, `irap-protected`, `mtcs-3`. */
  id: string;
  scheme: string;
  level?: string;
  country: string;
  validFrom?: string;
  validUntil?: string;
}

export const LOCK_IN_CLASSES = ["portable", "moderate", "proprietary"] as const;
export type LockInClass = (typeof LOCK_IN_CLASSES)[number];

/** How hard the resource's service is to leave. */
export interface LockInFacts {
  /** Service name, e.g. "Amazon DynamoDB". */
  service: string;
  class: LockInClass;
  /** Equivalents on other providers, e.g. `{ azure: "Cosmos DB", gcp: "Firestore / Bigtable" }`. */
  equivalents: Record<string, string>;
}

/** A resource with everything the catalog knows about where it stands. */
export interface EnrichedResource extends Resource {
  providerFacts: ProviderFacts;
  regionFacts: RegionFacts;
  /** Certifications of the provider (and region) valid at scan time. */
  certifications: CertificationFacts[];
  /** Undefined when the resource type is not in the catalog. */
  lockIn?: LockInFacts;
}
