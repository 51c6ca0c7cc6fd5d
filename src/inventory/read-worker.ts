/**
 * A reader thread for the second part of a large JSONL inventory (see `readJsonl` in read.ts). It
 * parses, validates and normalizes its records exactly as the main thread does, and sends them in
 * columns (columns.ts), one batch per unit of whole lines.
 *
 * It only ever reads records that are valid. At the first unit with a problem (a line that is not
 * JSON, a record that is not a resource, bytes that are not UTF-8) it stops and says where that
 * unit starts: the main thread reads on from there itself, so that every problem is reported with
 * its line, in order, by the one reader that reports problems.
 */
import { isUtf8 } from "node:buffer";
import { parentPort, workerData } from "node:worker_threads";
import { type ResourceBatch, ResourceBatchWriter } from "./columns.js";
import { forEachLine, jsonlUnits } from "./jsonl.js";
import { idHash, type Normalization, normalizeResource, recordToResource } from "./normalize.js";
import type { Resource } from "./types.js";

/** What the main thread asks of a reader thread. */
export interface ReadRangeTask {
  file: string;
  /** The file as reports show it: every resource's default `source`. */
  displayName: string;
  /** Byte offset of the first line to read; the thread reads to the end of the file. */
  start: number;
  /** How each resource is normalized; none when the caller asked for none. */
  normalization?: Normalization;
  chunkBytes: number;
}

/** Where a reader stands in a file: the next byte it reads, and the lines and "\n" before it in its range. */
export interface ReadPosition {
  offset: number;
  lines: number;
  newlines: number;
}

/**
 * What a reader thread posts: batches of resources, each with the position after it, then whether
 * it read to the end or stopped at a problem (at the position after its last batch).
 */
export type ReadRangeMessage =
  | { kind: "batch"; batch: ResourceBatch; after: ReadPosition }
  | { kind: "done" }
  | { kind: "stopped" };

async function readRange(
  task: ReadRangeTask,
  post: (message: ReadRangeMessage, transfer?: ArrayBuffer[]) => void,
) {
  const writer = new ResourceBatchWriter();
  let lines = 0;
  let newlines = 0;
  for await (const unit of jsonlUnits(task.file, task.start, undefined, task.chunkBytes)) {
    const resources = isUtf8(unit.bytes) ? readUnit(unit.bytes.toString("utf8"), task) : undefined;
    if (resources === undefined) {
      post({ kind: "stopped" });
      return;
    }
    lines += resources.lines;
    newlines += resources.newlines;
    for (const resource of resources.list) writer.add(resource, idHash(resource.id));
    const { batch, transfer } = writer.take();
    post(
      { kind: "batch", batch, after: { offset: unit.offset + unit.bytes.length, lines, newlines } },
      transfer,
    );
  }
  post({ kind: "done" });
}

/** The unit's resources, or undefined at its first problem. */
function readUnit(
  text: string,
  task: ReadRangeTask,
): { list: Resource[]; lines: number; newlines: number } | undefined {
  const list: Resource[] = [];
  let lines = 0;
  let failed = false;
  const newlines = forEachLine(text, (line) => {
    if (failed) return;
    lines++;
    if (line.charCodeAt(0) !== 123 && line.trim() === "") return;
    try {
      const resource = recordToResource(JSON.parse(line));
      resource.source ??= task.displayName;
      list.push(task.normalization ? normalizeResource(resource, task.normalization) : resource);
    } catch {
      failed = true;
    }
  });
  return failed ? undefined : { list, lines, newlines };
}

if (parentPort !== null) {
  const port = parentPort;
  await readRange(workerData as ReadRangeTask, (message, transfer) =>
    port.postMessage(message, transfer ?? []),
  );
}
