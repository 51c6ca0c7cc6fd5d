/**
 * What the catalog says about a resource's provider and region, attached to every resource by the
 * enrichment step. Rules and reports read these fields; they never look up the catalog themselves.
 */
import type { Resource } from "../inventory/types.js";

/** Which layer of the catalog decided a value: the builtin data or the profile's `catalog:` file. */
export type CatalogLayer = "builtin" | "override";

export const CONFIDENCES = ["verified", "reported", "uncertain"] as const;
/**
 * How sure the catalog is of a fact: `verified` against the named source, `reported` (widely
 * reported, not re-checked), `uncertain` (weak or conflicting sources; check before relying on it).
 */
export type Confidence = (typeof CONFIDENCES)[number];

/** Where a fact came from and who decided it. */
export interface FactOrigin {
  source?: string;
  confidence?: Confidence;
  layer?: CatalogLayer;
}

/** A competing segment of a provider's parent company. */
export interface CompetingSegment extends FactOrigin {
  /** Segment id from the catalog vocabulary (`retail`, `streaming-video`, ...). */
  segment: string;
  /** One line of evidence, e.g. "Whole Foods Market, bought in 2017". */
  evidence: string;
  /** Year the parent entered the segment. */
  since?: number;
}

/** A law that gives a government access to data a provider holds. */
export interface AccessLaw extends FactOrigin {
  id: string;
  name: string;
  jurisdiction: string;
  /** Date the law was enacted (YYYY-MM-DD). */
  enacted?: string;
  summary?: string;
}

/** An entry on an official restricted list. */
export interface ListEntry extends FactOrigin {
  /** List id, e.g. `us-fcc-covered-list`, `us-entity-list`, `us-dod-1260h`. */
  list: string;
  name: string;
  /** ISO country (or `EU`) whose government keeps the list. */
  jurisdiction: string;
  /** Date the entity was listed (YYYY-MM-DD). */
  listed?: string;
  /** Date the entity left the list or the list lapsed (YYYY-MM-DD); the entry counts before it. */
  until?: string;
  entity?: string;
  note?: string;
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
  /** City of the parent's headquarters. */
  headquartersCity?: string;
  /** Provider whose infrastructure this one runs on (Heroku runs on `aws`); its exposure is inherited. */
  runsOn?: string;
  /** Legal Entity Identifier of the provider's contracting entity, when the catalog knows it. */
  lei?: string;
  /** Legal Entity Identifier of the ultimate parent, when the catalog knows it. */
  parentLei?: string;
  /** All certifications with their dates and region scope, valid or not (the resource gets those in force). */
  certifications?: CertificationFacts[];
  /** True when the catalog has a region table for the provider. */
  hasRegionTable?: boolean;
  /** Confidence and source of the parent-company facts. */
  confidence?: Confidence;
  source?: string;
  notes?: string[];
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
  /** Restricted access: invitation-only, canary, air-gapped or industry regions. */
  restricted?: boolean;
  /**
   * Jurisdictions whose law reaches data in this region: the provider parent's home, the
   * operator's, and the region's own country. Empty when nothing is known.
   */
  jurisdictions?: string[];
  /** The region code as the catalog knows it, when the resource gave a zone or another spelling. */
  canonicalCode?: string;
  note?: string;
  confidence?: Confidence;
  source?: string;
}

/** A certification in force for the resource's provider (and region) at scan time. */
export interface CertificationFacts extends FactOrigin {
  /** Id such as `csap-high`, `fedramp-high`, `c5`, `ismap`, `irap-protected`, `mtcs-3`. */
  id: string;
  scheme: string;
  level?: string;
  country: string;
  /** First day the certification counts (YYYY-MM-DD); unknown start means "already in force". */
  validFrom?: string;
  /** Day it stops counting (exclusive); unknown end means "until the catalog says otherwise". */
  validUntil?: string;
  /** Region codes it covers; absent means the whole provider. */
  regions?: string[];
  note?: string;
}

export const LOCK_IN_CLASSES = ["portable", "moderate", "proprietary"] as const;
export type LockInClass = (typeof LOCK_IN_CLASSES)[number];

/** How hard the resource's service is to leave. */
export interface LockInFacts extends FactOrigin {
  /** Catalog service id, e.g. `aws-dynamodb`. */
  id?: string;
  /** Service name, e.g. "Amazon DynamoDB". */
  service: string;
  class: LockInClass;
  /** Equivalents on other providers, e.g. `{ azure: "Cosmos DB", gcp: "Firestore / Bigtable" }`. */
  equivalents: Record<string, string>;
  note?: string;
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
