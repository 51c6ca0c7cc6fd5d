/**
 * The estate analysis behind the human-facing reports: who competes with the organisation, which
 * governments can reach its data, what is locked in, and what leaving a provider would take down.
 *
 * Everything is computed in one pass over the enriched inventory with maps keyed by provider,
 * jurisdiction and workload, so it stays cheap on a million resources.
 */
import type {
  AccessLaw,
  CompetingSegment,
  EnrichedResource,
  ListEntry,
  LockInClass,
  LockInFacts,
  ProviderFacts,
  RegionFacts,
} from "../catalog/types.js";
import type { Profile } from "../profile/load.js";
import { describeHhi, formatCount, formatShare, joinWords } from "./present.js";
import { type Finding, SEVERITIES, type Severity } from "./types.js";

/** The parts of the organisation profile the analysis reads. */
export type AnalysisProfile = Pick<Profile, "organization" | "sensitiveClasses" | "criticalValues"> &
  Partial<Pick<Profile, "tagKeys">>;

/** A provider whose parent company competes with the organisation. */
export interface ConflictOfInterest {
  provider: string;
  providerName: string;
  parent: string;
  parentName: string;
  /** Segments where the parent competes with the organisation, with evidence and the year it began. */
  segments: CompetingSegment[];
  /** True when the parent is named in `organization.competitors`. */
  namedCompetitor: boolean;
  resources: number;
  /** Resources whose classification is in the profile's `sensitiveClasses`. */
  sensitiveResources: number;
  /** Workloads with at least one resource on this provider, sorted. */
  workloads: string[];
  /** Workloads with sensitive data on this provider, sorted. */
  sensitiveWorkloads: string[];
  /** Third-party vendors hosting the organisation's resources on this provider, sorted. */
  vendors: string[];
}

/** A government whose reach extends to some of the organisation's resources. */
export interface JurisdictionExposure {
  /** ISO country (or `EU`) of the government. */
  jurisdiction: string;
  /** Providers answering to it: by parent headquarters, region operator or an access law. */
  providers: string[];
  /** Laws that give this government access to data the providers hold. */
  accessLaws: AccessLaw[];
  resources: number;
  sensitiveResources: number;
  /** True when it is not the organisation's own jurisdiction. */
  foreign: boolean;
  /** True when listed in `organization.distrustedJurisdictions`. */
  distrusted: boolean;
}

/** A provider that appears on an official restricted list. */
export interface RestrictedProvider {
  provider: string;
  providerName: string;
  lists: ListEntry[];
  /** True when one of the lists is kept by the organisation's own government. */
  ownJurisdiction: boolean;
  resources: number;
  sensitiveResources: number;
}

/** Where the organisation's data physically sits. */
export interface DataLocation {
  /** ISO country, or `unknown` for regions the catalog does not place (`global` is counted as unknown). */
  country: string;
  resources: number;
  sensitiveResources: number;
}

/** A service a workload depends on that would have to be rebuilt elsewhere. */
export interface LockedService {
  service: string;
  provider: string;
  class: LockInClass;
  resources: number;
  /** Equivalents on other providers. */
  equivalents: Record<string, string>;
}

/** The proprietary and moderately portable services of one workload. */
export interface WorkloadLockIn {
  workload: string;
  critical: boolean;
  providers: string[];
  resources: number;
  /** Proprietary services first, then moderate ones. */
  services: LockedService[];
}

/** What would stop if a provider became unavailable or had to be left. */
export interface ExitImpact {
  provider: string;
  providerName: string;
  parent: string;
  resources: number;
  share: number;
  /** Workloads whose every resource is on this provider: they stop entirely. */
  workloadsLost: string[];
  /** Critical workloads among `workloadsLost`. */
  criticalLost: string[];
  /** Workloads with some but not all resources on this provider: they run degraded. */
  workloadsDegraded: string[];
  /** Critical workloads among `workloadsDegraded`. */
  criticalDegraded: string[];
  sensitiveResources: number;
  /** Resources on this provider that belong to no workload. */
  unassignedResources: number;
  /** Proprietary services on this provider that need rebuilding elsewhere. */
  proprietaryServices: string[];
}

