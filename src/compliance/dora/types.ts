/**
 * What the DORA register of information needs from the estate, computed once during the scan
 * (`doraEstate`) and carried in `report.dora`, so a saved JSON report can be exported later.
 */
import type {
  CloudServiceType,
  DiscontinuationImpact,
  RelianceLevel,
  Sensitiveness,
  Substitutability,
  SubstitutabilityReason,
} from "./codes.js";

/** An ICT third-party service provider: a cloud provider of the catalog or a vendor of the manifest. */
export interface DoraProvider {
  /** Catalog provider id (`aws`), or `vendor:<slug>` for a vendor. */
  key: string;
  kind: "cloud" | "vendor";
  name: string;
  /** LEI of the contracting legal entity: from the profile, else the catalog; absent when unknown. */
  lei?: string;
  leiSource?: "profile" | "catalog";
  /** ISO country of the headquarters (the ultimate parent's for cloud providers). */
  headquarters?: string;
  parent?: string;
  parentName?: string;
  parentLei?: string;
  /** Contractual arrangement reference number from the profile. */
  contract?: string;
  /** Resources the organisation runs with this provider directly (vendors: declared hostings). */
  resources: number;
  /** True when the entity contracts with it directly; false when it only appears as a subcontractor. */
  direct: boolean;
}

/** An alternative provider for a service, from the catalog's equivalents. */
export interface DoraAlternative {
  provider: string;
  service: string;
}

/** One ICT service: a provider and a service type (one row of B_02.02 and of B_07.01). */
export interface DoraService {
  provider: string;
  serviceType: CloudServiceType;
  /** Catalog service names (or resource types the catalog does not know), sorted. */
  services: string[];
  resources: number;
  /** True when at least one resource stores data. */
  dataStored: boolean;
  /** Countries where data rests, most resources first. */
  countriesAtRest: string[];
  /** Countries where data is processed (every resource's region), most resources first. */
  countriesOfProcessing: string[];
  sensitiveness: Sensitiveness;
  sensitiveResources: number;
  /** Critical workloads with at least one resource in this service, sorted. */
  criticalWorkloads: string[];
  /** Critical workloads whose every resource is with this provider: they stop if it stops. */
  criticalWorkloadsLost: string[];
  reliance: RelianceLevel;
  /** Absent when the catalog knows the lock-in class of none of the service's resources. */
  substitutability?: Substitutability;
  substitutabilityReason?: SubstitutabilityReason;
  /** Proprietary services (catalog names) that make the service hard to substitute, sorted. */
  proprietaryServices: string[];
  alternatives: DoraAlternative[];
  impact: DiscontinuationImpact;
}

/** One link of an ICT service supply chain (B_05.02). */
export interface DoraSupplyLink {
  /** The provider the entity contracts with (rank 1). */
  provider: string;
  serviceType: CloudServiceType;
  /** The provider at this rank. */
  subcontractor: string;
  /** 1 for the direct provider, 2 for the provider it runs on. */
  rank: number;
  /** Who receives the subcontracted service: the provider one rank above; absent at rank 1. */
  recipient?: string;
}

/** Providers under one ultimate parent: "closely connected" in the sense of DORA Art. 29(1)(b). */
export interface DoraParentGroup {
  parent: string;
  parentName: string;
  parentLei?: string;
  headquarters?: string;
  providers: string[];
  /** ICT services (provider and service type) with providers of the group, vendors' hostings included. */
  arrangements: number;
  resources: number;
  share: number;
  criticalWorkloads: string[];
}

/** Providers and data outside the EU/EEA (DORA Art. 29(2)). */
export interface DoraThirdCountry {
  country: string;
  /** Providers headquartered in the country. */
  providersHeadquartered: string[];
  /** Resources whose region is in the country. */
  resourcesLocated: number;
  sensitiveResourcesLocated: number;
}

/** Everything the register of information and the Art. 29 assessment need. */
export interface DoraEstate {
  /** LEI of the financial entity, when the profile gives it. */
  entityLei?: string;
  providers: DoraProvider[];
  services: DoraService[];
  supplyChain: DoraSupplyLink[];
  parentGroups: DoraParentGroup[];
  thirdCountries: DoraThirdCountry[];
  /** Critical workloads in the whole estate. */
  criticalWorkloads: number;
  /** Resources counted (the organisation's own data centres excluded). */
  resources: number;
}
