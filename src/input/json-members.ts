/**
 * Reading a large JSON document whose top level is an object (a saved report) without holding it
 * whole. The JSON report of a million resources is half a gigabyte: read as one string and parsed
 * at once, it took 1.06 GB of memory to take the fingerprints of a baseline from it, and 1.9 GB to
 * render it again with `landlord report`, near the longest string V8 can make.
 *
 * The file is read in chunks and split at its structure: each member of the top-level object is
 * parsed on its own, and the elements of a top-level array in runs, as many whole elements as a
 * chunk holds, each by `JSON.parse` (native and strict). Only the separators between them (braces,
 * brackets, commas, colons and whitespace) are checked here. A JSON tokenizer written in JavaScript
 * would also keep memory low, but at a fraction of the speed: one took 14.5 s for the 1M report,
 * against 3.5 s here.
 *
 * A document this reading cannot split (a syntax error, invalid UTF-8, a top-level key given
 * twice, anything unexpected) is read again the careful way, whole, so that its error names the
 * line and column, and so that an unusual but valid document is still read exactly.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import { parseJson } from "./json.js";
import { readTextFile } from "./yaml.js";

/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * What to keep of each element of a top-level array: the value in its place, or undefined to
 * drop it. `key` names the array, `index` the element's position in it.
 */
export type KeepElement = (key: string, element: unknown, index: number) => unknown;

export interface ReadJsonMembersOptions {
  /** The error code a document that is not valid JSON throws with. */
  errorCode: string;
  /** What to do about it, in that error. */
  hint?: string;
  /** What to keep of each array element (default: every element as it is). */
  keep?: KeepElement;
  /** Bytes read at a time. @default 1 MiB */
  chunkBytes?: number;
  /** The file's name in errors. @default file */
  displayName?: string;
}

/**
 * Reads a JSON file: the document, with each top-level array holding what `keep` kept of its
 * elements. A document that is not an object is returned as parsed (whole), for the caller to
 * reject. Throws a `LandlordError` with `errorCode` when the file is not valid JSON, and the
 * error of `readTextFile` when it cannot be read or is not UTF-8.
 */
export async function readJsonMembers(file: string, options: ReadJsonMembersOptions): Promise<unknown> {
  const keep = options.keep ?? ((_key, element) => element);
  try {
    return await splitRead(file, keep, options.chunkBytes ?? CHUNK_BYTES);
  } catch (error) {
    if (!(error instanceof Unsplittable)) throw error;
  }
  const document = parseJson(
    await readTextFile(file),
    options.displayName ?? file,
    options.errorCode,
    options.hint,
  );
  if (document === null || typeof document !== "object" || Array.isArray(document)) return document;
  for (const [key, value] of Object.entries(document)) {
    if (!Array.isArray(value)) continue;
    const kept: unknown[] = [];
    value.forEach((element, index) => {
      const chosen = keep(key, element, index);
      if (chosen !== undefined) kept.push(chosen);
    });
    (document as Record<string, unknown>)[key] = kept;
  }
  return document;
}

/** The document cannot be split here: read it the careful way. */
class Unsplittable extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Where the splitter is between values. */
enum Expect {
  /** The `{` opening the document (after an optional byte order mark and whitespace). */
  Document,
  /** A key, or `}` of an empty object. */
  FirstKey,
  /** A key (after a comma). */
  Key,
  Colon,
  /** A member's value. */
  Value,
  /** `,` or `}` after a member. */
  MemberEnd,
  /** An element, or `]` of an empty array. */
  FirstElement,
  /** An element (after a comma). */
  Element,
  /** `,` or `]` after an element. */
  ElementEnd,
  /** Nothing but whitespace after the document. */
  End,
}

/** Runs that fail to parse before an element is read byte by byte instead. */
const RUN_ATTEMPTS = 3;

/**
 * Whether the bytes from `at` go on as after a whole element, within the chunk: whitespace and
 * `]`, or whitespace, `,`, whitespace and `{`, at `column` when it is known.
 */
function endsElement(chunk: Buffer, at: number, column: number | undefined): boolean {
  let index = at;
  while (index < chunk.length && isSpace(chunk[index]!)) index++;
  if (chunk[index] === 0x5d) return true;
  if (chunk[index] !== 0x2c) return false;
  index++;
  while (index < chunk.length && isSpace(chunk[index]!)) index++;
  return chunk[index] === 0x7b && (column === undefined || columnOf(chunk, index) === column);
}

/** The column of `at` when a line starts before it in the chunk (elements of an indented array share one). */
function columnOf(chunk: Buffer, at: number): number | undefined {
  const newline = chunk.lastIndexOf(0x0a, at);
  return newline === -1 ? undefined : at - newline;
}

