/**
 * Readers for the canonical inventory formats of SPEC 2.2: JSON or YAML `{ resources: [...] }`
 * (a bare array is accepted too), JSONL with one resource per line (read as a stream, for
 * inventories too large to hold as one document), and CSV with `tag:<key>` columns.
 *
 * A file that cannot be parsed, or a record that cannot be used, stops the scan with a
 * {@link LandlordError} listing every problem (up to a limit) with its file and line: an inventory
 * that silently lost records would make the report lie.
 */
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream";
import { Worker } from "node:worker_threads";
import { CsvError, parse as parseCsv } from "csv-parse";
import { type ErrorDetail, LandlordError } from "../diagnostics.js";
import { readJsonMembers } from "../input/json-members.js";
import { assertReadableFile, notUtf8Error, parseYaml, readTextFile, utf8Decoder } from "../input/yaml.js";
import { ResourceBatchReader } from "./columns.js";
import { forEachLine, jsonlUnits, lineStartNear } from "./jsonl.js";
import {
  FLAT_RESOURCE_FIELDS,
  type Normalization,
  normalizeResource,
  RecordError,
  recordToResource,
} from "./normalize.js";
import type { ReadPosition, ReadRangeMessage, ReadRangeTask } from "./read-worker.js";
import type { Resource } from "./types.js";

export const INVENTORY_FORMATS = ["json", "yaml", "jsonl", "csv"] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Most record problems listed in one error before the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;

/** The inventory format implied by a file name, or undefined. */
export function inventoryFormatOf(file: string): InventoryFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  switch (extension) {
    case ".json":
      return "json";
    case ".yaml":
    case ".yml":
      return "yaml";
    case ".jsonl":
    case ".ndjson":
      return "jsonl";
    case ".csv":
      return "csv";
    default:
      return undefined;
  }
}

/** Receives a resource as it is read; `hash`, when given, is its id's `idHash` (normalize.ts). */
export type AcceptResource = (resource: Resource, hash?: number) => void;

/** How {@link readInventoryFile} hands over what it reads. */
export interface ReadOptions {
  /**
   * Applied to each resource as soon as its record is read, while it is young in the heap: at a
   * million resources much cheaper than a pass over the whole list afterwards.
   */
  normalization?: Normalization;
  /**
   * Receives each resource once normalized, in the file's order, on the calling thread, with its
   * id's hash when a reader thread computed it.
   */
  accept?: AcceptResource;
  /**
   * JSONL files of at least this many bytes are read on two threads: a reader thread parses and
   * normalizes the second part while this one reads the first. `Infinity` reads every file here.
   * @default 32 MiB
   */
  parallelMinBytes?: number;
  /**
   * JSON files of at least this many bytes are read by parts, a resource at a time, instead of as
   * one string. @default 64 MiB
   */
  jsonByPartsMinBytes?: number;
}

/** What happens to each resource read on the calling thread. */
type Finish = (resource: Resource) => Resource;

/**
 * Reads one inventory file. Every resource gets `source` set to the file path (as given), is
 * normalized and goes to `accept`, as {@link ReadOptions} asks; all are returned, in the file's order.
 */
export async function readInventoryFile(
  file: string,
  displayName = file,
  options: ReadOptions = {},
): Promise<Resource[]> {
  const format = inventoryFormatOf(file);
  if (format === undefined) {
    throw new LandlordError("unknown-inventory-format", `cannot tell the format of ${displayName}`, {
      details: [
        {
          message: "expected a .json, .yaml, .yml, .jsonl, .ndjson or .csv file",
          location: { file: displayName },
        },
      ],
      hint: "Rename the file with the extension of its format.",
    });
  }
  const problems = new ProblemList(displayName);
  const { normalization, accept } = options;
  const finish: Finish = (resource) => {
    resource.source ??= displayName;
    const normalized = normalization === undefined ? resource : normalizeResource(resource, normalization);
    accept?.(normalized);
    return normalized;
  };
  let resources: Resource[];
  switch (format) {
    case "jsonl":
      resources = await readJsonl(file, displayName, problems, finish, options);
      break;
    case "csv":
      resources = await readCsv(file, problems, finish);
      break;
    default:
      resources = await readDocument(file, displayName, format, problems, finish, options);
  }
  problems.throwIfAny();
  return resources;
}

class ProblemList {
  readonly details: ErrorDetail[] = [];
  count = 0;
  constructor(readonly file: string) {}

