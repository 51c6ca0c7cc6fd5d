/** The shape every register template module shares, and the identifiers they write. */
import type { DoraEstate, DoraProvider } from "./types.js";

/** Where a column's value comes from. */
export type ColumnSource =
  /** Computed from the scanned estate and the catalog. */
  | "estate"
  /** From the profile's `dora:` section when given; a `TO-SUPPLY-` placeholder otherwise. */
  | "profile"
  /** Left blank: landlord cannot know it (contracts, costs, audits, exit plans). */
  | "blank";

/** One column of a template. */
export interface RegisterColumn {
  /** Template column code, e.g. `B_05.01.0010`. */
  code: string;
  /** Column name as the Implementing Regulation gives it. */
  label: string;
  source: ColumnSource;
  /** Name of the code list the values come from (`codes.ts`), for coded columns. */
  codeList?: CodeListName;
}

/** The code lists of `codes.ts`, by the name the tests and the README use. */
export type CodeListName =
  | "ict-service-types"
  | "identifier-code-types"
  | "person-types"
  | "yes-no"
  | "sensitiveness"
  | "reliance"
  | "substitutability"
  | "substitutability-reasons"
  | "discontinuation-impact"
  | "countries"
  | "rank";

/** One template of the register of information. */
export interface RegisterTemplate {
  /** Template code, e.g. `B_05.01`. */
  code: string;
  /** File name in the export folder, e.g. `b_05.01.csv`. */
  file: string;
  title: string;
  columns: readonly RegisterColumn[];
  /** The rows, one string per column, in column order. */
  rows(estate: DoraEstate, identifiers: Identifiers): string[][];
}

/** Resolves the keys linking the templates: provider identifiers, contract references, entity LEI. */
export interface Identifiers {
  /** The provider's LEI, or a `TO-SUPPLY-LEI-<key>` placeholder. */
  provider(key: string): string;
  /** `LEI` when the provider's LEI is known, blank otherwise. */
  providerCodeType(key: string): string;
  /** The contractual arrangement reference, or a `TO-SUPPLY-CONTRACT-<key>` placeholder. */
  contract(key: string): string;
  /** The financial entity's LEI, or `TO-SUPPLY-ENTITY-LEI`. */
  entity: string;
}

/** Prefix of every value the user must replace before submitting the register. */
export const PLACEHOLDER_PREFIX = "TO-SUPPLY-";

/** Builds the identifier resolver of an estate. */
export function identifiersOf(estate: DoraEstate): Identifiers {
  const byKey = new Map<string, DoraProvider>(estate.providers.map((provider) => [provider.key, provider]));
  return {
    provider: (key) => byKey.get(key)?.lei ?? `${PLACEHOLDER_PREFIX}LEI-${key}`,
    providerCodeType: (key) => (byKey.get(key)?.lei !== undefined ? "LEI" : ""),
    contract: (key) => byKey.get(key)?.contract ?? `${PLACEHOLDER_PREFIX}CONTRACT-${key}`,
    entity: estate.entityLei ?? `${PLACEHOLDER_PREFIX}ENTITY-LEI`,
  };
}