/** The text of strictly valid UTF-8 bytes (undefined when they are not); ASCII, the usual case, decoded as such. */
function decoded(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString("latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : undefined;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Whether a byte can start a JSON value other than an array or object. */
function startsScalar(byte: number): boolean {
  return (
    byte === QUOTE ||
    byte === 0x2d || // -
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 || // t
    byte === 0x66 || // f
    byte === 0x6e // n
  );
}

async function splitRead(
  file: string,
  keep: KeepElement,
  chunkBytes: number,
): Promise<Record<string, unknown>> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch {
    // Unreadable: the careful path says why.
    throw new Unsplittable();
  }
  const splitter = new Splitter(keep);
  // One buffer, read into again and again: the splitter copies what it keeps of a chunk.
  const chunk = Buffer.allocUnsafe(chunkBytes);
  const read = async () => {
    try {
      return (await handle.read(chunk, 0, chunkBytes, null)).bytesRead;
    } catch {
      // A folder, or a file that went away: the careful path says why.
      throw new Unsplittable();
    }
  };
  try {
    let first = true;
    for (;;) {
      const bytesRead = await read();
      if (bytesRead === 0) break;
      let bytes = chunk.subarray(0, bytesRead);
      if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      first = false;
      splitter.feed(bytes);
    }
  } finally {
    await handle.close();
  }
  return splitter.finish();
}

/**
 * Splits a document fed in chunks into its top-level members and the elements of its top-level
 * arrays, parsing each with `JSON.parse`.
 */
class Splitter {
  readonly #document: Record<string, unknown> = {};
  readonly #keys = new Set<string>();
  #expect = Expect.Document;
  /** The key of the member being read. */
  #key = "";
  /** The array being filled, and the index of its next element. */
  #array: unknown[] = [];
  #index = 0;
  /** Where the search for the end of a run of elements starts, backwards, in this chunk. */
  #runFrom = 0;

  // The value being read: its bytes so far (from earlier chunks), nesting depth, string state.
  #parts: Buffer[] = [];
  #reading = false;
  #depth = 0;
  #scalar = false;
  #inString = false;
  /** Inside a string, right after a backslash: the next byte is escaped. */
  #escaped = false;

  constructor(private readonly keep: KeepElement) {}

  /** Reads on through `chunk`, which is only valid during the call (its bytes are copied to keep). */
  feed(chunk: Buffer): void {
    let index = 0;
    this.#runFrom = chunk.length - 1;
    // A value that started in an earlier chunk: read on to its end.
    if (this.#reading) {
      const end = this.#scan(chunk, 0);
      if (end === -1) {
        this.#parts.push(Buffer.from(chunk));
        return;
      }
      this.#complete(Buffer.concat([...this.#parts, chunk.subarray(0, end)]));
      index = end;
    }
    while (index < chunk.length) {
      const byte = chunk[index]!;
      if (isSpace(byte)) {
        index++;
        continue;
      }
      if (byte === 0x7b && (this.#expect === Expect.FirstElement || this.#expect === Expect.Element)) {
        const end = this.#elements(chunk, index);
        if (end !== -1) {
          index = end;
          continue;
        }
      }
      const start = this.#start(byte);
      if (start === "array") {
        index++;
        continue;
      }
      if (start === "value") {
        const end = this.#scan(chunk, index);
        if (end === -1) {
          this.#parts = [Buffer.from(chunk.subarray(index))];
          return;
        }
        this.#complete(chunk.subarray(index, end));
        index = end;
        continue;
      }
      this.#punctuation(byte);
      index++;
    }
  }

  /**
   * Reads the run of object elements that starts at `start` and ends in this chunk with one
   * `JSON.parse`, most of the work of a large array: the index just after the last of them, or -1
   * to read the next element byte by byte instead.
   *
   * The run ends at a `}` followed by `]`, or by `,` and the `{` of a next element: in an indented
   * document one at the column of the run's first element. Cut anywhere but after a whole element
   * (inside a string or a nested object), the run leaves a string or a brace of its own open and
   * does not parse: a run that parses is exactly a list of whole elements. A cut that did not
   * parse is not tried again for the rest of the chunk.
   */
  #elements(chunk: Buffer, start: number): number {
    const column = columnOf(chunk, start);
    let from = this.#runFrom;
    for (let attempt = 0; attempt < RUN_ATTEMPTS; ) {
      const close = chunk.lastIndexOf(0x7d, from);
      if (close <= start) return -1;
      from = close - 1;
      if (!endsElement(chunk, close + 1, column)) continue;
      attempt++;
      const text = decoded(chunk.subarray(start, close + 1));
      let values: unknown[] | undefined;
      if (text !== undefined) {
        try {
          values = JSON.parse(`[${text}]`) as unknown[];
        } catch {
          values = undefined;
        }
      }
      if (values === undefined) {
        this.#runFrom = from;
        continue;
      }
      for (const value of values) this.#element(value);
      this.#expect = Expect.ElementEnd;
      return close + 1;
    }
    this.#runFrom = from;
    return -1;
  }

  finish(): Record<string, unknown> {
    if (this.#expect !== Expect.End || this.#reading) throw new Unsplittable();
    return this.#document;
  }

  /**
   * What `byte` starts where it is: a top-level array (entered), a value or key (whose reading
   * begins), or neither (a separator, or a mistake).
   */
  #start(byte: number): "array" | "value" | undefined {
    const expect = this.#expect;
    const key = expect === Expect.FirstKey || expect === Expect.Key;
    const value = expect === Expect.Value || expect === Expect.FirstElement || expect === Expect.Element;
    if (key ? byte !== QUOTE : !value) return undefined;
    if (expect === Expect.Value && byte === 0x5b) {
      // A top-level array: its elements are read one at a time.
      this.#array = [];
      this.#index = 0;
      this.#expect = Expect.FirstElement;
      this.#set(this.#key, this.#array);
      return "array";
    }
    if (!(byte === 0x7b || byte === 0x5b || startsScalar(byte))) return undefined;
    this.#reading = true;
    this.#depth = 0;
    this.#scalar = byte !== 0x7b && byte !== 0x5b && byte !== QUOTE;
    this.#inString = false;
    this.#escaped = false;
    return "value";
  }

  /** The separators between values. */
  #punctuation(byte: number): void {
    switch (this.#expect) {
      case Expect.Document:
        if (byte !== 0x7b) break;
        this.#expect = Expect.FirstKey;
        return;
      case Expect.FirstKey:
      case Expect.MemberEnd:
        if (byte === 0x7d) {
          this.#expect = Expect.End;
          return;
        }
        if (byte === 0x2c && this.#expect === Expect.MemberEnd) {
          this.#expect = Expect.Key;
          return;
        }
        break;
      case Expect.Colon:
        if (byte !== 0x3a) break;
        this.#expect = Expect.Value;
        return;
      case Expect.FirstElement:
      case Expect.ElementEnd:
        if (byte === 0x5d) {
          this.#expect = Expect.MemberEnd;
          return;
        }
        if (byte === 0x2c && this.#expect === Expect.ElementEnd) {
          this.#expect = Expect.Element;
          return;
        }
        break;
    }
    // Anything else here (a trailing comma, a stray character): not for this reader to explain.
    throw new Unsplittable();
  }

  /**
   * Reads the value started at or before `start` on to its end: the index just after it in
   * `chunk`, or -1 when it goes on past the chunk. The hottest loop of the reading: its state is
   * kept in locals and written back when the chunk ends.
   */
  #scan(chunk: Buffer, start: number): number {
    const length = chunk.length;
    let index = start;
    if (this.#scalar) {
      for (; index < length; index++) {
        const byte = chunk[index]!;
        if (byte === 0x2c || byte === 0x7d || byte === 0x5d || isSpace(byte)) return index;
      }
      return -1;
    }
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    while (index < length) {
      const byte = chunk[index++]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (depth === 0) return index;
        }
      } else if (byte === QUOTE) {
        inString = true;
      } else if (byte === 0x7b || byte === 0x5b) {
        depth++;
      } else if ((byte === 0x7d || byte === 0x5d) && --depth === 0) {
        return index;
      }
    }
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return -1;
  }

  /** A whole value (or key) was read: parse it and put it in its place. */
  #complete(bytes: Buffer): void {
    this.#reading = false;
    this.#parts = [];
    const text = decoded(bytes);
    if (text === undefined) throw new Unsplittable();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Unsplittable();
    }
    switch (this.#expect) {
      case Expect.FirstKey:
      case Expect.Key:
        this.#key = value as string;
        this.#expect = Expect.Colon;
        return;
      case Expect.Value:
        this.#set(this.#key, value);
        this.#expect = Expect.MemberEnd;
        return;
      default:
        this.#element(value);
        this.#expect = Expect.ElementEnd;
    }
  }

  /** An element of the array being read: what `keep` keeps of it goes into the array. */
  #element(value: unknown): void {
    const kept = this.keep(this.#key, value, this.#index++);
    if (kept !== undefined) this.#array.push(kept);
  }

  /** Sets a member of the document; a key given twice is left to the careful path. */
  #set(key: string, value: unknown): void {
    if (this.#keys.has(key)) throw new Unsplittable();
    this.#keys.add(key);
    // As JSON.parse does, even for `__proto__`: an own property, not the prototype.
    Object.defineProperty(this.#document, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}