/** Everything the human-facing reports tell beyond the findings themselves. */
export interface EstateAnalysis {
  /** Three to five plain sentences for a board member. */
  executiveSummary: string[];
  conflicts: ConflictOfInterest[];
  jurisdictions: JurisdictionExposure[];
  restrictedProviders: RestrictedProvider[];
  dataLocations: DataLocation[];
  lockIn: WorkloadLockIn[];
  /** One entry per provider (the organisation's own data centres excluded), largest first. */
  exitImpact: ExitImpact[];
}

/** The provider id of the organisation's own data centres. */
const ONPREM = "onprem";

function lowerSet(values: readonly string[]): Set<string> {
  return new Set(values.map((value) => value.toLowerCase()));
}

/**
 * Reads the traits of one resource at a time into its own fields: no object per resource, and tag
 * keys lower-cased once per distinct key rather than once per resource.
 */
class TraitReader {
  sensitive = false;
  critical = false;
  workload: string | undefined = undefined;
  readonly #lowerKeys = new Map<string, string>();

  constructor(
    readonly sensitiveClasses: Set<string>,
    readonly criticalValues: Set<string>,
    readonly tagKeys: Partial<Record<string, string[]>> | undefined,
  ) {}

  read(resource: EnrichedResource): void {
    const classification = this.#attribute(resource, "classification");
    const criticality = this.#attribute(resource, "criticality");
    this.sensitive = classification !== undefined && this.sensitiveClasses.has(classification.toLowerCase());
    this.critical = criticality !== undefined && this.criticalValues.has(criticality.toLowerCase());
    this.workload = this.#attribute(resource, "workload");
  }

  /** Reads a derived attribute, falling back to the profile's tag keys when the pipeline left it unset. */
  #attribute(
    resource: EnrichedResource,
    name: "classification" | "workload" | "criticality",
  ): string | undefined {
    const direct = resource[name];
    if (direct !== undefined && direct !== "") return direct;
    const keys = this.tagKeys?.[name];
    if (!keys || keys.length === 0) return undefined;
    const tags = resource.tags;
    for (const key of Object.keys(tags)) {
      const value = tags[key]!;
      if (value === "") continue;
      let lower = this.#lowerKeys.get(key);
      if (lower === undefined) {
        lower = key.toLowerCase();
        this.#lowerKeys.set(key, lower);
      }
      if (keys.includes(lower)) return value;
    }
    return undefined;
  }
}

interface ProviderTally {
  provider: string;
  providerName: string;
  parent: string;
  parentName: string;
  resources: number;
  sensitiveResources: number;
  unassignedResources: number;
  workloads: Set<string>;
  sensitiveWorkloads: Set<string>;
  vendors: Set<string>;
  proprietaryServices: Set<string>;
  /** Segments where the parent competes with the organisation; undefined when it does not compete. */
  conflict: { segments: CompetingSegment[]; namedCompetitor: boolean } | undefined;
  lists: ListEntry[];
}

interface WorkloadTally {
  resources: number;
  critical: boolean;
  providers: Map<string, number>;
  /** In first-seen order. */
  services: LockedService[];
  /** The same services by provider, then service name. */
  servicesByProvider: Map<string, Map<string, LockedService>>;
}

interface JurisdictionTally {
  providers: Set<string>;
  accessLaws: Map<string, AccessLaw>;
  resources: number;
  sensitiveResources: number;
}

function competition(
  provider: string,
  facts: ProviderFacts,
  segments: Set<string>,
  competitors: Set<string>,
): ProviderTally["conflict"] {
  if (provider === ONPREM) return undefined;
  const overlapping = facts.competingSegments.filter((entry) => segments.has(entry.segment.toLowerCase()));
  const namedCompetitor = competitors.has(facts.parent.toLowerCase());
  if (overlapping.length === 0 && !namedCompetitor) return undefined;
  return { segments: overlapping, namedCompetitor };
}

/**
 * Resources that share provider, region and workload, with what the analysis counts of them. The
 * resource loop finds a resource's place with lookups by object identity and interned strings and
 * counts into it; every tally is then built from the places.
 */
interface EstatePlace {
  provider: string;
  facts: ProviderFacts;
  regionFacts: RegionFacts;
  workload: string | undefined;
  resources: number;
  sensitive: number;
  critical: number;
  vendors: Set<string> | undefined;
  /** Resources by their lock-in facts (shared objects, one per service). */
  lockIns: Map<LockInFacts, number> | undefined;
}