  add(message: string, line?: number, field?: string): void {
    this.count++;
    if (this.details.length >= MAX_LISTED_PROBLEMS) return;
    const location: ErrorDetail["location"] = { file: this.file };
    if (line !== undefined) location.line = line;
    if (field !== undefined) location.field = field;
    this.details.push({ message, location });
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count - this.details.length;
    if (more > 0) this.details.push({ message: `and ${more} more problem${more === 1 ? "" : "s"}` });
    throw new LandlordError(
      "invalid-inventory",
      `${this.file} has ${this.count} invalid record${this.count === 1 ? "" : "s"}`,
      {
        details: this.details,
        hint: "Each resource needs a string `id` and `provider`; see 'Inventory files' in the README.",
      },
    );
  }
}

/**
 * JSON inventories at least this large are read by parts (see {@link readJsonByParts}); smaller ones
 * whole, which also lets a record's problem name its line.
 */
const JSON_BY_PARTS_MIN_BYTES = 64 * 1024 * 1024;

async function readDocument(
  file: string,
  displayName: string,
  format: "json" | "yaml",
  problems: ProblemList,
  finish: Finish,
  options: ReadOptions,
): Promise<Resource[]> {
  if (format === "json") {
    const size = await stat(file).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size >= (options.jsonByPartsMinBytes ?? JSON_BY_PARTS_MIN_BYTES)) {
      return readJsonByParts(file, displayName, problems, finish);
    }
  }
  const text = await readTextFile(file);
  let value: unknown;
  let locate: ((path: readonly PropertyKey[]) => number | undefined) | undefined;
  if (format === "json") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw jsonSyntaxError(error as Error, text, displayName);
    }
  } else {
    const doc = parseYaml(text, displayName, "invalid-yaml");
    value = doc.value;
    locate = (p) => doc.locate(p).line;
  }
  const list = Array.isArray(value)
    ? value
    : value !== null &&
        typeof value === "object" &&
        Array.isArray((value as { resources?: unknown }).resources)
      ? ((value as { resources: unknown[] }).resources as unknown[])
      : undefined;
  if (list === undefined) {
    throw noResourcesList(displayName);
  }
  const arrayPath: PropertyKey[] = Array.isArray(value) ? [] : ["resources"];
  const resources: Resource[] = [];
  const failed: { index: number; error: RecordError }[] = [];
  list.forEach((record, index) => {
    try {
      resources.push(finish(recordToResource(record)));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      failed.push({ index, error });
    }
  });
  if (failed.length > 0) {
    // Positions cost a full YAML parse (many times the text in memory): only for modest files.
    if (locate === undefined && text.length < 8 * 1024 * 1024) {
      // Only on failure: re-read with positions so each problem names its line.
      const doc = parseYaml(text, displayName, "invalid-json");
      locate = (p) => doc.locate(p).line;
    }
    for (const { index, error } of failed) {
      const recordPath = [...arrayPath, index];
      const fieldPath = error.field === undefined ? recordPath : [...recordPath, ...error.field.split(".")];
      const field = fieldPath
        .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
        .join("");
      problems.add(error.message, locate?.(fieldPath), field.replace(/^\./, ""));
    }
  }
  return resources;
}

/**
 * A large JSON inventory, `{ "resources": [...] }`, read by parts: each resource is parsed on its own
 * and kept only as the resource it becomes. Read whole, the document of a million resources that
 * `landlord collect --output inventory.json` writes (690 MB) is longer than a string can be. A
 * document that cannot be split (a bare list, a syntax error) is read whole, with the error that
 * reading gives.
 */
async function readJsonByParts(
  file: string,
  displayName: string,
  problems: ProblemList,
  finish: Finish,
): Promise<Resource[]> {
  const resources: Resource[] = [];
  const accept = (record: unknown, index: number, inList: boolean): void => {
    try {
      resources.push(finish(recordToResource(record)));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      const at = inList ? `[${index}]` : `resources[${index}]`;
      problems.add(error.message, undefined, error.field === undefined ? at : `${at}.${error.field}`);
    }
  };
  const document = await readJsonMembers(file, {
    errorCode: "invalid-json",
    hint: JSON_SYNTAX_HINT,
    displayName,
    keep: (key, element, index) => {
      if (key !== "resources") return element;
      accept(element, index, false);
      return undefined;
    },
  });
  if (Array.isArray(document)) {
    for (let index = 0; index < document.length; index++) accept(document[index], index, true);
  } else if (
    document === null ||
    typeof document !== "object" ||
    !Array.isArray((document as { resources?: unknown }).resources)
  ) {
    throw noResourcesList(displayName);
  }
  return resources;
}

