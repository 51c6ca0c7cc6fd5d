/**
 * The catalog data format. Every builtin file under `catalog/` and the profile's `catalog:` override
 * file are fragments of one document shape; a fragment may hold any of the top-level keys. The
 * override file uses the same schema: entries that exist are merged field by field, new entries
 * must be complete (checked when the fragments are merged, with the file and line of the entry).
 */
import { z } from "zod";
import { CONFIDENCES, LOCK_IN_CLASSES } from "./types.js";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "expected a lower-case id such as `aws` or `csap-high`");
const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as US, DE or KR")
  .transform((code) => code.toUpperCase());
/** YAML 1.2 reads `2017-06-16` as a string; accept only real calendar dates. */
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)), "not a calendar date");
const text = z.string().min(1);
const lei = z
  .string()
  .regex(/^[A-Z0-9]{18}[0-9]{2}$/, "expected a 20-character Legal Entity Identifier (ISO 17442)");
const confidence = z.enum(CONFIDENCES);
const origin = { source: text.optional(), confidence: confidence.optional() };

export const segmentDefinitionSchema = z
  .object({ name: text, description: text.optional(), remove: z.literal(true).optional() })
  .strict();

export const lawSchema = z
  .object({
    name: text,
    jurisdiction: country,
    enacted: date.optional(),
    /** True when the law lets the government compel a provider to hand over data it holds. */
    compelsAccess: z.boolean().default(false),
    summary: text.optional(),
    ...origin,
  })
  .strict();

export const listDefinitionSchema = z
  .object({ name: text, jurisdiction: z.string().regex(/^[A-Z]{2}$/), authority: text.optional(), ...origin })
  .strict();

export const schemeSchema = z
  .object({
    name: text,
    country,
    /** Levels from lowest to highest; empty when the scheme has none. */
    levels: z.array(z.string().min(1)).default([]),
    publicSector: z.boolean().default(false),
    ...origin,
  })
  .strict();

const parentSchema = z
  .object({
    id,
    name: text,
    headquarters: country.optional(),
    city: text.optional(),
    ticker: text.optional(),
    /** Legal Entity Identifier of the parent company (DORA register, ultimate parent undertaking). */
    lei: lei.optional(),
    ...origin,
  })
  .strict();

export const segmentEntrySchema = z
  .object({
    segment: id,
    evidence: text.optional(),
    since: z.number().int().min(1800).max(2100).optional(),
    remove: z.literal(true).optional(),
    ...origin,
  })
  .strict();

export const listEntrySchema = z
  .object({
    list: id,
    entity: text.optional(),
    listed: date.optional(),
    until: date.optional(),
    note: text.optional(),
    remove: z.literal(true).optional(),
    ...origin,
  })
  .strict();

export const certificationEntrySchema = z
  .object({
    id,
    validFrom: date.optional(),
    validUntil: date.optional(),
    /** Region codes the certification covers; absent means the whole provider. */
    regions: z.array(z.string().min(1)).optional(),
    note: text.optional(),
    remove: z.literal(true).optional(),
    ...origin,
  })
  .strict();

/** A provider as written in a fragment: complete in the builtin data, possibly partial in an override. */
export const providerPatchSchema = z
  .object({
    name: text.optional(),
    /** A parent company, or the id of a parent another provider already names. */
    parent: z.union([parentSchema, id]).optional(),
    /** Law ids; default: the laws of the parent's headquarters country that compel access. */
    accessLaws: z.array(id).optional(),
    runsOn: id.optional(),
    /** Legal Entity Identifier of the provider's contracting legal entity (DORA register). */
    lei: lei.optional(),
    segments: z.array(segmentEntrySchema).optional(),
    lists: z.array(listEntrySchema).optional(),
    certifications: z.array(certificationEntrySchema).optional(),
    notes: z.array(text).optional(),
    ...origin,
  })
  .strict();

export const regionPatchSchema = z
  .object({
    country: country.optional(),
    city: text.optional(),
    government: z.boolean().optional(),
    sovereign: z.boolean().optional(),
    chinaOperated: z.boolean().optional(),
    operator: text.optional(),
    operatorJurisdiction: country.optional(),
    closed: z.boolean().optional(),
    restricted: z.boolean().optional(),
    note: text.optional(),
    /** Other spellings of the code (an on-premises site's names, an old code). */
    aliases: z.array(z.string().min(1)).optional(),
    ...origin,
  })
  .strict();

const serviceMatchSchema = z.union([
  z.string().min(1),
  z.object({ type: z.string().min(1), kind: z.string().min(1) }).strict(),
]);

export const servicePatchSchema = z
  .object({
    provider: id.optional(),
    service: text.optional(),
    class: z.enum(LOCK_IN_CLASSES).optional(),
    match: z.array(serviceMatchSchema).optional(),
    equivalents: z.record(z.string(), text).optional(),
    note: text.optional(),
    remove: z.literal(true).optional(),
    ...origin,
  })
  .strict();

/** One catalog file: builtin data or the profile's override file. */
export const catalogFragmentSchema = z
  .object({
    $schema: z.string().optional(),
    version: text.optional(),
    segments: z.record(id, segmentDefinitionSchema).optional(),
    laws: z.record(id, lawSchema).optional(),
    lists: z.record(id, listDefinitionSchema).optional(),
    schemes: z.record(id, schemeSchema).optional(),
    providers: z.record(id, providerPatchSchema).optional(),
    /** Default source of each provider's region table. */
    regionSources: z.record(id, text).optional(),
    regions: z.record(id, z.record(z.string().min(1), regionPatchSchema)).optional(),
    defaults: z.object({ source: text.optional() }).strict().optional(),
    services: z.record(id, servicePatchSchema).optional(),
  })
  .strict();

export type CatalogFragment = z.output<typeof catalogFragmentSchema>;
export type ProviderPatch = z.output<typeof providerPatchSchema>;
export type RegionPatch = z.output<typeof regionPatchSchema>;
export type ServicePatch = z.output<typeof servicePatchSchema>;
export type LawDefinition = z.output<typeof lawSchema>;
export type ListDefinition = z.output<typeof listDefinitionSchema>;
export type SchemeDefinition = z.output<typeof schemeSchema>;
export type SegmentDefinition = z.output<typeof segmentDefinitionSchema>;