class EstatePlaces {
  readonly places: EstatePlace[] = [];
  readonly #byFacts = new Map<RegionFacts, Map<ProviderFacts, Map<string, EstatePlace>>>();

  add(resource: EnrichedResource, traits: TraitReader): void {
    const regionFacts = resource.regionFacts;
    const facts = resource.providerFacts;
    let byProviderFacts = this.#byFacts.get(regionFacts);
    if (byProviderFacts === undefined) {
      byProviderFacts = new Map();
      this.#byFacts.set(regionFacts, byProviderFacts);
    }
    let byWorkload = byProviderFacts.get(facts);
    if (byWorkload === undefined) {
      byWorkload = new Map();
      byProviderFacts.set(facts, byWorkload);
    }
    const workload = traits.workload;
    let place = byWorkload.get(workload ?? "");
    if (place === undefined || place.provider !== resource.provider) {
      place = {
        provider: resource.provider,
        facts,
        regionFacts,
        workload,
        resources: 0,
        sensitive: 0,
        critical: 0,
        vendors: undefined,
        lockIns: undefined,
      };
      byWorkload.set(workload ?? "", place);
      this.places.push(place);
    }
    place.resources++;
    if (traits.sensitive) place.sensitive++;
    if (traits.critical) place.critical++;
    if (resource.vendor) {
      place.vendors ??= new Set();
      place.vendors.add(resource.vendor);
    }
    const lockIn = resource.lockIn;
    if (lockIn !== undefined) {
      place.lockIns ??= new Map();
      place.lockIns.set(lockIn, (place.lockIns.get(lockIn) ?? 0) + 1);
    }
  }
}

/** The jurisdictions whose governments reach a provider's region: its parent's, the operator's, its laws'. */
function exposuresOf(
  provider: string,
  facts: ProviderFacts,
  regionFacts: RegionFacts,
  jurisdictions: Map<string, JurisdictionTally>,
): JurisdictionTally[] {
  const reached = new Set<string>();
  if (facts.headquarters) reached.add(facts.headquarters.toUpperCase());
  const operator = regionFacts.operatorJurisdiction;
  if (operator) reached.add(operator.toUpperCase());
  for (const law of facts.accessLaws) reached.add(law.jurisdiction.toUpperCase());
  const exposures: JurisdictionTally[] = [];
  for (const code of reached) {
    let exposure = jurisdictions.get(code);
    if (exposure === undefined) {
      exposure = { providers: new Set(), accessLaws: new Map(), resources: 0, sensitiveResources: 0 };
      jurisdictions.set(code, exposure);
    }
    if (!exposure.providers.has(provider)) {
      exposure.providers.add(provider);
      for (const law of facts.accessLaws) {
        if (law.jurisdiction.toUpperCase() === code) exposure.accessLaws.set(law.id, law);
      }
    }
    exposures.push(exposure);
  }
  return exposures;
}

/** The data location of a country (`unknown` when the catalog does not place the region). */
function locationOf(rawCountry: string | undefined, locations: Map<string, DataLocation>): DataLocation {
  const country = rawCountry?.toUpperCase() ?? "unknown";
  let location = locations.get(country);
  if (location === undefined) {
    location = { country, resources: 0, sensitiveResources: 0 };
    locations.set(country, location);
  }
  return location;
}

/**
 * Analyses the enriched inventory for the human-facing reports.
 *
 * A provider "competes" when its parent is in `organization.competitors` or one of the parent's
 * competing segments is among `organization.segments`. A resource is sensitive when its
 * classification is in `sensitiveClasses`, critical when its criticality is in `criticalValues`;
 * a workload is critical when any of its resources is.
 */
