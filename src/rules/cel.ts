/**
 * The CEL environment rules are written against, and compiling expressions once at load time.
 *
 * Variables (documented for rule authors in docs/rules.md):
 * - per-resource rules: `resource`, `provider`, `region`, `org`, `params`, `scanTime`
 * - aggregate rules: `group`, `totals`, `org`, `params`, `scanTime`
 *
 * Counts are CEL ints; shares, HHI and numeric params are CEL doubles. CEL compares ints and
 * doubles with each other but does not mix them in arithmetic, so `double(group.resources)` is
 * needed before dividing a count by a share.
 */
import { Environment, ParseError } from "@marcbachmann/cel-js";
import type { RuleScope } from "./schema.js";

/** A compiled CEL expression: call it with an activation (the variables) to evaluate. */
export type CompiledExpression = (activation: Record<string, unknown>) => unknown;

/** Variables available to each scope, with a one-line description (also printed by `rules explain`). */
export const CEL_VARIABLES: Record<RuleScope, Record<string, string>> = {
  resource: {
    resource:
      "the resource: id, provider, region, type, tags, classification, sensitive, critical, production, certifications, lockIn, ...",
    provider:
      "its provider from the catalog: id, name, parent, headquarters, accessLaws, competingSegments, lists, competitor, overlap, orgLists",
    region:
      "its region from the catalog: code, known, country, government, sovereign, chinaOperated, operator, operatorJurisdiction",
    org: "the organisation profile: name, segments, jurisdiction, competitors, distrustedJurisdictions, sector, ...",
    params: "the rule's params after profile overrides",
    scanTime: "the scan time (timestamp)",
  },
  aggregate: {
    group:
      "the group: key, resources, share, critical, criticalWorkloads, criticalWorkloadShare, coverage, hhi, parentHhi, providers, regions, proprietary, ...",
    totals: "totals over the rule's matched resources: resources, criticalWorkloads, classified",
    org: "the organisation profile",
    params: "the rule's params after profile overrides",
    scanTime: "the scan time (timestamp)",
  },
};

function environmentFor(scope: RuleScope): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of Object.keys(CEL_VARIABLES[scope])) {
    if (name === "scanTime") env.registerVariable(name, "google.protobuf.Timestamp");
    else env.registerVariable(name, "map");
  }
  return env;
}

const environments: Record<RuleScope, Environment> = {
  resource: environmentFor("resource"),
  aggregate: environmentFor("aggregate"),
};

/** Why an expression does not compile: a sentence and the offset inside the expression. */
export interface CelCompileError {
  message: string;
  offset: number | undefined;
}

/** Compiles and type-checks an expression for a scope. Returns the callable, or why it failed. */
export function compileExpression(
  expression: string,
  scope: RuleScope,
): { ok: true; evaluate: CompiledExpression } | { ok: false; error: CelCompileError } {
  const env = environments[scope];
  try {
    const evaluate = env.parse(expression) as unknown as CompiledExpression & {
      check(): { valid: boolean; error?: Error & { range?: { start: number } } };
    };
    const check = evaluate.check();
    if (!check.valid && check.error) {
      return { ok: false, error: { message: summary(check.error), offset: check.error.range?.start } };
    }
    return { ok: true, evaluate };
  } catch (error) {
    const range =
      error instanceof ParseError ? (error as ParseError & { range?: { start: number } }).range : undefined;
    return { ok: false, error: { message: summary(error as Error), offset: range?.start } };
  }
}

function summary(error: Error): string {
  const withSummary = error as Error & { summary?: string };
  return withSummary.summary ?? error.message.split("\n")[0] ?? error.message;
}

/** Turns CEL results into JSON-safe values: BigInt to number, Map to object, recursively. */
export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, item] of value) object[String(key)] = fromCel(item);
    return object;
  }
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const object: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) object[key] = fromCel(item);
    return object;
  }
  return value;
}
