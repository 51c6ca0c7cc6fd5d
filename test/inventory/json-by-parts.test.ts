import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { jsonLines } from "../../src/formatters/json-stream.js";
import { readInventoryFile } from "../../src/inventory/read.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-json-parts-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Read whole (the default for small files), or by parts as files of 64 MiB and more are. */
const WHOLE = { jsonByPartsMinBytes: Number.POSITIVE_INFINITY };
const BY_PARTS = { jsonByPartsMinBytes: 1 };

async function read(name: string, content: string, options: typeof WHOLE) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return readInventoryFile(file, name, options);
}

async function failure(name: string, content: string, options: typeof WHOLE): Promise<LandlordError> {
  try {
    await read(name, content, options);
  } catch (error) {
    if (error instanceof LandlordError) return error;
    throw error;
  }
  throw new Error("expected the read to fail");
}

const records = Array.from({ length: 3000 }, (_, index) => ({
  id: `arn:aws:s3:::bucket-${index}`,
  provider: "aws",
  region: index % 2 === 0 ? "eu-west-1" : "us-east-1",
  name: `bucket "${index}" é€😀`,
  tags: { classification: "confidential", workload: `w-${index % 7}` },
}));

describe("a large JSON inventory read by parts", () => {
  it("gives the resources a whole read gives, in order, from { resources } and from a bare list", async () => {
    const document = JSON.stringify({ generatedBy: "landlord collect", resources: records }, null, 2);
    const whole = await read("whole.json", document, WHOLE);
    const byParts = await read("parts.json", document, BY_PARTS);
    expect(byParts).toHaveLength(3000);
    expect(byParts.map(({ source: _source, ...rest }) => rest)).toEqual(
      whole.map(({ source: _source, ...rest }) => rest),
    );
    expect(byParts[2999]!.source).toBe("parts.json");
    const list = await read("list.json", JSON.stringify(records), BY_PARTS);
    expect(list.map((resource) => resource.id)).toEqual(records.map((record) => record.id));
  });

  it("names the place of each unusable record, as resources[i] and its field", async () => {
    const broken = records
      .slice(0, 10)
      .map((record, index) =>
        index === 3
          ? { ...record, id: ["not", "text"] }
          : index === 7
            ? { ...record, colour: "red" }
            : record,
      );
    const error = await failure("broken.json", JSON.stringify({ resources: broken }), BY_PARTS);
    expect(error.code).toBe("invalid-inventory");
    expect(error.message).toBe("broken.json has 2 invalid records");
    expect(error.details.map((detail) => detail.location?.field)).toEqual([
      "resources[3].id",
      "resources[7].colour",
    ]);
    // By parts there is no line to name (the whole-read path of small files finds it).
    expect(error.details.map((detail) => detail.location?.line)).toEqual([undefined, undefined]);
    const whole = await failure("broken-small.json", JSON.stringify({ resources: broken }, null, 2), WHOLE);
    expect(whole.details.map((detail) => detail.location?.field)).toEqual([
      "resources[3].id",
      "resources[7].colour",
    ]);
    expect(whole.details.every((detail) => typeof detail.location?.line === "number")).toBe(true);
  });

  it("reports a syntax error with its line and column, under the name the user gave", async () => {
    const error = await failure("syntax.json", '{\n  "resources": [\n    {"id": "a",}\n  ]\n}\n', BY_PARTS);
    expect(error.code).toBe("invalid-json");
    expect(error.details[0]?.location).toMatchObject({ file: "syntax.json", line: 3 });
  });

  it("refuses a document without a resources list", async () => {
    const error = await failure("other.json", JSON.stringify({ items: records.slice(0, 2) }), BY_PARTS);
    expect(error.code).toBe("invalid-inventory");
    expect(error.message).toBe("other.json has no resources list");
  });
});

describe("JSON lines written a batch at a time", () => {
  it("join into one line per item, as one call over every item gives", () => {
    for (const count of [1, 7, 3000]) {
      const items = records.slice(0, count);
      const text = `${items.map((item) => JSON.stringify(item)).join("\n")}\n`;
      const chunks = [...jsonLines(items, 4096)];
      expect(chunks.join("")).toBe(text);
      if (count === 3000) expect(chunks.length).toBeGreaterThan(100);
    }
    expect([...jsonLines([])].join("")).toBe("\n");
  });
});
