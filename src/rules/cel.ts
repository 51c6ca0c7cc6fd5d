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

/**
 * Bounds on what one expression may cost. Rules are written by the operator, but they run over
 * data anyone who can tag a resource controls, once per resource: a bound here is a bound on the scan.
 */
export const CEL_LIMITS = {
  /** Longest expression source, in characters. */
  maxExpressionLength: 4096,
  maxAstNodes: 2000,
  maxDepth: 32,
  maxListElements: 256,
  maxMapEntries: 256,
  maxCallArguments: 16,
  /** Comprehensions (all, exists, exists_one, map, filter) inside one another. */
  maxComprehensionNesting: 2,
} as const;

const COMPREHENSIONS = new Set(["all", "exists", "exists_one", "map", "filter"]);

function environmentFor(scope: RuleScope): Environment {
  const { maxAstNodes, maxDepth, maxListElements, maxMapEntries, maxCallArguments } = CEL_LIMITS;
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes, maxDepth, maxListElements, maxMapEntries, maxCallArguments },
  });
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
  if (expression.length > CEL_LIMITS.maxExpressionLength) {
    return {
      ok: false,
      error: {
        message: `the expression is ${expression.length} characters long; at most ${CEL_LIMITS.maxExpressionLength} are allowed`,
        offset: undefined,
      },
    };
  }
  try {
    const evaluate = env.parse(expression) as unknown as CompiledExpression & {
      check(): { valid: boolean; error?: Error & { range?: { start: number } } };
    };
    const check = evaluate.check();
    if (!check.valid && check.error) {
      return { ok: false, error: { message: summary(check.error), offset: check.error.range?.start } };
    }
    const costProblem = costOf((evaluate as unknown as { ast?: unknown }).ast, 0);
    if (costProblem !== undefined) return { ok: false, error: costProblem };
    return { ok: true, evaluate };
  } catch (error) {
    const range =
      error instanceof ParseError ? (error as ParseError & { range?: { start: number } }).range : undefined;
    return { ok: false, error: { message: summary(error as Error), offset: range?.start } };
  }
}

interface AstNode {
  op: string;
  args: unknown;
  start?: number;
}

function isAstNode(value: unknown): value is AstNode {
  return value !== null && typeof value === "object" && typeof (value as AstNode).op === "string";
}

/**
 * Why the expression could cost too much at run time, or undefined. Comprehensions nest at most
 * {@link CEL_LIMITS.maxComprehensionNesting} deep, and `matches` takes only a literal pattern without
 * nested quantifiers: JavaScript regular expressions backtrack, and `(a+)+$` against a 40-character
 * tag value would stall the scan.
 */
function costOf(node: unknown, nesting: number): CelCompileError | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const problem = costOf(item, nesting);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isAstNode(node)) return undefined;
  let depth = nesting;
  if ((node.op === "rcall" || node.op === "call") && Array.isArray(node.args)) {
    const name = node.args[0];
    if (typeof name === "string" && COMPREHENSIONS.has(name)) {
      depth++;
      if (depth > CEL_LIMITS.maxComprehensionNesting) {
        return {
          message: `comprehensions nest ${depth} deep; at most ${CEL_LIMITS.maxComprehensionNesting} are allowed`,
          offset: node.start,
        };
      }
    }
    if (name === "matches") {
      const argumentList = node.args[node.args.length - 1];
      const pattern = Array.isArray(argumentList) ? argumentList[argumentList.length - 1] : argumentList;
      const problem = patternProblem(pattern);
      if (problem) return { message: problem, offset: isAstNode(pattern) ? pattern.start : node.start };
    }
  }
  return costOf(node.args, depth);
}

/**
 * A quantified group that contains a quantifier or an alternation: the shapes of catastrophic
 * backtracking (`(a+)+`, `(a|aa)+`). Deliberately strict; such patterns can always be rewritten.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*|]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;
/** A backreference: matching it can take exponential time. */
const BACKREFERENCE = /\\[1-9]/;

function patternProblem(pattern: unknown): string | undefined {
  if (!isAstNode(pattern) || pattern.op !== "value" || typeof pattern.args !== "string") {
    return "matches() takes a string literal pattern, so it can be checked when the rule loads";
  }
  if (NESTED_QUANTIFIER.test(pattern.args) || BACKREFERENCE.test(pattern.args)) {
    return `the pattern ${JSON.stringify(pattern.args)} nests quantifiers or uses a backreference, which can take exponential time`;
  }
  return undefined;
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
