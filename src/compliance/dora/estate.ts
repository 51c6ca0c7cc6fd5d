/**
 * Computes what the DORA register of information needs from the enriched inventory: the ICT
 * third-party providers, one ICT service per provider and service type, the supply chains of the
 * vendors, and the facts of the Art. 29 concentration assessment. Pure: one pass over the
 * resources, no catalog look-ups (the enrichment put everything on the resources).
 */
import type { EnrichedResource } from "../../catalog/types.js";
import type { Profile } from "../../profile/load.js";
import {
  type CloudServiceType,
  type DiscontinuationImpact,
  isThirdCountry,
  type RelianceLevel,
  type Sensitiveness,
  type Substitutability,
  type SubstitutabilityReason,
} from "./codes.js";
import type {
  DoraAlternative,
  DoraEstate,
  DoraParentGroup,
  DoraProvider,
  DoraService,
  DoraSupplyLink,
  DoraThirdCountry,
} from "./types.js";

/** The parts of the organisation profile the register reads. */
export type DoraProfile = Pick<Profile, "organization" | "sensitiveClasses" | "criticalValues"> &
  Partial<Pick<Profile, "dora">>;

/** The organisation's own data centres are no third-party provider. */
const ONPREM = "onprem";

/** Catalog services that rent infrastructure (machines, disks, storage, networking): IaaS. */
const IAAS_SERVICES: ReadonlySet<string> = new Set([
  "aws-ec2-instance",
  "aws-ebs-volume",
  "aws-s3",
  "aws-efs",
  "aws-fsx",
  "aws-elb",
  "aws-cloudfront",
  "aws-route53",
  "azure-vm",
  "azure-disk",
  "azure-storage",
  "azure-files",
  "azure-netapp",
  "azure-load-balancing",
  "gcp-compute",
  "gcp-storage",
  "gcp-filestore",
  "gcp-cloud-dns",
]);

/** Providers whose services are applications run for the customer: SaaS unless the type says otherwise. */
const SAAS_PROVIDERS: ReadonlySet<string> = new Set(["sap", "heroku"]);

const IAAS_TYPE =
  /instance|virtualmachine|\bvm\b|server|disk|volume|bucket|object|block|network|loadbalancer|dns/i;
const PAAS_TYPE = /btp|hana|kyma|cloud-foundry|integration/i;
const DATA_TYPE =
  /bucket|disk|volume|storage|file|db|database|sql|table|dataset|cache|redis|cosmos|dynamo|spanner|bigtable|firestore|redshift|synapse|warehouse|backup|vault|secret|kms|key|hana|s4|object|mongo|postgres|mysql|kafka|stream|queue|topic|bus|hub/i;

/** The ICT service type of a resource: vendors run SaaS; the catalog's lock-in service tells IaaS from PaaS. */
export function serviceTypeOf(resource: EnrichedResource): CloudServiceType {
  if (resource.vendor !== undefined) return "S19";
  const serviceId = resource.lockIn?.id;
  if (serviceId !== undefined) return IAAS_SERVICES.has(serviceId) ? "S17" : "S18";
  const type = resource.type ?? "";
  if (SAAS_PROVIDERS.has(resource.provider)) return PAAS_TYPE.test(type) ? "S18" : "S19";
  return IAAS_TYPE.test(type) ? "S17" : "S18";
}

/** True when the resource keeps the organisation's data (not only computes or routes it). */
function storesData(resource: EnrichedResource): boolean {
  if (resource.vendor !== undefined) return true;
  return DATA_TYPE.test(`${resource.lockIn?.id ?? ""} ${resource.type ?? ""}`);
}

/** `vendor:<slug>`: a stable key for a vendor of the manifest. */
export function vendorKey(name: string): string {
  return `vendor:${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}`;
}

interface ServiceTally {
  provider: string;
  serviceType: CloudServiceType;
  services: Set<string>;
  resources: number;
  dataStored: boolean;
  atRest: Map<string, number>;
  processing: Map<string, number>;
  sensitive: number;
  public: number;
  workloads: Set<string>;
  classes: { proprietary: number; moderate: number; portable: number };
  proprietaryServices: Set<string>;
  proprietaryWithoutEquivalent: boolean;
  alternatives: Map<string, Set<string>>;
}

