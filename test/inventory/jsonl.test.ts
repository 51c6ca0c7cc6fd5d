import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { readInventoryFile } from "../../src/inventory/read.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: string | Buffer) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return readInventoryFile(file, name);
}

async function failure(name: string, content: string | Buffer): Promise<LandlordError> {
  try {
    await read(name, content);
  } catch (error) {
    if (error instanceof LandlordError) return error;
    throw error;
  }
  throw new Error("expected the read to fail");
}

const record = (id: string) =>
  JSON.stringify({ id, provider: "AWS", region: "us-east-1", tags: { app: id } });

describe("JSONL reader", () => {
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
    // 3-byte characters at every offset: some of them cross the reader's 64 KiB chunk boundaries.
    const lines = Array.from({ length: 3000 }, (_, index) => record(`r-${index}-${"한".repeat(index % 50)}`));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\n"))]);
    const resources = await read("bom.jsonl", bytes);
    expect(resources).toHaveLength(3000);
    expect(resources[0]!.id).toBe("r-0-");
    expect(resources.map((resource) => resource.id)).toEqual(
      Array.from({ length: 3000 }, (_, index) => `r-${index}-${"한".repeat(index % 50)}`),
    );
  });

  it("names the line of invalid UTF-8 in a last line without a line end", async () => {
    const bytes = Buffer.concat([Buffer.from(`${record("a")}\n${record("b")}\n`), Buffer.from([0x7b, 0xc3])]);
    const error = await failure("tail.jsonl", bytes);
    expect(error.code).toBe("invalid-encoding");
    expect(error.details[0]?.location?.line).toBe(3);
  });
});
