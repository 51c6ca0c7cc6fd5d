/**
 * The organisation profile, `landlord.yaml` (SPEC 2.1). The same schema validates the file, types
 * the loaded profile and generates the JSON Schema editors use (`schemas/landlord.schema.json`).
 */
import { z } from "zod";
import { awsSourceSchema } from "../collectors/aws/config.js";
import { azureSourceSchema } from "../collectors/azure/config.js";
import { gcpSourceSchema } from "../collectors/gcp/config.js";
import { SEVERITIES } from "../report/types.js";

const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as US, DE or KR")
  .transform((code) => code.toUpperCase());

const stringList = z.array(z.string().min(1));

const leiString = z
  .string()
  .regex(/^[A-Z0-9]{18}[0-9]{2}$/, "expected a 20-character Legal Entity Identifier (ISO 17442)");

/** Default tag keys for each derived attribute (SPEC 2.1). */
export const DEFAULT_TAG_KEYS = {
  classification: ["data-classification", "data-class", "classification", "confidentiality"],
  workload: ["workload", "app", "application", "service"],
  environment: ["environment", "env", "stage"],
  criticality: ["criticality", "tier", "business-criticality"],
  residency: ["data-residency", "residency"],
  certification: ["required-certification", "compliance"],
  sector: ["sector"],
} as const;

export const DEFAULT_SENSITIVE_CLASSES = ["confidential", "restricted", "secret", "pii"] as const;
export const DEFAULT_CRITICAL_VALUES = ["critical", "high", "tier-0", "tier-1"] as const;

const pathString = z.string().min(1, "expected a file path");

/** One entry of `sources`: exactly one key. */
export const sourceSchema = z.union([
  z.object({ file: pathString }).strict(),
  z.object({ vendors: pathString }).strict(),
  z.object({ terraform: pathString }).strict(),
  z.object({ aws: awsSourceSchema }).strict(),
  z.object({ azure: azureSourceSchema }).strict(),
  z.object({ gcp: gcpSourceSchema }).strict(),
]);
export type SourceEntry = z.infer<typeof sourceSchema>;

const severitySchema = z.enum(SEVERITIES);

export const profileSchema = z
  .object({
    /** Optional editor hint: `$schema: ./schemas/landlord.schema.json`. */
    $schema: z.string().optional(),
    organization: z
      .object({
        name: z.string().min(1),
        /** Business segments (catalog segment ids) the organisation competes in. */
        segments: stringList.default([]),
        /** ISO 3166-1 alpha-2 country of headquarters. */
        jurisdiction: countryCode,
        /** Parent-company ids that count as competitors regardless of segments. */
        competitors: stringList.default([]),
        /** Jurisdictions whose reach over sensitive data the organisation does not accept. */
        distrustedJurisdictions: z.array(countryCode).default([]),
        sector: z.enum(["private", "public"]).default("private"),
        /** Legal Entity Identifier of the organisation (DORA exports). */
        lei: z.string().optional(),
      })
      .strict(),
    tags: z
      .object({
        classification: stringList.optional(),
        workload: stringList.optional(),
        environment: stringList.optional(),
        criticality: stringList.optional(),
        residency: stringList.optional(),
        certification: stringList.optional(),
        sector: stringList.optional(),
      })
      .strict()
      .default({}),
    sensitiveClasses: stringList.default([...DEFAULT_SENSITIVE_CLASSES]),
    criticalValues: stringList.default([...DEFAULT_CRITICAL_VALUES]),
    sources: z.array(sourceSchema).default([]),
    rules: z
      .object({
        paths: stringList.default([]),
        disable: stringList.default([]),
        severity: z.record(z.string(), severitySchema).default({}),
        params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      })
      .strict()
      .default({ paths: [], disable: [], severity: {}, params: {} }),
    waivers: pathString.optional(),
    catalog: pathString.optional(),
    /** What the DORA register of information needs and no inventory holds (`--format dora`). */
    dora: z
      .object({
        /** LEI of the financial entity keeping the register. @default organization.lei */
        entityLei: leiString.optional(),
        /** LEI of each provider's contracting legal entity, by catalog provider id or vendor name. */
        providerLeis: z.record(z.string(), leiString).default({}),
        /** Contractual arrangement reference numbers, by catalog provider id or vendor name. */
        contracts: z.record(z.string(), z.string().min(1)).default({}),
        /** Headquarters country of vendors (the catalog knows the cloud providers'), by vendor name. */
        headquarters: z.record(z.string(), countryCode).default({}),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The profile as written in the file, before defaults. */
export type ProfileInput = z.input<typeof profileSchema>;
/** The profile after validation and defaults. */
export type ProfileData = z.output<typeof profileSchema>;