function countriesByCount(counts: Map<string, number>): string[] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([country]) => country);
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function reliance(critical: number, lost: number, total: number): RelianceLevel {
  if (lost > 0) return "Full reliance";
  if (critical === 0 || total === 0) return "Not significant";
  return critical / total >= 1 / 3 ? "Material reliance" : "Low reliance";
}

function substitutabilityOf(tally: ServiceTally): {
  substitutability?: Substitutability;
  reason?: SubstitutabilityReason;
} {
  const { proprietary, moderate, portable } = tally.classes;
  if (proprietary > 0) {
    return tally.proprietaryWithoutEquivalent
      ? { substitutability: "Not substitutable", reason: "3" }
      : { substitutability: "Highly complex substitutability", reason: "2" };
  }
  if (moderate > 0)
    return { substitutability: "Medium complexity in terms of substitutability", reason: "2" };
  if (portable > 0) return { substitutability: "Easily substitutable" };
  return {};
}

/**
 * Builds the register's view of the estate.
 *
 * Reliance on a service (B_02.02.0180) follows the critical workloads that use it: full when a
 * critical workload runs entirely with the provider, material when at least a third of the
 * critical workloads use it, low when fewer do, not significant when none does. Substitutability
 * (B_07.01.0050) follows the catalog's lock-in classes: a proprietary service makes it highly
 * complex (not substitutable when the catalog knows no equivalent), a moderate one of medium
 * complexity, portable services alone easy.
 */