export function analyzeEstate(
  resources: readonly EnrichedResource[],
  context: { profile: AnalysisProfile; findings: readonly Finding[] },
): EstateAnalysis {
  const { profile } = context;
  const sensitiveClasses = lowerSet(profile.sensitiveClasses);
  const criticalValues = lowerSet(profile.criticalValues);
  const segments = lowerSet(profile.organization.segments);
  const competitors = lowerSet(profile.organization.competitors);
  const ownJurisdiction = profile.organization.jurisdiction.toUpperCase();
  const distrusted = new Set(profile.organization.distrustedJurisdictions.map((code) => code.toUpperCase()));

  const providers = new Map<string, ProviderTally>();
  const workloads = new Map<string, WorkloadTally>();
  const jurisdictions = new Map<string, JurisdictionTally>();
  const locations = new Map<string, DataLocation>();
  const places = new EstatePlaces();
  const traits = new TraitReader(sensitiveClasses, criticalValues, profile.tagKeys);
  for (const resource of resources) {
    traits.read(resource);
    places.add(resource, traits);
  }

  // Tallies from places: a few thousand, where the resources were a million.
  const exposuresByFacts = new Map<RegionFacts, Map<ProviderFacts, JurisdictionTally[]>>();
  for (const place of places.places) {
    const { provider, facts, regionFacts, workload, resources: count, sensitive } = place;
    let tally = providers.get(provider);
    if (tally === undefined) {
      tally = {
        provider,
        providerName: facts.name,
        parent: facts.parent,
        parentName: facts.parentName,
        resources: 0,
        sensitiveResources: 0,
        unassignedResources: 0,
        workloads: new Set(),
        sensitiveWorkloads: new Set(),
        vendors: new Set(),
        proprietaryServices: new Set(),
        conflict: competition(provider, facts, segments, competitors),
        lists: facts.lists,
      };
      providers.set(provider, tally);
    }
    tally.resources += count;
    tally.sensitiveResources += sensitive;
    if (workload === undefined) tally.unassignedResources += count;
    else {
      tally.workloads.add(workload);
      if (sensitive > 0) tally.sensitiveWorkloads.add(workload);
    }
    if (place.vendors) for (const vendor of place.vendors) tally.vendors.add(vendor);
    if (place.lockIns) {
      for (const lockIn of place.lockIns.keys()) {
        if (lockIn.class === "proprietary") tally.proprietaryServices.add(lockIn.service);
      }
    }

    if (workload !== undefined) {
      let tallied = workloads.get(workload);
      if (tallied === undefined) {
        tallied = {
          resources: 0,
          critical: false,
          providers: new Map(),
          services: [],
          servicesByProvider: new Map(),
        };
        workloads.set(workload, tallied);
      }
      tallied.resources += count;
      if (place.critical > 0) tallied.critical = true;
      tallied.providers.set(provider, (tallied.providers.get(provider) ?? 0) + count);
      if (place.lockIns) {
        let byService = tallied.servicesByProvider.get(provider);
        if (byService === undefined) {
          byService = new Map();
          tallied.servicesByProvider.set(provider, byService);
        }
        for (const [lockIn, lockInCount] of place.lockIns) {
          if (lockIn.class === "portable") continue;
          const service = byService.get(lockIn.service);
          if (service) service.resources += lockInCount;
          else {
            const entry: LockedService = {
              service: lockIn.service,
              provider,
              class: lockIn.class,
              resources: lockInCount,
              equivalents: lockIn.equivalents,
            };
            byService.set(lockIn.service, entry);
            tallied.services.push(entry);
          }
        }
      }
    }

    // Who can reach the data and where it sits depend only on the provider and region facts.
    if (provider !== ONPREM) {
      let byProviderFacts = exposuresByFacts.get(regionFacts);
      if (byProviderFacts === undefined) {
        byProviderFacts = new Map();
        exposuresByFacts.set(regionFacts, byProviderFacts);
      }
      let exposures = byProviderFacts.get(facts);
      if (exposures === undefined) {
        exposures = exposuresOf(provider, facts, regionFacts, jurisdictions);
        byProviderFacts.set(facts, exposures);
      }
      for (const exposure of exposures) {
        exposure.resources += count;
        exposure.sensitiveResources += sensitive;
      }
    }
    const location = locationOf(regionFacts.country, locations);
    location.resources += count;
    location.sensitiveResources += sensitive;
  }

  const total = resources.length;
  const providerTallies = [...providers.values()].sort(byResourcesThenName((tally) => tally.provider));

  const conflicts: ConflictOfInterest[] = providerTallies
    .filter((tally) => tally.conflict !== undefined)
    .map((tally) => ({
      provider: tally.provider,
      providerName: tally.providerName,
      parent: tally.parent,
      parentName: tally.parentName,
      segments: tally.conflict?.segments ?? [],
      namedCompetitor: tally.conflict?.namedCompetitor ?? false,
      resources: tally.resources,
      sensitiveResources: tally.sensitiveResources,
      workloads: sorted(tally.workloads),
      sensitiveWorkloads: sorted(tally.sensitiveWorkloads),
      vendors: sorted(tally.vendors),
    }))
    .sort((a, b) => b.sensitiveResources - a.sensitiveResources || b.resources - a.resources);

  const jurisdictionList: JurisdictionExposure[] = [...jurisdictions.entries()]
    .map(([jurisdiction, tally]) => ({
      jurisdiction,
      providers: sorted(tally.providers),
      accessLaws: [...tally.accessLaws.values()].sort((a, b) => a.id.localeCompare(b.id)),
      resources: tally.resources,
      sensitiveResources: tally.sensitiveResources,
      foreign: jurisdiction !== ownJurisdiction,
      distrusted: distrusted.has(jurisdiction),
    }))
    .sort(
      (a, b) =>
        Number(b.distrusted) - Number(a.distrusted) ||
        b.sensitiveResources - a.sensitiveResources ||
        b.resources - a.resources ||
        a.jurisdiction.localeCompare(b.jurisdiction),
    );

  const restrictedProviders: RestrictedProvider[] = providerTallies
    .filter((tally) => tally.lists.length > 0)
    .map((tally) => ({
      provider: tally.provider,
      providerName: tally.providerName,
      lists: tally.lists,
      ownJurisdiction: tally.lists.some((entry) => entry.jurisdiction.toUpperCase() === ownJurisdiction),
      resources: tally.resources,
      sensitiveResources: tally.sensitiveResources,
    }));

  const dataLocations = [...locations.values()].sort(byResourcesThenName((location) => location.country));

  const lockIn: WorkloadLockIn[] = [];
  for (const [name, workload] of workloads) {
    if (workload.services.length === 0) continue;
    lockIn.push({
      workload: name,
      critical: workload.critical,
      providers: sorted(workload.providers.keys()),
      resources: workload.resources,
      services: [...workload.services].sort(
        (a, b) =>
          Number(b.class === "proprietary") - Number(a.class === "proprietary") ||
          b.resources - a.resources ||
          a.service.localeCompare(b.service),
      ),
    });
  }
  const proprietaryCount = (entry: WorkloadLockIn) =>
    entry.services.filter((service) => service.class === "proprietary").length;
  lockIn.sort(
    (a, b) =>
      Number(b.critical) - Number(a.critical) ||
      proprietaryCount(b) - proprietaryCount(a) ||
      a.workload.localeCompare(b.workload),
  );

  const exitImpacts = providerTallies
    .filter((tally) => tally.provider !== ONPREM)
    .map((tally) => impactOf(tally, workloads, total));

  const analysis: EstateAnalysis = {
    executiveSummary: [],
    conflicts,
    jurisdictions: jurisdictionList,
    restrictedProviders,
    dataLocations,
    lockIn,
    exitImpact: exitImpacts,
  };
  analysis.executiveSummary = executiveSummary(analysis, {
    organization: profile.organization.name,
    total,
    providers: providerTallies,
    findings: context.findings,
  });
  return analysis;
}

