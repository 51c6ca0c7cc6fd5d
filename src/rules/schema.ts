/**
 * The rule file format. The same zod schema validates rule files, types the loaded rules and
 * generates `schemas/rule.schema.json` for editors (`scripts/generate-schemas.ts`).
 */
import { z } from "zod";
import { CATEGORIES, SEVERITIES } from "../report/types.js";

/** Where a rule looks: one finding per resource, or one per group of resources. */
export const RULE_SCOPES = ["resource", "aggregate"] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

/** What an aggregate rule can group resources by. `organization` puts every resource in one group. */
export const GROUP_KEYS = ["provider", "parent", "region", "country", "workload", "organization"] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

const nonEmpty = z.string().min(1);
const stringList = z.array(nonEmpty).min(1);

/**
 * The declarative match: cheap checks evaluated before any CEL condition, so that each resource is
 * only looked at by rules that can concern it. Every given field must hold.
 */
const matchFields = {
  /** Provider ids the resource must be hosted by. */
  provider: stringList.optional().describe("Provider ids the resource must be hosted by (any of)."),
  /** Provider ids the rule ignores. */
  notProvider: stringList.optional().describe("Provider ids the rule ignores."),
  /** Glob patterns on the resource type (`s3:*`, `Microsoft.Sql/*`). */
  type: stringList.optional().describe("Glob patterns on the resource type, e.g. `s3:*` (any of)."),
  /** Classification values (lower case). */
  classification: stringList.optional().describe("Classification values the resource must carry (any of)."),
  /** Environment values (lower case). */
  environment: stringList.optional().describe("Environment values the resource must carry (any of)."),
  /** True: classification is one of the profile's sensitiveClasses; false: it is not. */
  sensitive: z
    .boolean()
    .optional()
    .describe("Classification is (true) or is not (false) in the profile's sensitiveClasses."),
  /** True: criticality is one of the profile's criticalValues. */
  critical: z
    .boolean()
    .optional()
    .describe("Criticality is (true) or is not (false) in the profile's criticalValues."),
  /** True: environment is prod, production, or unset. */
  production: z
    .boolean()
    .optional()
    .describe("Environment is prod, production or unset (true), or something else (false)."),
  /** True: a third-party vendor runs the resource. */
  vendor: z
    .boolean()
    .optional()
    .describe("A third-party vendor runs the resource (true) or the organisation does (false)."),
  /** True: the provider's parent competes with the organisation. */
  competitor: z
    .boolean()
    .optional()
    .describe(
      "The provider's parent competes with the organisation (segment overlap or named in competitors).",
    ),
  /** True: the provider is on a restricted list of the organisation's own jurisdiction. */
  listed: z
    .boolean()
    .optional()
    .describe("The provider is on an official list kept by the organisation's jurisdiction."),
  /** True: the resource has a residency requirement. */
  residency: z
    .boolean()
    .optional()
    .describe("The resource has (true) or has no (false) residency requirement."),
  /** True: the resource has a classification at all. */
  classified: z
    .boolean()
    .optional()
    .describe("The resource carries (true) or lacks (false) a classification."),
  /** True: requiredCertifications is not empty. */
  certificationRequired: z
    .boolean()
    .optional()
    .describe("The resource lists (true) or lists no (false) required certifications."),
  /** True: the resource's sector is public, or unset in a public-sector organisation. */
  publicSector: z
    .boolean()
    .optional()
    .describe("The resource's sector is public, or unset while organization.sector is public."),
};

const basicMatchSchema = z.object(matchFields).strict();

export const matchSchema = z
  .object({
    ...matchFields,
    /** At least one of these matches must hold as well (each checked like a match). */
    anyOf: z
      .array(basicMatchSchema)
      .min(1)
      .optional()
      .describe("At least one of these matches must also hold."),
  })
  .strict();
/** A declarative match; every given field must hold. */
export type RuleMatch = z.infer<typeof matchSchema> & { anyOf?: RuleMatch[] | undefined };

const groupKeySchema = z.enum(GROUP_KEYS);