export function doraEstate(resources: readonly EnrichedResource[], profile: DoraProfile): DoraEstate {
  const sensitiveClasses = new Set(profile.sensitiveClasses.map((value) => value.toLowerCase()));
  const criticalValues = new Set(profile.criticalValues.map((value) => value.toLowerCase()));
  const dora = profile.dora;
  const providerLeis = dora?.providerLeis ?? {};
  const contracts = dora?.contracts ?? {};

  const providers = new Map<string, DoraProvider>();
  const services = new Map<string, ServiceTally>();
  const chains = new Map<string, { serviceType: CloudServiceType; runsOn: Set<string> }>();
  const workloads = new Map<string, { critical: boolean; keys: Set<string> }>();
  const groups = new Map<
    string,
    Omit<DoraParentGroup, "providers" | "arrangements" | "share" | "criticalWorkloads"> & {
      providers: Set<string>;
      workloads: Set<string>;
    }
  >();
  const thirdCountries = new Map<
    string,
    { headquartered: Set<string>; located: number; sensitive: number }
  >();
  const thirdCountry = (country: string) => {
    let entry = thirdCountries.get(country);
    if (!entry) {
      entry = { headquartered: new Set(), located: 0, sensitive: 0 };
      thirdCountries.set(country, entry);
    }
    return entry;
  };
  let counted = 0;

  const cloudProvider = (resource: EnrichedResource, direct: boolean): DoraProvider => {
    const facts = resource.providerFacts;
    let entry = providers.get(facts.id);
    if (!entry) {
      const lei = providerLeis[facts.id] ?? facts.lei;
      entry = {
        key: facts.id,
        kind: "cloud",
        name: facts.name,
        ...(lei !== undefined ? { lei, leiSource: providerLeis[facts.id] ? "profile" : "catalog" } : {}),
        ...(facts.headquarters ? { headquarters: facts.headquarters } : {}),
        parent: facts.parent,
        parentName: facts.parentName,
        ...(facts.parentLei !== undefined ? { parentLei: facts.parentLei } : {}),
        ...(contracts[facts.id] !== undefined ? { contract: contracts[facts.id] } : {}),
        resources: 0,
        direct,
      };
      providers.set(facts.id, entry);
    }
    if (direct) entry.direct = true;
    return entry;
  };

  for (const resource of resources) {
    if (resource.provider === ONPREM) continue;
    counted++;
    const sensitive =
      resource.classification !== undefined && sensitiveClasses.has(resource.classification.toLowerCase());
    const critical =
      resource.criticality !== undefined && criticalValues.has(resource.criticality.toLowerCase());
    const facts = resource.providerFacts;

    let key: string;
    if (resource.vendor !== undefined) {
      key = vendorKey(resource.vendor);
      let vendor = providers.get(key);
      if (!vendor) {
        const lei = providerLeis[resource.vendor];
        const headquarters = dora?.headquarters[resource.vendor];
        vendor = {
          key,
          kind: "vendor",
          name: resource.vendor,
          ...(lei !== undefined ? { lei, leiSource: "profile" as const } : {}),
          ...(headquarters !== undefined ? { headquarters } : {}),
          ...(contracts[resource.vendor] !== undefined ? { contract: contracts[resource.vendor] } : {}),
          resources: 0,
          direct: true,
        };
        providers.set(key, vendor);
      }
      vendor.resources++;
      cloudProvider(resource, false);
      let chain = chains.get(key);
      if (!chain) {
        chain = { serviceType: "S19", runsOn: new Set() };
        chains.set(key, chain);
      }
      chain.runsOn.add(facts.id);
      if (vendor.headquarters && isThirdCountry(vendor.headquarters))
        thirdCountry(vendor.headquarters).headquartered.add(key);
    } else {
      key = facts.id;
      cloudProvider(resource, true).resources++;
      if (facts.runsOn !== undefined) {
        let chain = chains.get(key);
        if (!chain) {
          chain = { serviceType: serviceTypeOf(resource), runsOn: new Set() };
          chains.set(key, chain);
        }
        chain.runsOn.add(facts.runsOn);
      }
    }
    if (facts.headquarters && isThirdCountry(facts.headquarters))
      thirdCountry(facts.headquarters).headquartered.add(facts.id);
    const country = resource.regionFacts.country;
    if (country !== undefined && isThirdCountry(country)) {
      const entry = thirdCountry(country);
      entry.located++;
      if (sensitive) entry.sensitive++;
    }

    const serviceType = serviceTypeOf(resource);
    const serviceKey = `${key}\u0000${serviceType}`;
    let tally = services.get(serviceKey);
    if (!tally) {
      tally = {
        provider: key,
        serviceType,
        services: new Set(),
        resources: 0,
        dataStored: false,
        atRest: new Map(),
        processing: new Map(),
        sensitive: 0,
        public: 0,
        workloads: new Set(),
        classes: { proprietary: 0, moderate: 0, portable: 0 },
        proprietaryServices: new Set(),
        proprietaryWithoutEquivalent: false,
        alternatives: new Map(),
      };
      services.set(serviceKey, tally);
    }
    tally.resources++;
    const lockIn = resource.lockIn;
    tally.services.add(lockIn?.service ?? resource.type ?? "unknown type");
    const stores = storesData(resource);
    if (stores) tally.dataStored = true;
    if (country !== undefined) {
      bump(tally.processing, country);
      if (stores) bump(tally.atRest, country);
    }
    if (sensitive) tally.sensitive++;
    if (resource.classification?.toLowerCase() === "public") tally.public++;
    if (lockIn) {
      tally.classes[lockIn.class]++;
      const others = Object.entries(lockIn.equivalents).filter(([provider]) => provider !== facts.id);
      if (lockIn.class === "proprietary") {
        tally.proprietaryServices.add(lockIn.service);
        if (others.length === 0) tally.proprietaryWithoutEquivalent = true;
      }
      for (const [provider, service] of others) {
        let names = tally.alternatives.get(provider);
        if (!names) {
          names = new Set();
          tally.alternatives.set(provider, names);
        }
        names.add(service);
      }
    }

    const workload = resource.workload;
    if (workload !== undefined && workload !== "") {
      tally.workloads.add(workload);
      let entry = workloads.get(workload);
      if (!entry) {
        entry = { critical: false, keys: new Set() };
        workloads.set(workload, entry);
      }
      if (critical) entry.critical = true;
      entry.keys.add(key);
    }

    let group = groups.get(facts.parent);
    if (!group) {
      group = {
        parent: facts.parent,
        parentName: facts.parentName,
        ...(facts.parentLei !== undefined ? { parentLei: facts.parentLei } : {}),
        ...(facts.headquarters ? { headquarters: facts.headquarters } : {}),
        providers: new Set(),
        workloads: new Set(),
        resources: 0,
      };
      groups.set(facts.parent, group);
    }
    group.providers.add(facts.id);
    group.resources++;
    if (workload !== undefined && workload !== "" && critical) group.workloads.add(workload);
  }

  const criticalWorkloads = [...workloads].filter(([, entry]) => entry.critical);
  const serviceRows: DoraService[] = [...services.values()].map((tally) => {
    const critical = criticalWorkloads
      .filter(([name]) => tally.workloads.has(name))
      .map(([name]) => name)
      .sort();
    const lost = criticalWorkloads
      .filter(([name, entry]) => tally.workloads.has(name) && entry.keys.size === 1)
      .map(([name]) => name)
      .sort();
    const { substitutability, reason } = substitutabilityOf(tally);
    const sensitiveness: Sensitiveness =
      tally.sensitive > 0 ? "High" : tally.public === tally.resources ? "Low" : "Medium";
    const impact: DiscontinuationImpact = lost.length > 0 ? "High" : critical.length > 0 ? "Medium" : "Low";
    const alternatives: DoraAlternative[] = [...tally.alternatives]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([provider, names]) => ({ provider, service: [...names].sort().join("; ") }));
    return {
      provider: tally.provider,
      serviceType: tally.serviceType,
      services: [...tally.services].sort(),
      resources: tally.resources,
      dataStored: tally.dataStored,
      countriesAtRest: countriesByCount(tally.atRest),
      countriesOfProcessing: countriesByCount(tally.processing),
      sensitiveness,
      sensitiveResources: tally.sensitive,
      criticalWorkloads: critical,
      criticalWorkloadsLost: lost,
      reliance: reliance(critical.length, lost.length, criticalWorkloads.length),
      ...(substitutability !== undefined ? { substitutability } : {}),
      ...(reason !== undefined ? { substitutabilityReason: reason } : {}),
      proprietaryServices: [...tally.proprietaryServices].sort(),
      alternatives,
      impact,
    };
  });

  const providerList = [...providers.values()].sort(
    (a, b) =>
      Number(b.direct) - Number(a.direct) ||
      (a.kind === b.kind ? 0 : a.kind === "cloud" ? -1 : 1) ||
      b.resources - a.resources ||
      a.key.localeCompare(b.key),
  );
  const order = new Map(providerList.map((provider, index) => [provider.key, index]));
  serviceRows.sort(
    (a, b) =>
      (order.get(a.provider) ?? 0) - (order.get(b.provider) ?? 0) ||
      a.serviceType.localeCompare(b.serviceType),
  );

  const supplyChain: DoraSupplyLink[] = [];
  for (const [provider, chain] of [...chains].sort(
    (a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0),
  )) {
    supplyChain.push({ provider, serviceType: chain.serviceType, subcontractor: provider, rank: 1 });
    for (const runsOn of [...chain.runsOn].sort()) {
      supplyChain.push({
        provider,
        serviceType: chain.serviceType,
        subcontractor: runsOn,
        rank: 2,
        recipient: provider,
      });
      if (!providers.has(runsOn)) {
        providerList.push({ key: runsOn, kind: "cloud", name: runsOn, resources: 0, direct: false });
        providers.set(runsOn, providerList.at(-1)!);
      }
    }
  }

  const parentGroups: DoraParentGroup[] = [...groups.values()]
    .map(({ providers: members, workloads: critical, ...group }) => ({
      ...group,
      providers: [...members].sort(),
      arrangements:
        serviceRows.filter((row) => members.has(row.provider)).length +
        [...chains].filter(
          ([key, chain]) => key.startsWith("vendor:") && [...chain.runsOn].some((id) => members.has(id)),
        ).length,
      share: counted === 0 ? 0 : group.resources / counted,
      criticalWorkloads: [...critical].sort(),
    }))
    .sort((a, b) => b.resources - a.resources || a.parent.localeCompare(b.parent));

  const thirdCountryList: DoraThirdCountry[] = [...thirdCountries]
    .map(([country, entry]) => ({
      country,
      providersHeadquartered: [...entry.headquartered].sort(),
      resourcesLocated: entry.located,
      sensitiveResourcesLocated: entry.sensitive,
    }))
    .sort(
      (a, b) =>
        b.providersHeadquartered.length - a.providersHeadquartered.length ||
        b.resourcesLocated - a.resourcesLocated ||
        a.country.localeCompare(b.country),
    );

  const entityLei = dora?.entityLei ?? profile.organization.lei;
  return {
    ...(entityLei !== undefined ? { entityLei } : {}),
    providers: providerList,
    services: serviceRows,
    supplyChain,
    parentGroups,
    thirdCountries: thirdCountryList,
    criticalWorkloads: criticalWorkloads.length,
    resources: counted,
  };
}