function impactOf(
  tally: ProviderTally,
  workloads: ReadonlyMap<string, WorkloadTally>,
  total: number,
): ExitImpact {
  const workloadsLost: string[] = [];
  const criticalLost: string[] = [];
  const workloadsDegraded: string[] = [];
  const criticalDegraded: string[] = [];
  for (const name of sorted(tally.workloads)) {
    const workload = workloads.get(name);
    if (workload === undefined) continue;
    const lost = workload.providers.size === 1;
    (lost ? workloadsLost : workloadsDegraded).push(name);
    if (workload.critical) (lost ? criticalLost : criticalDegraded).push(name);
  }
  return {
    provider: tally.provider,
    providerName: tally.providerName,
    parent: tally.parent,
    resources: tally.resources,
    share: total === 0 ? 0 : tally.resources / total,
    workloadsLost,
    criticalLost,
    workloadsDegraded,
    criticalDegraded,
    sensitiveResources: tally.sensitiveResources,
    unassignedResources: tally.unassignedResources,
    proprietaryServices: sorted(tally.proprietaryServices),
  };
}

/**
 * What leaving (or losing) one provider would take down: `landlord scan --exit <provider>`.
 * Returns an impact with zero resources when the provider hosts nothing.
 */
export function exitImpact(
  resources: readonly EnrichedResource[],
  provider: string,
  profile: Pick<AnalysisProfile, "sensitiveClasses" | "criticalValues"> &
    Partial<Pick<AnalysisProfile, "tagKeys">> = {
    sensitiveClasses: ["confidential", "restricted", "secret", "pii"],
    criticalValues: ["critical", "high", "tier-0", "tier-1"],
  },
): ExitImpact {
  const analysis = analyzeEstate(resources, {
    profile: {
      organization: {
        name: "",
        segments: [],
        jurisdiction: "",
        competitors: [],
        distrustedJurisdictions: [],
        sector: "private",
      },
      sensitiveClasses: profile.sensitiveClasses,
      criticalValues: profile.criticalValues,
      ...(profile.tagKeys === undefined ? {} : { tagKeys: profile.tagKeys }),
    },
    findings: [],
  });
  const found = analysis.exitImpact.find((impact) => impact.provider === provider);
  if (found) return found;
  const onprem = provider === ONPREM ? resources.find((resource) => resource.provider === ONPREM) : undefined;
  return {
    provider,
    providerName: onprem?.providerFacts.name ?? provider,
    parent: onprem?.providerFacts.parent ?? provider,
    resources: 0,
    share: 0,
    workloadsLost: [],
    criticalLost: [],
    workloadsDegraded: [],
    criticalDegraded: [],
    sensitiveResources: 0,
    unassignedResources: 0,
    proprietaryServices: [],
  };
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => a.localeCompare(b));
}