/**
 * Bytes read at a time from a JSONL file, on either thread; on the reader thread each unit of whole
 * lines becomes one message. The main thread read its part of the 1M benchmark's file 0.15 s faster
 * with 1 MiB than with 64 KiB: it waited less often for the next read.
 */
const JSONL_CHUNK_BYTES = 1024 * 1024;
/** JSONL files at least this large are read on two threads (see {@link ReadOptions}). */
export const DEFAULT_PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/**
 * The share of a JSONL file the main thread reads itself when a reader thread reads the rest, so
 * that both finish together. The reader thread also encodes what it reads into columns; the main
 * thread also takes in the reader thread's batches as they arrive and merges every resource. At 1M
 * resources, 0.52 left the reader thread done half a second before the main thread, 0.44 the
 * main thread 0.4 s before the reader thread.
 */
const MAIN_THREAD_SHARE = 0.48;

async function readJsonl(
  file: string,
  displayName: string,
  problems: ProblemList,
  finish: Finish,
  options: ReadOptions,
): Promise<Resource[]> {
  await assertReadableFile(file);
  const resources: Resource[] = [];
  // Lines are split by hand rather than with readline: at a million lines its per-line events and
  // string handling cost as much as the JSON.parse of every line. Invalid UTF-8 is still an error
  // with its line, as for every other text input.
  let lines = 0;
  let newlines = 0;
  const readLine = (line: string): void => {
    lines++;
    // Nearly every line starts with "{": only the others need the blank-line check.
    if (line.charCodeAt(0) !== 123 && line.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      problems.add("not a valid JSON object", lines);
      return;
    }
    try {
      resources.push(finish(recordToResource(record)));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      problems.add(error.message, lines, error.field);
    }
  };
  // Bytes are decoded whole lines at a time: a newline byte never falls inside a multi-byte UTF-8
  // sequence, so every unit decodes on its own. Validating with isUtf8 and decoding with toString
  // costs a fraction of a streaming TextDecoder.
  const readUnits = async (start: number, end?: number): Promise<void> => {
    for await (const { bytes } of jsonlUnits(file, start, end, JSONL_CHUNK_BYTES)) {
      if (!isUtf8(bytes)) throw notUtf8Error(file, newlines, bytes);
      newlines += forEachLine(bytes.toString("utf8"), readLine);
    }
  };

  const split = await parallelSplit(file, options);
  if (split === undefined) {
    await readUnits(0);
    return resources;
  }
  // A reader thread reads the file from `split` while this one reads up to it; then its records
  // join, in the file's order. Where it stopped at a problem, this thread reads on from there.
  const thread = new ReaderThread({
    file,
    displayName,
    start: split,
    chunkBytes: JSONL_CHUNK_BYTES,
    ...(options.normalization ? { normalization: options.normalization } : {}),
  });
  try {
    await readUnits(0, split);
    const stopped = await thread.drain((resource, hash) => {
      resources.push(resource);
      options.accept?.(resource, hash);
    });
    if (stopped !== undefined) {
      lines += stopped.lines;
      newlines += stopped.newlines;
      await readUnits(stopped.offset);
    }
  } finally {
    await thread.close();
  }
  return resources;
}

/** Where to split a JSONL file between this thread and a reader thread, or undefined to read it here. */
async function parallelSplit(file: string, options: ReadOptions): Promise<number | undefined> {
  const minBytes = options.parallelMinBytes ?? DEFAULT_PARALLEL_MIN_BYTES;
  if (minBytes === Number.POSITIVE_INFINITY || availableParallelism() < 2) return undefined;
  const { size } = await stat(file);
  if (size < minBytes) return undefined;
  const split = await lineStartNear(file, Math.floor(size * MAIN_THREAD_SHARE), size);
  return split < size ? split : undefined;
}

/** A reader thread reading a JSONL file from a line's start to its end (see read-worker.ts). */
class ReaderThread {
  readonly #worker: Worker;
  readonly #start: number;
  #messages: ReadRangeMessage[] = [];
  #failed = false;
  #wake: (() => void) | undefined;