export const aggregateSchema = z
  .object({
    /** One grouping or a combination, e.g. `[workload, provider]`. */
    groupBy: z
      .union([groupKeySchema, z.array(groupKeySchema).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .describe(
        "What to group resources by: provider, parent, region, country, workload, organization, or a list.",
      ),
    /**
     * Label for resources that lack a group key (no workload tag, unknown region). When unset they
     * are left out of the grouping but still count in the totals.
     */
    unassigned: nonEmpty
      .optional()
      .describe(
        "Group resources lacking a group key under this label; when unset they are left out of the groups.",
      ),
  })
  .strict();
export type RuleAggregate = z.infer<typeof aggregateSchema>;

const expectedFindingSchema = z
  .object({
    resourceId: nonEmpty.optional(),
    subject: z.record(z.string(), z.string()).optional(),
    severity: z.enum(SEVERITIES).optional(),
    /** Exact message, when the case wants to pin it. */
    message: z.string().optional(),
    /** Values the finding's data must contain (a subset). */
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ExpectedFinding = z.infer<typeof expectedFindingSchema>;

/** A resource as a test case writes it: the inventory format of SPEC 2.2. */
const testResourceSchema = z
  .object({
    id: nonEmpty,
    provider: nonEmpty,
    region: z.string().optional(),
    account: z.string().optional(),
    type: z.string().optional(),
    name: z.string().optional(),
    tags: z.record(z.string(), z.string()).default({}),
    vendor: z.string().optional(),
    classification: z.string().optional(),
    workload: z.string().optional(),
    environment: z.string().optional(),
    criticality: z.string().optional(),
    sector: z.string().optional(),
    residency: z.array(z.string()).optional(),
    requiredCertifications: z.array(z.string()).optional(),
    kind: z.string().optional(),
  })
  .strict();
export type TestResource = z.infer<typeof testResourceSchema>;

export const testCaseSchema = z
  .object({
    name: nonEmpty.describe("What the case shows, e.g. 'grocer with POS exports on AWS'."),
    /** Profile fragment merged over a minimal profile (`organization: { name: Test, jurisdiction: US }`). */
    profile: z.record(z.string(), z.unknown()).optional().describe("landlord.yaml fragment for this case."),
    /** Params for this case, over the rule's defaults. */
    params: z.record(z.string(), z.unknown()).optional(),
    /** Scan time (ISO date); certifications are judged at this time. */
    scanTime: z.string().optional(),
    resources: z.array(testResourceSchema).default([]),
    /** Findings the rule must produce, exactly: an empty list means the rule must stay quiet. */
    expect: z.array(expectedFindingSchema),
  })
  .strict();
export type RuleTestCase = z.infer<typeof testCaseSchema>;

export const ruleSchema = z
  .object({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a kebab-case id such as my-rule")
      .describe("Stable rule id; equals the file name without .yaml."),
    title: nonEmpty,
    severity: z.enum(SEVERITIES),
    category: z.enum(CATEGORIES),
    description: nonEmpty.describe("What the rule catches."),
    rationale: nonEmpty.optional().describe("Why it matters."),
    /** The real event behind the rule. */
    case: nonEmpty.optional().describe("The real case behind the rule."),
    references: z.array(nonEmpty).default([]),
    remediation: nonEmpty.optional().describe("How to fix the finding, or how to accept it with a waiver."),
    scope: z.enum(RULE_SCOPES).default("resource"),
    match: matchSchema.default({}),
    aggregate: aggregateSchema.optional(),
    /** CEL expression; the rule fires when it is true. */
    condition: nonEmpty.optional().describe("CEL expression; the rule fires where it evaluates to true."),
    /** Message with `{placeholder}` or `{placeholder:percent}` names. */
    message: nonEmpty.describe(
      "Message template with {placeholder} names; their values also go into the finding's data.",
    ),
    /** Extra placeholders: name to CEL expression. */
    data: z.record(z.string(), nonEmpty).default({}).describe("Extra placeholders: name to CEL expression."),
    params: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Parameters with defaults; the profile's rules.params overrides them."),
    tests: z.array(testCaseSchema).default([]).describe("Cases that must fire and must stay quiet."),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.scope === "aggregate" && rule.aggregate === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["aggregate"],
        message: "aggregate rules need `aggregate: { groupBy: ... }`",
      });
    }
    if (rule.scope === "resource" && rule.aggregate !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["scope"],
        message: "`aggregate` is set but scope is not aggregate",
      });
    }
  });

/** A rule file as written. */
export type RuleInput = z.input<typeof ruleSchema>;
/** A rule file after validation and defaults. */
export type RuleDefinition = z.output<typeof ruleSchema>;