function byResourcesThenName<T extends { resources: number }>(name: (item: T) => string) {
  return (a: T, b: T) => b.resources - a.resources || name(a).localeCompare(name(b));
}

function executiveSummary(
  analysis: EstateAnalysis,
  facts: {
    organization: string;
    total: number;
    providers: readonly ProviderTally[];
    findings: readonly Finding[];
  },
): string[] {
  const sentences: string[] = [];
  const who = facts.organization || "The organisation";
  if (facts.total === 0) {
    sentences.push(`${who} has no resources in this scan, so nothing could be judged about its landlords.`);
    return sentences;
  }

  // Concentration, by parent company: that is who the organisation really depends on. Its own
  // data centres are not a landlord, so shares are of what third parties host (as in the metrics).
  const hosted = facts.providers.filter((tally) => tally.provider !== ONPREM);
  const hostedTotal = hosted.reduce((sum, tally) => sum + tally.resources, 0);
  const selfHosted = facts.total - hostedTotal;
  const ownSites =
    selfHosted > 0 ? ` (and ${formatCount(selfHosted, "resource")} in its own data centres)` : "";
  if (hostedTotal === 0) {
    sentences.push(
      `${who} runs all ${formatCount(facts.total, "resource")} in its own data centres: it has no landlord.`,
    );
  } else {
    const parents = new Map<string, { name: string; resources: number }>();
    for (const tally of hosted) {
      const parent = parents.get(tally.parent);
      if (parent) parent.resources += tally.resources;
      else parents.set(tally.parent, { name: tally.parentName || tally.parent, resources: tally.resources });
    }
    const parentShares = [...parents.values()].sort((a, b) => b.resources - a.resources);
    const hhi = Math.round(
      parentShares.reduce((sum, parent) => sum + (parent.resources / hostedTotal) ** 2, 0) * 10_000,
    );
    const top = parentShares[0]!;
    sentences.push(
      `${who} runs ${formatCount(hostedTotal, "resource")} with ${formatCount(hosted.length, "provider")} ` +
        `owned by ${formatCount(parentShares.length, "parent company", "parent companies")}${ownSites}; ` +
        `${top.name} holds ${formatShare(top.resources / hostedTotal)} of them, which is ${describeHhi(hhi).label} ` +
        `(HHI ${hhi.toLocaleString("en-US")} of 10,000).`,
    );
  }

  const sensitiveConflicts = analysis.conflicts.filter((conflict) => conflict.sensitiveResources > 0);
  if (analysis.conflicts.length === 0) {
    sentences.push(
      "None of the companies hosting its workloads competes with it in its own business segments.",
    );
  } else {
    const worst = sensitiveConflicts[0] ?? analysis.conflicts[0]!;
    const where =
      worst.segments.length > 0
        ? `competes with it in ${joinWords(worst.segments.map((segment) => segment.segment))}`
        : "is named as a competitor";
    const what =
      worst.sensitiveResources > 0
        ? `holds ${formatCount(worst.sensitiveResources, "sensitive resource")}` +
          (worst.sensitiveWorkloads.length > 0
            ? ` of ${formatCount(worst.sensitiveWorkloads.length, "workload")}`
            : "")
        : `hosts ${formatCount(worst.resources, "resource")}, none of them classified sensitive`;
    const others = analysis.conflicts.length - 1;
    sentences.push(
      `${worst.parentName || worst.parent}, which ${where}, ${what}` +
        (others > 0
          ? `; ${formatCount(others, "more competing provider")} also ${others === 1 ? "hosts" : "host"} workloads.`
          : "."),
    );
  }

  const distrustedExposure = analysis.jurisdictions.filter(
    (entry) => entry.distrusted && entry.sensitiveResources > 0,
  );
  const listed = analysis.restrictedProviders.filter((entry) => entry.ownJurisdiction);
  const foreignLaw = analysis.jurisdictions.filter(
    (entry) => entry.foreign && entry.accessLaws.length > 0 && entry.sensitiveResources > 0,
  );
  if (distrustedExposure.length > 0) {
    const count = distrustedExposure.reduce((sum, entry) => sum + entry.sensitiveResources, 0);
    sentences.push(
      `${formatCount(count, "sensitive resource")} can be reached by governments it distrusts ` +
        `(${joinWords(distrustedExposure.map((entry) => entry.jurisdiction))}).`,
    );
  } else if (listed.length > 0) {
    sentences.push(
      `${formatCount(
        listed.reduce((sum, entry) => sum + entry.resources, 0),
        "resource",
      )} run on providers that its own government lists as restricted ` +
        `(${joinWords(listed.map((entry) => entry.providerName || entry.provider))}).`,
    );
  } else if (foreignLaw.length > 0) {
    const laws = foreignLaw.flatMap((entry) => entry.accessLaws.map((law) => law.name));
    sentences.push(
      `Foreign governments can compel access to some of its sensitive data through ${joinWords([...new Set(laws)])}.`,
    );
  }

  const worstExit = [...analysis.exitImpact].sort(
    (a, b) =>
      b.criticalLost.length - a.criticalLost.length || b.workloadsLost.length - a.workloadsLost.length,
  )[0];
  if (worstExit && worstExit.workloadsLost.length > 0) {
    const critical =
      worstExit.criticalLost.length > 0
        ? `, ${worstExit.criticalLost.length} of them critical (${joinWords(worstExit.criticalLost.slice(0, 3))}` +
          `${worstExit.criticalLost.length > 3 ? " and others" : ""})`
        : "";
    sentences.push(
      `Losing ${worstExit.providerName || worstExit.provider} tomorrow would stop ` +
        `${formatCount(worstExit.workloadsLost.length, "workload")} entirely${critical}.`,
    );
  }

  const open = facts.findings.filter((finding) => !finding.waived);
  const waived = facts.findings.length - open.length;
  if (facts.findings.length === 0) {
    sentences.push("The rules raised no findings.");
  } else {
    const counts = new Map<Severity, number>();
    for (const finding of open) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
    const parts = [...SEVERITIES]
      .reverse()
      .filter((severity) => (counts.get(severity) ?? 0) > 0)
      .map((severity) => `${(counts.get(severity) ?? 0).toLocaleString("en-US")} ${severity}`);
    sentences.push(
      (parts.length > 0
        ? `The rules raised ${joinWords(parts)} finding${open.length === 1 ? "" : "s"} to act on`
        : "Every finding is covered by a waiver") +
        (waived > 0 && parts.length > 0
          ? `, and ${waived.toLocaleString("en-US")} more ${waived === 1 ? "is" : "are"} accepted by waivers.`
          : "."),
    );
  }
  return sentences.slice(0, 5);
}
