/**
 * Running the test cases written inside rule files: each case describes plain resources and a
 * profile fragment; the resources are derived and enriched through the real catalog, then only the
 * rule under test runs, and its findings must equal the expected list.
 */
import { type Catalog, enrichResources, loadCatalog } from "../catalog/index.js";
import type { EnrichedResource } from "../catalog/types.js";
import { describeIssue } from "../input/yaml.js";
import { deriveAttributes } from "../inventory/normalize.js";
import type { Resource } from "../inventory/types.js";
import { type Profile, resolveProfile } from "../profile/load.js";
import { profileSchema } from "../profile/schema.js";
import type { Finding } from "../report/types.js";
import { evaluateRules } from "./evaluate.js";
import { canonicalSubject } from "./fingerprint.js";
import { checkParams, withOverrides } from "./load.js";
import type { ExpectedFinding, RuleTestCase, TestResource } from "./schema.js";
import type { LoadedRule } from "./types.js";

/** Scan time of test cases that do not set one. */
export const DEFAULT_TEST_SCAN_TIME = "2026-01-15T00:00:00Z";

/** Turns a case's plain resources into enriched ones, and may name the catalog it used. */
export type CaseEnricher = ((
  resources: Resource[],
  profile: Profile,
  scanTime: Date,
) => Promise<EnrichedResource[]>) & { catalog?: () => Promise<Catalog> };

/** The outcome of one case. */
export interface CaseResult {
  ruleId: string;
  file: string;
  name: string;
  passed: boolean;
  /** Readable lines: `- expected ...`, `+ actual ...`, or a setup error. */
  diff: string[];
}

/** Builds the profile of a case: its fragment merged over a minimal US organisation. */
export function caseProfile(testCase: RuleTestCase): Profile {
  const fragment = testCase.profile ?? {};
  const organization = {
    name: "Test Org",
    jurisdiction: "US",
    ...(fragment["organization"] as object | undefined),
  };
  const result = profileSchema.safeParse({ ...fragment, organization });
  if (!result.success) {
    throw new Error(`profile: ${result.error.issues.map(describeIssue).join("; ")}`);
  }
  return resolveProfile(result.data, undefined, ".");
}

let builtinCatalog: Promise<Catalog> | undefined;
function builtin(): Promise<Catalog> {
  builtinCatalog ??= loadCatalog();
  return builtinCatalog;
}

/** Enrichment through the builtin catalog, after deriving attributes from tags. */
export const catalogEnricher: CaseEnricher = Object.assign(
  async (resources: Resource[], profile: Profile, scanTime: Date): Promise<EnrichedResource[]> =>
    enrichResources(
      resources.map((resource) => deriveFromTags(resource, profile)),
      await builtin(),
      { scanTime },
    ).resources,
  { catalog: builtin },
);

/** Fills derived attributes from tags exactly as the inventory stage does, on a copy. */
export function deriveFromTags(resource: Resource, profile: Profile): Resource {
  return deriveAttributes({ ...resource, tags: { ...resource.tags } }, profile.tagKeys);
}

function toResource(input: TestResource): Resource {
  const resource: Resource = { id: input.id, provider: input.provider, tags: input.tags };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && key !== "tags") (resource as unknown as Record<string, unknown>)[key] = value;
  }
  return resource;
}

/** Runs every case of a rule. */
export async function runRuleCases(
  rule: LoadedRule,
  enrich: CaseEnricher = catalogEnricher,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of rule.definition.tests) {
    results.push(await runCase(rule, testCase, enrich));
  }
  return results;
}

async function runCase(rule: LoadedRule, testCase: RuleTestCase, enrich: CaseEnricher): Promise<CaseResult> {
  const base = { ruleId: rule.definition.id, file: rule.file, name: testCase.name };
  let actual: Finding[];
  try {
    const profile = caseProfile(testCase);
    const paramErrors = checkParams(rule.definition, testCase.params ?? {}, {
      file: rule.file,
      field: "params",
    });
    if (paramErrors.length > 0) throw new Error(paramErrors.map((error) => error.message).join("; "));
    const scanTime = new Date(testCase.scanTime ?? DEFAULT_TEST_SCAN_TIME);
    const resources = await enrich(testCase.resources.map(toResource), profile, scanTime);
    const underTest = withOverrides(rule, undefined, testCase.params);
    const catalog = enrich.catalog ? await enrich.catalog() : undefined;
    actual = evaluateRules(
      { rules: [underTest], disabled: [] },
      resources,
      catalog === undefined ? { profile, scanTime } : { profile, scanTime, catalog },
    );
  } catch (error) {
    return { ...base, passed: false, diff: [`! could not run the case: ${(error as Error).message}`] };
  }
  const diff = compareFindings(testCase.expect, actual);
  return { ...base, passed: diff.length === 0, diff };
}

/** Short label of a finding or expectation: its resource id or subject. */
function target(finding: {
  resourceId?: string | null | undefined;
  subject?: Record<string, string> | null | undefined;
}): string {
  if (finding.resourceId) return `resource ${finding.resourceId}`;
  if (finding.subject) return `subject {${canonicalSubject(finding.subject)}}`;
  return "(any finding)";
}

function sameTarget(expected: ExpectedFinding, actual: Finding): boolean {
  if (expected.resourceId !== undefined && expected.resourceId !== actual.resourceId) return false;
  if (expected.subject !== undefined) {
    if (actual.subject === null || canonicalSubject(expected.subject) !== canonicalSubject(actual.subject))
      return false;
  }
  return true;
}

/**
 * Compares expected and actual findings. Returns no lines when they agree, otherwise lines such as
 * `- expected resource x` (missing), `+ unexpected resource y: message`, `~ resource x: data.share ...`.
 */
export function compareFindings(expected: readonly ExpectedFinding[], actual: readonly Finding[]): string[] {
  const lines: string[] = [];
  const unmatched = [...actual];
  for (const expectation of expected) {
    const index = unmatched.findIndex((finding) => sameTarget(expectation, finding));
    if (index === -1) {
      lines.push(`- expected a finding on ${target(expectation)}, got none`);
      continue;
    }
    const finding = unmatched.splice(index, 1)[0]!;
    if (expectation.severity !== undefined && expectation.severity !== finding.severity) {
      lines.push(
        `~ ${target(finding)}: severity expected ${expectation.severity}, actual ${finding.severity}`,
      );
    }
    if (expectation.message !== undefined && expectation.message !== finding.message) {
      lines.push(
        `~ ${target(finding)}: message`,
        `    expected: ${expectation.message}`,
        `    actual:   ${finding.message}`,
      );
    }
    for (const [key, value] of Object.entries(expectation.data ?? {})) {
      const actualValue = finding.data[key];
      if (JSON.stringify(actualValue) !== JSON.stringify(value)) {
        lines.push(
          `~ ${target(finding)}: data.${key} expected ${JSON.stringify(value)}, actual ${JSON.stringify(actualValue) ?? "(absent)"}`,
        );
      }
    }
  }
  for (const finding of unmatched)
    lines.push(`+ unexpected finding on ${target(finding)}: ${finding.message}`);
  return lines;
}
