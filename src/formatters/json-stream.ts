/**
 * The JSON report as a sequence of chunks, byte-identical to `formatJson`. A report of a million
 * resources is a document of hundreds of megabytes: rendering it as one string (and again as a
 * buffer to write it) more than doubles the scan's peak memory. Streaming renders the envelope
 * and each element of the top-level arrays (findings, inventory, diagnostics, ...) one at a time.
 */
import { randomUUID } from "node:crypto";
import type { Report } from "../report/types.js";

/** Where streamed chunks go: resolves when the sink can take more (backpressure). */
export type ChunkSink = (chunk: string) => void | Promise<void>;

/**
 * Default size of a chunk handed to the sink, in UTF-16 code units. Small enough that chunks and
 * the batches they are cut from stay below V8's large-object size and die young: with 1 MiB chunks
 * the 1M benchmark's JSON stage added 370 MB of peak memory, with 64 KiB 190 MB.
 */
const CHUNK_SIZE = 1 << 16;

/**
 * The JSON report in chunks whose concatenation equals `JSON.stringify(report, null, 2) + "\n"`.
 * Top-level arrays are rendered a batch of elements at a time; every other top-level value as a
 * whole. Each piece is rendered by JSON.stringify itself, wrapped at the depth it has in the report
 * (so its indentation is already right), then cut out of the wrapper.
 */
export function* jsonReportChunks(report: Report, chunkSize: number = CHUNK_SIZE): Generator<string> {
  let buffer = "{";
  let first = true;
  for (const key of Object.keys(report)) {
    const value: unknown = report[key];
    if (Array.isArray(value) && value.length > 0 && !hasToJson(value)) {
      buffer += `${first ? "" : ","}\n  ${JSON.stringify(key)}: [`;
      first = false;
      const batch = elementsPerBatch(chunkSize);
      for (let start = 0; start < value.length; start += batch) {
        if (start > 0) buffer += ",";
        if (buffer !== "") yield buffer;
        buffer = "";
        // The batch goes out as a piece of its own: joining it to the buffer would copy it again.
        yield elementsAtDepth(value.slice(start, start + batch), 2);
      }
      buffer += "\n  ]";
      continue;
    }
    const rendered = JSON.stringify({ [key]: value }, null, 2);
    // JSON.stringify leaves out properties whose value it cannot represent: `{}`.
    if (rendered.length === 2) continue;
    buffer += `${first ? "" : ","}${rendered.slice(1, rendered.length - 2)}`;
    first = false;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = "";
    }
  }
  buffer += first ? "}\n" : "\n}\n";
  yield buffer;
}

/**
 * Stands for the array {@link jsonWithStreamedArray} renders in batches. Random for each process,
 * so that no value of an inventory (a provider id, a tag) can be taken for it.
 */
export const STREAMED_ARRAY = `\u0000landlord:streamed-array:${randomUUID()}\u0000`;

/**
 * `JSON.stringify(document, null, 2) + "\n"` in chunks, where the one place in `document` holding
 * `[STREAMED_ARRAY]` stands for an array of `count` elements, made by `element(index)` a batch at a
 * time and dropped once rendered: a document of hundreds of thousands of results is never held
 * whole, as objects or as one string. Each batch is rendered by JSON.stringify itself, nested as
 * deep as the array is in the document (so its indentation is already right), then cut out.
 */
export function* jsonWithStreamedArray(
  document: unknown,
  count: number,
  element: (index: number) => unknown,
  chunkSize: number = CHUNK_SIZE,
): Generator<string> {
  const text = JSON.stringify(document, null, 2);
  const quoted = JSON.stringify(STREAMED_ARRAY);
  const marker = text.indexOf(quoted);
  if (marker === -1 || text.includes(quoted, marker + 1)) {
    throw new Error("jsonWithStreamedArray: the document must hold [STREAMED_ARRAY] exactly once");
  }
  const after = marker + quoted.length;
  if (count === 0) {
    // `[]`, as JSON.stringify renders an empty array.
    yield `${text.slice(0, text.lastIndexOf("[", marker))}[]${text.slice(text.indexOf("]", after) + 1)}\n`;
    return;
  }
  // The marker sits alone on its line, indented two spaces per level of depth.
  const lineStart = text.lastIndexOf("\n", marker) + 1;
  const depth = (marker - lineStart) / 2;
  // Up to the array's "[": each batch starts with the line break before its first element.
  yield text.slice(0, lineStart - 1);
  const batch = elementsPerBatch(chunkSize);
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    const elements: unknown[] = new Array(end - start);
    for (let index = start; index < end; index++) elements[index - start] = element(index);
    yield `${start > 0 ? "," : ""}${elementsAtDepth(elements, depth)}`;
  }
  yield `${text.slice(after)}\n`;
}

/** Array elements per batch: about `chunkSize` characters, assuming about a thousand per element. */
function elementsPerBatch(chunkSize: number): number {
  return Math.max(1, Math.floor(chunkSize / 1024));
}

/**
 * The elements as JSON.stringify(_, null, 2) writes them inside an array whose elements sit at
 * `depth` (indented two spaces a level): from the line break before the first one to the end of the
 * last, without commas around. They are rendered inside depth - 1 wrapping objects, so that their
 * indentation is already right, then cut out.
 */
function elementsAtDepth(elements: readonly unknown[], depth: number): string {
  let wrapped: unknown = elements;
  for (let level = 1; level < depth; level++) wrapped = { a: wrapped };
  const rendered = JSON.stringify(wrapped, null, 2);
  // After the elements: the array's "]" and the wrapping objects' "}", one a line.
  let closing = 0;
  for (let level = 0; level < depth; level++) closing += 2 + 2 * level;
  return rendered.slice(rendered.indexOf("[") + 1, rendered.length - closing);
}

/** Lines of JSON, one per item, each ended by a line break, rendered a batch at a time. */
export function* jsonLines(items: readonly unknown[], chunkSize: number = CHUNK_SIZE): Generator<string> {
  // As `items.map(JSON.stringify).join("\n") + "\n"` has always written it: a lone line break when empty.
  if (items.length === 0) yield "\n";
  const batch = Math.max(1, Math.floor(chunkSize / 512));
  for (let start = 0; start < items.length; start += batch) {
    const lines = items.slice(start, start + batch).map((item) => JSON.stringify(item));
    yield `${lines.join("\n")}\n`;
  }
}

/** Writes the JSON report to `sink` chunk by chunk, waiting whenever the sink asks to. */
export async function writeJsonReport(report: Report, sink: ChunkSink): Promise<void> {
  for (const chunk of jsonReportChunks(report)) await sink(chunk);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}
