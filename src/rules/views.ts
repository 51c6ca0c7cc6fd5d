/**
 * What CEL expressions see: plain objects built from enriched resources and the profile, with
 * every field present (CEL has no `undefined`; a missing key is an evaluation error), and with
 * organisation-relative facts (does this provider's parent compete with us?) computed once per
 * provider rather than once per resource.
 */
import type { CertificationFacts, EnrichedResource, ProviderFacts, RegionFacts } from "../catalog/types.js";
import type { Profile } from "../profile/load.js";
import { joinWords } from "../report/present.js";

/** The organisation as rules see it. */
export interface OrgView {
  name: string;
  segments: string[];
  jurisdiction: string;
  competitors: string[];
  distrustedJurisdictions: string[];
  sector: string;
  sensitiveClasses: string[];
  criticalValues: string[];
}

/** A provider with organisation-relative facts. */
export interface ProviderView {
  id: string;
  name: string;
  known: boolean;
  parent: string;
  parentName: string;
  headquarters: string;
  accessLaws: { id: string; name: string; jurisdiction: string }[];
  competingSegments: { segment: string; evidence: string; since: number }[];
  lists: { list: string; name: string; jurisdiction: string; listed: string }[];
  /** The parent competes with the organisation: named in `competitors` or a segment overlap. */
  competitor: boolean;
  /** Segments where the parent and the organisation both do business. */
  overlap: string[];
  /** Why the parent counts as a competitor, with the evidence per segment; empty when it does not. */
  competitorReason: string;
  /**
   * How the parent competes, in a few words for a message: `in grocery and retail`, `(named in its
   * competitors)`, or both; empty when it does not. The evidence is in `competitorReason`.
   */
  competition: string;
  /** Names of the official lists of the organisation's own jurisdiction that name the provider. */
  orgLists: string[];
}

export interface RegionView {
  code: string;
  known: boolean;
  country: string;
  city: string;
  government: boolean;
  sovereign: boolean;
  chinaOperated: boolean;
  operator: string;
  operatorJurisdiction: string;
  closed: boolean;
  global: boolean;
}

/** Builds the organisation view once per evaluation. */
export function orgView(profile: Profile): OrgView {
  return {
    name: profile.organization.name,
    segments: profile.organization.segments.map((segment) => segment.toLowerCase()),
    jurisdiction: profile.organization.jurisdiction,
    competitors: profile.organization.competitors.map((competitor) => competitor.toLowerCase()),
    distrustedJurisdictions: profile.organization.distrustedJurisdictions,
    sector: profile.organization.sector,
    sensitiveClasses: profile.sensitiveClasses.map((value) => value.toLowerCase()),
    criticalValues: profile.criticalValues.map((value) => value.toLowerCase()),
  };
}

/** The provider seen from the organisation. The org's own data centres never compete with it. */
export function providerView(facts: ProviderFacts, org: OrgView): ProviderView {
  const selfHosted = facts.id === "onprem";
  const named = !selfHosted && org.competitors.includes(facts.parent.toLowerCase());
  // Sorted so that messages and data do not depend on the catalog's ordering.
  const overlapping = selfHosted
    ? []
    : facts.competingSegments
        .filter((segment) => org.segments.includes(segment.segment.toLowerCase()))
        .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  const overlap = overlapping.map((segment) => segment.segment);
  let competitorReason = "";
  if (named) competitorReason = `${facts.parentName} is named in the organisation's competitors`;
  if (overlapping.length > 0) {
    const evidence = overlapping.map((segment) => `${segment.segment}: ${segment.evidence}`).join("; ");
    competitorReason = competitorReason
      ? `${competitorReason}; competes in ${evidence}`
      : `competes in ${evidence}`;
  }
  const competition = [
    overlap.length > 0 ? `in ${joinWords(overlap)}` : "",
    named ? "(named in its competitors)" : "",
  ]
    .filter((part) => part !== "")
    .join(" ");
  return {
    id: facts.id,
    name: facts.name,
    known: facts.known,
    parent: facts.parent,
    parentName: facts.parentName,
    headquarters: facts.headquarters,
    accessLaws: facts.accessLaws.map((law) => ({
      id: law.id,
      name: law.name,
      jurisdiction: law.jurisdiction,
    })),
    competingSegments: facts.competingSegments.map((segment) => ({
      segment: segment.segment,
      evidence: segment.evidence,
      since: segment.since ?? 0,
    })),
    lists: facts.lists.map((entry) => ({
      list: entry.list,
      name: entry.name,
      jurisdiction: entry.jurisdiction,
      listed: entry.listed ?? "",
    })),
    competitor: named || overlapping.length > 0,
    overlap,
    competitorReason,
    competition,
    orgLists: facts.lists
      .filter((entry) => entry.jurisdiction === org.jurisdiction)
      .map((entry) => entry.name),
  };
}

export function regionView(facts: RegionFacts): RegionView {
  return {
    code: facts.code,
    known: facts.known,
    country: facts.country ?? "",
    city: facts.city ?? "",
    government: facts.government,
    sovereign: facts.sovereign,
    chinaOperated: facts.chinaOperated,
    operator: facts.operator ?? "",
    operatorJurisdiction: facts.operatorJurisdiction ?? "",
    closed: facts.closed,
    global: facts.global,
  };
}

/** Per-resource judgements the declarative match and CEL share. */
export interface ResourceFlags {
  sensitive: boolean;
  critical: boolean;
  production: boolean;
}

/** Whether held certifications satisfy a required certification id (levels ranked by the catalog). */
export type CertificationCheck = (required: string, held: readonly CertificationFacts[]) => boolean;

/** Without the catalog: a requirement is met by the same id, or by any level of a scheme named alone. */
export const exactCertificationCheck: CertificationCheck = (required, held) =>
  held.some((certification) => certification.id === required || certification.scheme === required);

/** The resource as CEL sees it; built only for resources that reach a CEL expression. */
export function resourceView(
  resource: EnrichedResource,
  flags: ResourceFlags,
  satisfies: CertificationCheck,
): Record<string, unknown> {
  const required = resource.requiredCertifications ?? [];
  return {
    id: resource.id,
    provider: resource.provider,
    region: resource.region ?? "",
    account: resource.account ?? "",
    type: resource.type ?? "",
    name: resource.name ?? "",
    kind: resource.kind ?? "",
    tags: resource.tags,
    vendor: resource.vendor ?? "",
    classification: resource.classification ?? "",
    workload: resource.workload ?? "",
    environment: resource.environment ?? "",
    criticality: resource.criticality ?? "",
    sector: resource.sector ?? "",
    residency: resource.residency ?? [],
    requiredCertifications: required,
    missingCertifications:
      required.length === 0 ? required : required.filter((id) => !satisfies(id, resource.certifications)),
    sensitive: flags.sensitive,
    critical: flags.critical,
    production: flags.production,
    certifications: resource.certifications.map((certification) => certification.id.toLowerCase()),
    certificationSchemes: resource.certifications.map((certification) => certification.scheme.toLowerCase()),
    lockIn: resource.lockIn
      ? {
          class: resource.lockIn.class,
          service: resource.lockIn.service,
          equivalents: resource.lockIn.equivalents,
        }
      : { class: "", service: "", equivalents: {} },
  };
}

/** Environment values that count as production; an unset environment counts too. */
export const PRODUCTION_ENVIRONMENTS: ReadonlySet<string> = new Set(["prod", "production"]);
