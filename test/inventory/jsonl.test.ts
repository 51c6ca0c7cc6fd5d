import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { idHash, MergedInventory, RELEASED_TAGS, type TagKeys } from "../../src/inventory/normalize.js";
import { type ReadOptions, readInventoryFile } from "../../src/inventory/read.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file read on this thread alone, or split with a reader thread (at about half of it). */
const THREADS = [
  { threads: "one thread", parallelMinBytes: Number.POSITIVE_INFINITY },
  { threads: "two threads", parallelMinBytes: 1 },
];

async function readWith(options: ReadOptions, name: string, content: string | Buffer) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return readInventoryFile(file, name, options);
}

async function failureWith(
  options: ReadOptions,
  name: string,
  content: string | Buffer,
): Promise<LandlordError> {
  try {
    await readWith(options, name, content);
  } catch (error) {
    if (error instanceof LandlordError) return error;
    throw error;
  }
  throw new Error("expected the read to fail");
}

const record = (id: string) =>
  JSON.stringify({ id, provider: "AWS", region: "us-east-1", tags: { app: id } });

describe.each(THREADS)("JSONL reader on $threads", ({ parallelMinBytes }) => {
  const read = (name: string, content: string | Buffer) => readWith({ parallelMinBytes }, name, content);
  const failure = (name: string, content: string | Buffer) =>
    failureWith({ parallelMinBytes }, name, content);

  it("reads LF, CRLF and lone CR line ends, blank lines and a last line without a line end", async () => {
    const content = `${record("a")}\n\n${record("b")}\r\n  \r\n${record("c")}\r${record("d")}`;
    const resources = await read("mixed.jsonl", content);
    expect(resources.map((resource) => resource.id)).toEqual(["a", "b", "c", "d"]);
    expect(resources[0]).toMatchObject({ provider: "aws", tags: { app: "a" }, source: "mixed.jsonl" });
  });

  it("normalizes records that are not resources as they are: padded ids, numbers, empty values", async () => {
    const content = [
      JSON.stringify({ id: " a ", provider: "GCP", region: null, name: "", tags: { n: "1" } }),
      JSON.stringify({ id: 42, provider: "azure", account: 7, residency: "kr, jp" }),
    ].join("\n");
    const [first, second] = await read("odd.jsonl", content);
    expect(first).toEqual({ id: "a", provider: "gcp", tags: { n: "1" }, source: "odd.jsonl" });
    expect(second).toEqual({
      id: "42",
      provider: "azure",
      account: "7",
      residency: ["kr", "jp"],
      tags: {},
      source: "odd.jsonl",
    });
  });

  it("rejects unknown fields by name", async () => {
    const error = await failure("unknown.jsonl", JSON.stringify({ id: "a", provider: "aws", colour: "red" }));
    expect(error.details[0]).toMatchObject({
      message: 'unknown field "colour"',
      location: { line: 1, field: "colour" },
    });
  });

  it("reads records that span the reader's chunks", async () => {
    const lines = Array.from({ length: 5000 }, (_, index) => record(`r-${index}-${"x".repeat(index % 700)}`));
    const resources = await read("large.jsonl", `${lines.join("\r\n")}\r\n`);
    expect(resources).toHaveLength(5000);
    expect(resources[4999]!.id).toBe(`r-4999-${"x".repeat(4999 % 700)}`);
  });

  it("names the line of an unparseable record, counting CRLF and CR line ends", async () => {
    const error = await failure("broken.jsonl", `${record("a")}\r\n${record("b")}\r{oops\n${record("c")}\n`);
    expect(error.details).toEqual([
      { message: "not a valid JSON object", location: { file: "broken.jsonl", line: 3 } },
    ]);
  });

  it("names the line of invalid UTF-8, also past the first chunk", async () => {
    const lines = Array.from({ length: 4000 }, (_, index) => record(`r-${index}-${"y".repeat(300)}`));
    const bytes = Buffer.concat([
      Buffer.from(`${lines.join("\n")}\n`),
      Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
    ]);
    const error = await failure("bytes.jsonl", bytes);
    expect(error.code).toBe("invalid-encoding");
    expect(error.details[0]?.location?.line).toBe(4001);
  });

  it("skips a byte order mark and keeps multi-byte characters that straddle chunks", async () => {
    // 3-byte characters at every offset, over 2 MB: some of them cross the reader's 1 MiB chunk boundaries.
    const lines = Array.from({ length: 12_000 }, (_, index) =>
      record(`r-${index}-${"한".repeat(index % 50)}`),
    );
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\n"))]);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const resources = await read("bom.jsonl", bytes);
    expect(resources).toHaveLength(12_000);
    expect(resources[0]!.id).toBe("r-0-");
    expect(resources.map((resource) => resource.id)).toEqual(
      Array.from({ length: 12_000 }, (_, index) => `r-${index}-${"한".repeat(index % 50)}`),
    );
  });

  it("names the line of invalid UTF-8 in a last line without a line end", async () => {
    const bytes = Buffer.concat([Buffer.from(`${record("a")}\n${record("b")}\n`), Buffer.from([0x7b, 0xc3])]);
    const error = await failure("tail.jsonl", bytes);
    expect(error.code).toBe("invalid-encoding");
    expect(error.details[0]?.location?.line).toBe(3);
  });
});

