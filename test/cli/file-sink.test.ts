import { existsSync } from "node:fs";
import { link, lstat, mkdtemp, open, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeChunksToFile, writeWholeFile } from "../../src/cli/file-sink.js";

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

  const write = (file: string, text: string) =>
    writeChunksToFile(file, async (sink) => {
      await sink(text);
    });

  it("replaces a previous report with the new one, streamed or whole, keeping its permissions and leaving nothing beside it", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "landlord-sink-"));
    const file = path.join(folder, "report.json");
    await writeFile(file, "x".repeat(1 << 20), { mode: 0o600 });
    await write(file, "new report\n");
    expect(await readFile(file, "utf8")).toBe("new report\n");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(["report.json"]);
    await writeWholeFile(file, new TextEncoder().encode("whole report"));
    expect(await readFile(file, "utf8")).toBe("whole report");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(["report.json"]);
  });

  it("writes through a symbolic link and into a file with other links, as a truncating write would", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "landlord-sink-"));
    const target = path.join(folder, "kept.json");
    const linked = path.join(folder, "linked.json");
    const other = path.join(folder, "other-name.json");
    await writeFile(target, "old");
    await symlink(target, linked);
    await write(linked, "through the link");
    expect((await lstat(linked)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, "utf8")).toBe("through the link");
    await link(target, other);
    await write(target, "seen by both names");
    expect(await readFile(other, "utf8")).toBe("seen by both names");
    expect((await readdir(folder)).sort()).toEqual(["kept.json", "linked.json", "other-name.json"]);
  });

  it("leaves a read-only report as it is: refused as before, or written in place where the user may write anyway", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "landlord-sink-"));
    const file = path.join(folder, "baseline.json");
    await writeFile(file, "kept", { mode: 0o444 });
    // Held open, the original file shows whether it was written in place or replaced.
    const original = await open(file, "r");
    const outcome = await write(file, "changed").then(
      () => "written",
      (error: NodeJS.ErrnoException) => error.code,
    );
    const seen = (await original.readFile("utf8")).toString();
    await original.close();
    if (outcome === "written") {
      // Only a user who may write any file (root) gets here: into the same file, not a new one.
      expect(seen).toBe("changed");
    } else {
      expect(outcome).toBe("EACCES");
      expect(await readFile(file, "utf8")).toBe("kept");
    }
    expect((await stat(file)).mode & 0o777).toBe(0o444);
    expect(await readdir(folder)).toEqual(["baseline.json"]);
  });

  it.skipIf(!existsSync("/dev/full"))("fails with the file system's error when a write fails", async () => {
    const attempt = writeChunksToFile("/dev/full", async (sink) => {
      for (let index = 0; index < 100; index++) await sink("y".repeat(100_000));
    });
    await expect(attempt).rejects.toThrow(/ENOSPC/);
  });
});
