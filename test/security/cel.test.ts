/**
 * CEL in rules is a calculator over the documented variables, nothing more: it cannot reach the
 * process, modules, files or the network, and what one expression may cost is bounded when the rule
 * loads, so hostile tag values cannot stall a scan.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CEL_LIMITS, compileExpression } from "../../src/rules/cel.js";
import { recordTally } from "../faults/tally.js";

const marker = path.join(tmpdir(), `landlord-cel-escape-${process.pid}`);
let tried = 0;
afterAll(() => recordTally("cel", { expressions: tried }));

/** Compiles for the per-resource scope and, when that succeeds, evaluates over hostile data. */
function attempt(expression: string): { compiled: boolean; value?: unknown; error?: string } {
  tried++;
  const compiled = compileExpression(expression, "resource");
  if (!compiled.ok) return { compiled: false, error: compiled.error.message };
  try {
    const value = compiled.evaluate({
      resource: { id: "__proto__", tags: { constructor: "x", __proto__: "y" }, name: "a".repeat(40) },
      provider: {},
      region: {},
      org: {},
      params: {},
      scanTime: new Date("2026-11-21T00:00:00Z"),
    });
    return { compiled: true, value };
  } catch (error) {
    return { compiled: true, error: (error as Error).message };
  }
}

const ESCAPES = [
  "process.exit(9)",
  "process.env",
  "process.mainModule.require('fs')",
  "require('child_process').execSync('id')",
  "import('node:fs')",
  "globalThis.process",
  "this.constructor.constructor('return process')()",
  "resource.constructor.constructor('return process')()",
  "resource.__proto__.polluted == true",
  "resource.tags.constructor",
  "Function('return process')()",
  "eval('1')",
  "fetch('http://127.0.0.1:1/')",
  `writeFile('${marker}', 'x')`,
  "[].constructor",
  "'x'.constructor",
  "dyn(resource).__defineGetter__",
  "type(resource) == type({})",
];

describe("CEL cannot reach the process, modules, files or the network", () => {
  it.each(ESCAPES)("%s", (expression) => {
    const exitCode = process.exitCode;
    const result = attempt(expression);
    // Either it is rejected, or it evaluates to plain data: never a function, never a side effect.
    if (result.compiled && result.error === undefined) {
      expect(typeof result.value).not.toBe("function");
      expect(["boolean", "string", "number", "bigint"]).toContain(typeof result.value);
    } else {
      expect(result.error).toBeTruthy();
    }
    expect(process.exitCode).toBe(exitCode);
    expect(existsSync(marker)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("CEL cost is bounded when the rule loads", () => {
  const rejected: Array<[string, string, RegExp]> = [
    [
      "an expression over the length limit",
      `resource.id == '${"a".repeat(CEL_LIMITS.maxExpressionLength)}'`,
      /characters long/,
    ],
    ["nesting past the depth limit", `${"(".repeat(60)}true${")".repeat(60)}`, /depth/i],
    [
      "a list literal past the element limit",
      `size([${Array(400).fill("1").join(",")}]) > 0`,
      /maxListElements/,
    ],
    [
      "too many AST nodes",
      Array(1200).fill("resource.id == 'a'").join(" || "),
      /maxAstNodes|characters long/,
    ],
    [
      "three comprehensions inside one another",
      "[1,2,3].all(a, [1,2,3].all(b, [1,2,3].all(c, a + b + c > 0)))",
      /comprehensions nest 3 deep/,
    ],
    ["a pattern with nested quantifiers", "resource.name.matches('(a+)+$')", /exponential/],
    ["a pattern with a nested bounded quantifier", "resource.name.matches('^(a|aa){1,}$')", /exponential/],
    ["a pattern with a backreference", "resource.name.matches('^(a*)\\\\1$')", /exponential/],
    ["a pattern taken from the data", "resource.name.matches(resource.id)", /string literal pattern/],
  ];
  it.each(rejected)("rejects %s", (_what, expression, message) => {
    const result = attempt(expression);
    expect(result.compiled).toBe(false);
    expect(result.error).toMatch(message);
  });

  it("keeps ordinary expressions working", () => {
    expect(attempt("resource.name.matches('^a{3,}$') && size(resource.name) == 40").value).toBe(true);
    expect(attempt("[1,2].exists(x, [3,4].all(y, y > x))").value).toBe(true);
    expect(attempt("resource.id.startsWith('__') && !('polluted' in resource)").value).toBe(true);
  });
});