describe("JSONL reader on two threads", () => {
  const tagKeys = loadedTagKeys();
  /** Records with every field, some set directly, some derived from tags, in varied orders. */
  const richLines = Array.from({ length: 3000 }, (_, index) =>
    JSON.stringify({
      ...(index % 3 === 0 ? { name: `n-${index}` } : {}),
      id: `arn:aws:s3:::bucket-${index}`,
      provider: index % 5 === 0 ? "Azure" : "aws",
      region: ["us-east-1", "eu-west-1", "ap-northeast-2"][index % 3],
      account: `acct-${index % 40}`,
      type: "s3:bucket",
      tags: {
        env: ["prod", "dev"][index % 2],
        "data-classification": index % 4 === 0 ? "Restricted" : "internal",
        ...(index % 7 === 0 ? { "data-residency": "kr, jp" } : {}),
        owner: `team-${index % 13}@example.com`,
      },
      ...(index % 11 === 0 ? { vendor: "acme", kind: "functionapp", sector: "Public" } : {}),
      ...(index % 17 === 0
        ? { requiredCertifications: ["CSAP-High"], hierarchy: ["folders/1", "folders/2"] }
        : {}),
      ...(index % 19 === 0 ? { tagOrigins: { env: "projects/shop" }, source: "aws:acct/us-east-1" } : {}),
    }),
  );

  it.each([true, false])(
    "reads exactly what one thread reads, normalized (keepTags %s)",
    async (keepTags) => {
      const normalization = { tagKeys, keepTags };
      const content = `${richLines.join("\n")}\n`;
      const alone = await readWith(
        { normalization, parallelMinBytes: Number.POSITIVE_INFINITY },
        "rich.jsonl",
        content,
      );
      const split = await readWith({ normalization, parallelMinBytes: 1 }, "rich.jsonl", content);
      expect(split).toEqual(alone);
      // The same fields in the same order: one object shape for every resource.
      expect(split.map((resource) => Object.keys(resource).join())).toEqual(
        alone.map((resource) => Object.keys(resource).join()),
      );
      expect(split.filter((resource) => resource.tags === RELEASED_TAGS)).toHaveLength(
        keepTags ? 0 : alone.filter((resource) => resource.tags === RELEASED_TAGS).length,
      );
      expect(alone[0]).toMatchObject({
        classification: "restricted",
        residency: ["KR", "JP"],
        environment: "prod",
      });
    },
  );

  it("hands over the second part from the reader thread, in the file's order, with each id's hash", async () => {
    const accepted: { id: string; hash: number | undefined }[] = [];
    const resources = await readWith(
      { parallelMinBytes: 1, accept: (resource, hash) => accepted.push({ id: resource.id, hash }) },
      "order.jsonl",
      `${richLines.join("\n")}\n`,
    );
    expect(accepted.map(({ id }) => id)).toEqual(resources.map((resource) => resource.id));
    const fromThread = accepted.filter(({ hash }) => hash !== undefined);
    // The main thread reads about half and the reader thread the rest, which follows it.
    expect(fromThread.length).toBeGreaterThan(1000);
    expect(fromThread.length).toBeLessThan(2000);
    expect(accepted.slice(-fromThread.length)).toEqual(fromThread);
    for (const { id, hash } of fromThread) expect(hash).toBe(idHash(id));
  });

  it("merges ids repeated across the two parts as one thread does", async () => {
    const lines = Array.from({ length: 2000 }, (_, index) =>
      JSON.stringify({
        id: `r-${index % 1200}`,
        provider: "aws",
        tags: { [`k${index}`]: "v" },
        ...(index >= 1200 ? { region: "eu-west-1" } : {}),
      }),
    );
    const merge = async (parallelMinBytes: number) => {
      const merged = new MergedInventory();
      await readWith(
        {
          parallelMinBytes,
          accept: (resource, hash) => merged.add(resource, hash),
        },
        "repeats.jsonl",
        lines.join("\n"),
      );
      return { resources: merged.resources, diagnostics: merged.diagnostics() };
    };
    const split = await merge(1);
    expect(split).toEqual(await merge(Number.POSITIVE_INFINITY));
    expect(split.resources).toHaveLength(1200);
    expect(split.resources[5]).toMatchObject({ region: "eu-west-1", tags: { k5: "v", k1205: "v" } });
  });

  it("lists problems on both sides of the split in order, with their lines", async () => {
    const lines = richLines.slice(0, 2000);
    lines[2] = "{oops";
    lines[1500] = JSON.stringify({ id: "x", provider: "aws", colour: "red" });
    lines[1998] = JSON.stringify({ provider: "aws" });
    const error = await failureWith({ parallelMinBytes: 1 }, "problems.jsonl", lines.join("\r\n"));
    expect(error.details.map((detail) => [detail.location?.line, detail.message])).toEqual([
      [3, "not a valid JSON object"],
      [1501, 'unknown field "colour"'],
      [1999, '"id" is required and must be a non-empty string'],
    ]);
  });
});

function loadedTagKeys(): TagKeys {
  return {
    classification: ["data-classification", "classification"],
    workload: ["app", "workload"],
    environment: ["env", "environment"],
    criticality: ["criticality"],
    sector: ["sector"],
    residency: ["data-residency"],
    certification: ["required-certifications"],
  };
}
