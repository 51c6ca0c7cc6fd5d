/**
 * JSONL files read in units of whole lines, shared by the reader on the main thread and the one on a
 * worker thread (see read-worker.ts): each knows where every unit starts in the file, so either can
 * hand the rest of a range to the other at a unit's start.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

/** Whole lines of a JSONL file, as bytes, and where they start. */
export interface JsonlUnit {
  /** Lines ending in "\n", or the file's last line when it has no line end. */
  bytes: Buffer;
  /** Byte offset of `bytes[0]` in the file. */
  offset: number;
}

/**
 * The lines of `file` from byte `start` (the start of a line) up to byte `end` (exclusive; the end
 * of the file when undefined), in units of whole lines read `chunkBytes` at a time. A UTF-8 byte
 * order mark at the start of the file is skipped.
 */
export async function* jsonlUnits(
  file: string,
  start: number,
  end: number | undefined,
  chunkBytes: number,
): AsyncGenerator<JsonlUnit> {
  if (end !== undefined && end <= start) return;
  /** Bytes of the line still being read, from earlier chunks, and where they start. */
  let pending: Buffer[] = [];
  let pendingOffset = start;
  let offset = start;
  const stream = createReadStream(file, {
    highWaterMark: chunkBytes,
    start,
    ...(end === undefined ? {} : { end: end - 1 }),
  }) as AsyncIterable<Buffer>;
  for await (let bytes of stream) {
    if (offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      offset = pendingOffset = 3;
    }
    const chunkOffset = offset;
    offset += bytes.length;
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline === -1) {
      pending.push(bytes);
      continue;
    }
    const complete = bytes.subarray(0, lastNewline + 1);
    yield {
      bytes: pending.length === 0 ? complete : Buffer.concat([...pending, complete]),
      offset: pendingOffset,
    };
    pending = lastNewline + 1 < bytes.length ? [bytes.subarray(lastNewline + 1)] : [];
    pendingOffset = chunkOffset + lastNewline + 1;
  }
  if (pending.length > 0) yield { bytes: Buffer.concat(pending), offset: pendingOffset };
}

/**
 * Calls `onLine` with each line of `text` (whole lines, as a {@link JsonlUnit} holds) and returns
 * how many "\n" it held. A line ends at "\n", "\r\n" or a lone "\r" (old Mac files), as readline
 * splits them; a trailing "\r" ends its line without an empty line after it.
 */
export function forEachLine(text: string, onLine: (line: string) => void): number {
  let newlines = 0;
  let start = 0;
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    newlines++;
    endLine(text.slice(start, end), onLine);
    start = end + 1;
  }
  if (start < text.length) endLine(text.slice(start), onLine);
  return newlines;
}

function endLine(line: string, onLine: (line: string) => void): void {
  if (line.indexOf("\r") === -1) {
    onLine(line);
    return;
  }
  const parts = line.split("\r");
  const last = parts.length - 1;
  for (let index = 0; index < last; index++) onLine(parts[index]!);
  if (parts[last] !== "") onLine(parts[last]!);
}

/**
 * The start of the first line at or after byte `near` of a file of `size` bytes (`size` when no line
 * starts there): where a file can be split into two ranges of whole lines.
 */
export async function lineStartNear(file: string, near: number, size: number): Promise<number> {
  const handle = await open(file, "r");
  try {
    const window = Buffer.allocUnsafe(64 * 1024);
    for (let at = near; at < size; at += window.length) {
      const { bytesRead } = await handle.read(window, 0, window.length, at);
      if (bytesRead === 0) break;
      const newline = window.subarray(0, bytesRead).indexOf(0x0a);
      if (newline !== -1) return at + newline + 1;
    }
    return size;
  } finally {
    await handle.close();
  }
}
