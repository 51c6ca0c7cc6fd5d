/**
 * Large JSON documents read by parts (saved reports, baselines): the same values as `JSON.parse`
 * of the whole text, read in chunks of any size, and the careful path's exact errors for anything
 * that is not valid JSON.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { parseJson } from "../../src/input/json.js";
import { readJsonMembers } from "../../src/input/json-members.js";

/** The careful path reads the whole text: counted, to tell which path a read took. */
const wholeReads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/input/yaml.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/input/yaml.js")>();
  return {
    ...actual,
    readTextFile: async (file: string) => {
      wholeReads.count++;
      return actual.readTextFile(file);
    },
  };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-json-members-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  wholeReads.count = 0;
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// Strings with everything that could fool a splitter: braces, brackets, commas and quotes inside
// strings, escapes, backslashes before quotes, multi-byte characters.
const AWKWARD = [
  "}",
  "},{",
  '"}',
  "\\",
  "\\\\",
  "\\}",
  "]",
  "],[",
  "\n  },\n  {",
  "é",
  "日本",
  "🏪",
  "a,b",
  " ",
  "",
];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 8));
  switch (pick) {
    case 0:
      return Math.floor(next() * 2000) - 1000;
    case 1:
      return next() * 1e-3;
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
    case 4:
      return Array.from(
        { length: 1 + Math.floor(next() * 3) },
        () => AWKWARD[Math.floor(next() * AWKWARD.length)],
      ).join("x");
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let index = Math.floor(next() * 5); index > 0; index--) {
        object[`${AWKWARD[Math.floor(next() * AWKWARD.length)]}k${index}`] = value(next, depth + 1);
      }
      return object;
    }
  }
}

/** A report-like document: a few members and large arrays of objects. */
function document(seed: number): Record<string, unknown> {
  const next = random(seed);
  return {
    schemaVersion: 1,
    tool: { name: "landlord", version: "0.1.0" },
    summary: value(next, 1),
    findings: Array.from({ length: 200 }, (_, index) => ({
      ruleId: `rule-${index % 7}`,
      message: value(next, 2),
      data: value(next, 2),
      nested: [{ a: value(next, 3) }, { b: "},{" }],
    })),
    empty: [],
    scalars: [1, "two", null, [3], { four: 4 }],
    diagnostics: Array.from({ length: 20 }, () => value(next, 1)),
  };
}

describe("readJsonMembers", () => {
  it.each([
    { layout: "indented by two", indent: 2 },
    { layout: "indented by a tab", indent: "\t" },
    { layout: "on one line", indent: undefined },
  ])(
    "reads exactly what JSON.parse reads ($layout), in chunks of any size, without the whole text",
    async ({ indent }) => {
      for (const seed of [1, 2, 3]) {
        const expected = document(seed);
        const file = await fileWith(`doc-${seed}.json`, JSON.stringify(expected, null, indent));
        for (const chunkBytes of [7, 64, 1000, 1 << 20]) {
          const read = await readJsonMembers(file, { errorCode: "invalid-report", chunkBytes });
          expect(read).toEqual(expected);
        }
      }
      expect(wholeReads.count).toBe(0);
    },
  );

  it("hands each element with its array's key and index to `keep`, and keeps what it returns", async () => {
    const file = await fileWith(
      "keep.json",
      JSON.stringify(
        { findings: [{ fingerprint: "a" }, { fingerprint: "b" }], other: [1, 2], total: 2 },
        null,
        2,
      ),
    );
    const seen: string[] = [];
    const read = await readJsonMembers(file, {
      errorCode: "invalid-baseline",
      chunkBytes: 16,
      keep: (key, element, index) => {
        seen.push(`${key}[${index}]`);
        return key === "findings" ? (element as { fingerprint: string }).fingerprint : undefined;
      },
    });
    expect(read).toEqual({ findings: ["a", "b"], other: [], total: 2 });
    expect(seen).toEqual(["findings[0]", "findings[1]", "other[0]", "other[1]"]);
  });

  it("reads a document with a byte order mark, and a __proto__ key as an own member", async () => {
    const text = '{"__proto__": {"polluted": true}, "list": [{"x": 1}]}';
    const file = await fileWith(
      "bom.json",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
    const read = (await readJsonMembers(file, { errorCode: "invalid-report" })) as Record<string, unknown>;
    expect(read).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(wholeReads.count).toBe(0);
  });

  it("reads whole, as JSON.parse does, what it cannot split: a key given twice, a document that is not an object", async () => {
    const twice = '{"findings": [{"fingerprint": "old"}], "findings": [{"fingerprint": "new"}]}';
    expect(
      await readJsonMembers(await fileWith("twice.json", twice), { errorCode: "invalid-report" }),
    ).toEqual(JSON.parse(twice));
    expect(
      await readJsonMembers(await fileWith("list.json", "[1, 2]"), { errorCode: "invalid-report" }),
    ).toEqual([1, 2]);
    expect(wholeReads.count).toBe(2);
  });

  it.each([
    ["a missing comma between elements", '{\n  "findings": [\n    {"a": 1}\n    {"b": 2}\n  ]\n}'],
    ["a trailing comma", '{\n  "findings": [\n    {"a": 1},\n  ]\n}'],
    ["an element that does not parse", '{\n  "findings": [\n    {"a": tru}\n  ]\n}'],
    ["a document cut short", '{\n  "findings": [\n    {"a": 1},\n    {"b": '],
    ["text after the document", '{"a": 1}\n{"b": 2}'],
    ["an empty file", ""],
  ])("names the line and column of %s, as a whole parse does", async (_, text) => {
    const file = await fileWith("broken.json", text);
    const error = await readJsonMembers(file, { errorCode: "invalid-report", hint: "Give a report." }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LandlordError);
    let expected: unknown;
    try {
      parseJson(text, file, "invalid-report", "Give a report.");
    } catch (caught) {
      expected = caught;
    }
    expect((error as LandlordError).code).toBe("invalid-report");
    expect((error as LandlordError).details).toEqual((expected as LandlordError).details);
    expect((error as LandlordError).hint).toBe("Give a report.");
  });

  it("says which line holds invalid UTF-8, and when the file cannot be read", async () => {
    const invalid = Buffer.concat([
      Buffer.from('{\n  "findings": [\n    {"a": "'),
      Buffer.from([0xff]),
      Buffer.from('"}\n  ]\n}'),
    ]);
    await expect(
      readJsonMembers(await fileWith("latin.json", invalid), { errorCode: "invalid-report" }),
    ).rejects.toThrow(/not UTF-8|UTF-8/);
    await expect(
      readJsonMembers(path.join(dir, "missing.json"), { errorCode: "invalid-report" }),
    ).rejects.toThrow(/cannot read .*missing\.json: no such file/);
    await expect(readJsonMembers(dir, { errorCode: "invalid-report" })).rejects.toThrow(
      /is a folder, not a file/,
    );
  });
});
