/**
 * A reader thread that dies: the main thread reads on from the thread's last batch and loses
 * nothing. The real thread runs; `node:worker_threads` is wrapped so the test can end it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readInventoryFile } from "../../src/inventory/read.js";

const failure = vi.hoisted(() => ({ mode: "none" as "none" | "at-start" | "after-first-batch" }));

vi.mock("node:worker_threads", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:worker_threads")>();
  /** A reader thread the test ends: before it reads anything, or once it has posted one batch. */
  class EndedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      if (failure.mode === "at-start") void this.terminate();
      if (failure.mode === "after-first-batch") this.once("message", () => void this.terminate());
    }
  }
  return { ...actual, Worker: EndedWorker };
});

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-thread-"));
  file = path.join(dir, "large.jsonl");
  // About 4 MiB: the reader thread's half spans a few of its 1 MiB batches.
  const lines = Array.from({ length: 40_000 }, (_, index) =>
    JSON.stringify({
      id: `arn:aws:ec2:us-east-1:111122223333:instance/i-${index.toString(16).padStart(8, "0")}`,
      provider: "aws",
      region: "us-east-1",
      tags: { app: `app-${index % 97}` },
    }),
  );
  await writeFile(file, `${lines.join("\n")}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  failure.mode = "none";
});

/** Reads the file, counting the resources that came from the reader thread (they carry a hash). */
async function read(parallelMinBytes: number) {
  let fromThread = 0;
  const resources = await readInventoryFile(file, "large.jsonl", {
    parallelMinBytes,
    accept: (_resource, hash) => {
      if (hash !== undefined) fromThread++;
    },
  });
  return { resources, fromThread };
}

describe("a reader thread that ends early", () => {
  it("loses nothing when it ends after its first batch: this thread reads on from there", async () => {
    const alone = await read(Number.POSITIVE_INFINITY);
    const whole = await read(1);
    failure.mode = "after-first-batch";
    const ended = await read(1);
    expect(ended.resources).toEqual(alone.resources);
    // The thread's first batch was used, and the rest of its half was read here.
    expect(ended.fromThread).toBeGreaterThan(0);
    expect(ended.fromThread).toBeLessThan(whole.fromThread);
  });

  it("loses nothing when it ends before reading anything: this thread reads the whole file", async () => {
    const alone = await read(Number.POSITIVE_INFINITY);
    failure.mode = "at-start";
    const ended = await read(1);
    expect(ended.resources).toEqual(alone.resources);
    expect(ended.fromThread).toBe(0);
  });
});
