/**
 * The code lists of the register of information (Implementing Regulation (EU) 2024/2956, Annex III
 * and the templates' instructions in Annex I) that landlord writes. Every value the export puts in a
 * coded column comes from one of these lists; `test/dora` checks that it does.
 */

/** Annex III, ICT services: the type of ICT service (B_02.02.0060, B_05.02.0020, B_07.01.0040). */
export const ICT_SERVICE_TYPES = {
  S01: "ICT project management",
  S02: "ICT Development",
  S03: "ICT help desk and first level support",
  S04: "ICT security management services",
  S05: "Provision of data",
  S06: "Data analysis",
  S07: "ICT, facilities and hosting services (excluding Cloud services)",
  S08: "Computation",
  S09: "Non-Cloud Data storage",
  S10: "Telecom carrier",
  S11: "Network infrastructure",
  S12: "Hardware and physical devices",
  S13: "Software licencing (excluding SaaS)",
  S14: "ICT operation management (including maintenance)",
  S15: "ICT Consulting",
  S16: "ICT Risk management",
  S17: "Cloud services: IaaS",
  S18: "Cloud services: PaaS",
  S19: "Cloud services: SaaS",
} as const;
export type IctServiceType = keyof typeof ICT_SERVICE_TYPES;

/** The cloud service types landlord can tell apart from an inventory. */
export const CLOUD_SERVICE_TYPES = ["S17", "S18", "S19"] as const satisfies readonly IctServiceType[];
export type CloudServiceType = (typeof CLOUD_SERVICE_TYPES)[number];

/** Type of code identifying a legal entity (B_05.01.0020, B_05.01.0120 and the linked columns). */
export const IDENTIFIER_CODE_TYPES = ["LEI", "EUID", "CRN", "VAT", "PNR", "NIN"] as const;
export type IdentifierCodeType = (typeof IDENTIFIER_CODE_TYPES)[number];

/** Type of person of the ICT third-party service provider (B_05.01.0070). */
export const PERSON_TYPES = ["Legal person", "Individual acting in a business capacity"] as const;

/** Yes/No columns: storage of data (B_02.02.0140), exit plan and alternatives (B_07.01.0080/0110). */
export const YES_NO = ["Yes", "No"] as const;

/** Sensitiveness of the data stored or processed (B_02.02.0170). */
export const SENSITIVENESS = ["Low", "Medium", "High"] as const;
export type Sensitiveness = (typeof SENSITIVENESS)[number];

/** Level of reliance on the ICT service supporting a critical or important function (B_02.02.0180). */
export const RELIANCE_LEVELS = [
  "Not significant",
  "Low reliance",
  "Material reliance",
  "Full reliance",
] as const;
export type RelianceLevel = (typeof RELIANCE_LEVELS)[number];

/** Substitutability of the ICT third-party service provider (B_07.01.0050). */
export const SUBSTITUTABILITY = [
  "Not substitutable",
  "Highly complex substitutability",
  "Medium complexity in terms of substitutability",
  "Easily substitutable",
] as const;
export type Substitutability = (typeof SUBSTITUTABILITY)[number];

/** Reason a provider is not, or not easily, substitutable (B_07.01.0060). */
export const SUBSTITUTABILITY_REASONS = {
  "1": "The lack of real alternatives, even partial, due to the limited number of ICT third-party service providers active on a specific market in the relevant ICT services, or to the unique features of the ICT services",
  "2": "Difficulties in relation to partial or full migration of the data and workloads from the current ICT third-party service provider to another one, due to significant financial costs, time or other resources, or technical challenges",
  "3": "Both reasons",
} as const;
export type SubstitutabilityReason = keyof typeof SUBSTITUTABILITY_REASONS;

/** Impact of discontinuing the ICT services (B_07.01.0100). */
export const DISCONTINUATION_IMPACT = ["Low", "Medium", "High"] as const;
export type DiscontinuationImpact = (typeof DISCONTINUATION_IMPACT)[number];

/** Member states of the EU and the other EEA states: the rest are third countries under DORA. */
export const EEA_COUNTRIES = [
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
  "IS",
  "LI",
  "NO",
] as const;

const EEA = new Set<string>(EEA_COUNTRIES);

/** True when the ISO country is outside the EU and the EEA. */
export function isThirdCountry(country: string): boolean {
  return !EEA.has(country.toUpperCase());
}

const REGION_NAMES = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** True for an assigned ISO 3166-1 alpha-2 code (B_05.01.0080, B_02.02.0130/0150/0160). */
export function isCountryCode(code: string): boolean {
  const name = REGION_NAMES.of(code);
  return /^[A-Z]{2}$/.test(code) && name !== code && name !== "Unknown Region";
}

/** English name of an ISO country, for the human-facing text. */
export function countryName(code: string): string {
  return REGION_NAMES.of(code) ?? code;
}

/** ISO 17442 check: 18 alphanumerics, two check digits, MOD 97-10 equal to 1. */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}[0-9]{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const char of lei) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
