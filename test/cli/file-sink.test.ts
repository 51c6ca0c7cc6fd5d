import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeChunksToFile } from "../../src/cli/file-sink.js";

describe("writing a report file chunk by chunk", () => {
  it("writes exactly the chunks in order: small ones, multi-byte text, and chunks larger than a buffer", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "landlord-sink-")), "report.json");
    const chunks = [
      "{",
      "é€😀".repeat(100_000),
      "x".repeat(3 << 20),
      ...Array.from({ length: 5000 }, (_, index) => `"finding-${index}",`),
      "}\n",
    ];
    await writeChunksToFile(file, async (sink) => {
      for (const chunk of chunks) await sink(chunk);
    });
    expect(await readFile(file, "utf8")).toBe(chunks.join(""));
  });

  it.skipIf(!existsSync("/dev/full"))("fails with the file system's error when a write fails", async () => {
    const attempt = writeChunksToFile("/dev/full", async (sink) => {
      for (let index = 0; index < 100; index++) await sink("y".repeat(100_000));
    });
    await expect(attempt).rejects.toThrow(/ENOSPC/);
  });
});