  constructor(task: ReadRangeTask) {
    this.#start = task.start;
    this.#worker = startReadWorker(task);
    this.#worker.on("message", (message: ReadRangeMessage) => {
      this.#messages.push(message);
      this.#wake?.();
    });
    // A thread that fails (it cannot start, or the file went away) counts as stopped: this thread
    // reads on from its last batch and meets the problem itself.
    const fail = (): void => {
      this.#failed = true;
      this.#wake?.();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", fail);
  }

  /**
   * Hands each resource the thread read to `onResource`, in the file's order. Resolves when the
   * thread is done: undefined when it read to the end, else where to read on from.
   */
  async drain(onResource: (resource: Resource, hash: number) => void): Promise<ReadPosition | undefined> {
    const batches = new ResourceBatchReader();
    let after: ReadPosition = { offset: this.#start, lines: 0, newlines: 0 };
    for (;;) {
      const messages = this.#messages;
      this.#messages = [];
      for (const message of messages) {
        if (message.kind === "done") return undefined;
        if (message.kind === "stopped") return after;
        batches.read(message.batch, onResource);
        after = message.after;
      }
      if (this.#failed && this.#messages.length === 0) return after;
      if (this.#messages.length === 0) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
      }
    }
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** Columns of the CSV format besides `tag:<key>`, lower-cased, mapped to the resource field. */
const CSV_COLUMNS = new Map<string, string>(
  FLAT_RESOURCE_FIELDS.map((field) => [field.toLowerCase(), field]),
);

async function readCsv(file: string, problems: ProblemList, finish: Finish): Promise<Resource[]> {
  await assertReadableFile(file);
  const parser = pipeline(
    createReadStream(file),
    utf8Decoder(file),
    parseCsv({ bom: true, columns: false, skip_empty_lines: true, relax_column_count: false, info: true }),
    () => {},
  );
  const resources: Resource[] = [];
  let header: string[] | undefined;
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = row;
      if (header === undefined) {
        header = record.map((column) => column.trim());
        const unknown = header.filter(
          (column) => !column.startsWith("tag:") && !CSV_COLUMNS.has(column.toLowerCase()),
        );
        for (const column of unknown)
          problems.add(`unknown column "${column}" (tags go in tag:<key> columns)`, info.lines);
        if (!header.includes("id") || !header.includes("provider")) {
          problems.add("the header must include id and provider columns", info.lines);
        }
        if (problems.count > 0) return resources;
        continue;
      }
      const raw: Record<string, unknown> = { tags: {} };
      header.forEach((column, index) => {
        const cell = record[index] ?? "";
        if (column.startsWith("tag:")) {
          if (cell !== "") (raw["tags"] as Record<string, string>)[column.slice(4)] = cell;
        } else if (cell !== "") {
          raw[CSV_COLUMNS.get(column.toLowerCase())!] = cell;
        }
      });
      try {
        resources.push(finish(recordToResource(raw)));
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        problems.add(error.message, info.lines, error.field);
      }
    }
  } catch (error) {
    // csv-parse's codes do not all start with CSV_ (INVALID_OPENING_QUOTE): any of its errors is the file's fault.
    const csvError = error as Error & { code?: string; lines?: number };
    if (
      error instanceof CsvError ||
      (typeof csvError.code === "string" && csvError.code.startsWith("CSV_"))
    ) {
      problems.add(
        csvError.message.replace(/^Invalid Record Length: /, "").replace(/\s+/g, " "),
        csvError.lines,
      );
      return resources;
    }
    throw error;
  }
  return resources;
}

/** What to do about a JSON inventory with a syntax error. */
const JSON_SYNTAX_HINT =
  "Fix the syntax at the position shown (a trailing comma, a missing quote or bracket).";

/** A JSON or YAML inventory without a `resources` list (or a bare list) at its top. */
function noResourcesList(displayName: string): LandlordError {
  return new LandlordError("invalid-inventory", `${displayName} has no resources list`, {
    details: [
      {
        message: 'expected { "resources": [ ... ] } or a list of resources',
        location: { file: displayName, line: 1 },
      },
    ],
    hint: "See 'Inventory files' in the README for the format.",
  });
}

/** A JSON syntax error with the line and column V8 reports as a character position. */
export function jsonSyntaxError(error: Error, text: string, file: string): LandlordError {
  const position = /at position (\d+)/.exec(error.message);
  const location: ErrorDetail["location"] = { file };
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    location.line = before.split("\n").length;
    location.column = offset - before.lastIndexOf("\n");
  }
  const message = error.message
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/^Unexpected end of JSON input$/, "unexpected end of the document");
  return new LandlordError("invalid-json", `${file} is not valid JSON`, {
    details: [{ message, location }],
    hint: JSON_SYNTAX_HINT,
  });
}

/**
 * Starts the reader thread. From the compiled package it runs read-worker.js; from the TypeScript
 * sources (tests and benchmarks run under tsx or vitest) it registers tsx's loader first.
 */
function startReadWorker(task: ReadRangeTask): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./read-worker.js", here), { workerData: task });
  const source = JSON.stringify(new URL("./read-worker.ts", here).href);
  return new Worker(`import { register } from "tsx/esm/api"; register(); await import(${source});`, {
    eval: true,
    workerData: task,
  });
}
