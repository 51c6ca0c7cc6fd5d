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
import path from "node:path";
import { pipeline } from "node:stream";
import { CsvError, parse as parseCsv } from "csv-parse";
import { type ErrorDetail, LandlordError } from "../diagnostics.js";
import { assertReadableFile, notUtf8Error, parseYaml, readTextFile, utf8Decoder } from "../input/yaml.js";
import { FLAT_RESOURCE_FIELDS, RecordError, recordToResource } from "./normalize.js";
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

/**
 * Called on each resource as soon as its record is read, before the next one is parsed: a caller
 * that normalizes or trims resources there does it while they are young, which at a million
 * resources is much cheaper than a pass over the whole list afterwards.
 */
export type PrepareResource = (resource: Resource) => Resource;

/**
 * Reads one inventory file. Every resource gets `source` set to the file path (as given), then goes
 * through `prepare`, if given.
 */
export async function readInventoryFile(
  file: string,
  displayName = file,
  prepare?: PrepareResource,
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
  const finish = (resource: Resource): Resource => {
    resource.source ??= displayName;
    return prepare === undefined ? resource : prepare(resource);
  };
  let resources: Resource[];
  switch (format) {
    case "jsonl":
      resources = await readJsonl(file, problems, finish);
      break;
    case "csv":
      resources = await readCsv(file, problems, finish);
      break;
    default:
      resources = await readDocument(file, displayName, format, problems, finish);
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

async function readDocument(
  file: string,
  displayName: string,
  format: "json" | "yaml",
  problems: ProblemList,
  finish: PrepareResource,
): Promise<Resource[]> {
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
    throw new LandlordError("invalid-inventory", `${displayName} has no resources list`, {
      details: [
        {
          message: 'expected { "resources": [ ... ] } or a list of resources',
          location: { file: displayName, line: 1 },
        },
      ],
      hint: "See 'Inventory files' in the README for the format.",
    });
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

/** Bytes read at a time from a JSONL file: few, large chunks keep the per-chunk overhead negligible. */
const JSONL_CHUNK_BYTES = 64 * 1024;

async function readJsonl(file: string, problems: ProblemList, finish: PrepareResource): Promise<Resource[]> {
  await assertReadableFile(file);
  const resources: Resource[] = [];
  // Lines are split by hand rather than with readline: at a million lines its per-line events and
  // string handling cost as much as the JSON.parse of every line. Invalid UTF-8 is still an error
  // with its line, as for every other text input.
  let newlines = 0;
  let lineNumber = 0;
  const readLine = (line: string): void => {
    lineNumber++;
    // Nearly every line starts with "{": only the others need the blank-line check.
    if (line.charCodeAt(0) !== 123 && line.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      problems.add("not a valid JSON object", lineNumber);
      return;
    }
    try {
      resources.push(finish(recordToResource(record)));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      problems.add(error.message, lineNumber, error.field);
    }
  };
  // A line ends at "\n", "\r\n" or a lone "\r" (old Mac files), as readline splits them.
  const endLine = (line: string): void => {
    if (line.indexOf("\r") === -1) {
      readLine(line);
      return;
    }
    const parts = line.split("\r");
    const last = parts.length - 1;
    for (let index = 0; index < last; index++) readLine(parts[index]!);
    // A trailing "\r" (CRLF) ends the line; no empty line follows it.
    if (parts[last] !== "") readLine(parts[last]!);
  };
  // Bytes are decoded whole lines at a time: a newline byte never falls inside a multi-byte UTF-8
  // sequence, so everything up to a chunk's last newline decodes on its own. Validating with
  // isUtf8 and decoding with toString costs a fraction of a streaming TextDecoder.
  const decode = (bytes: Buffer): string => {
    if (!isUtf8(bytes)) throw notUtf8Error(file, newlines, bytes);
    return bytes.toString("utf8");
  };
  const splitLines = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      newlines++;
      endLine(text.slice(start, end));
      start = end + 1;
    }
  };
  /** Bytes of the line still being read, from earlier chunks. */
  let pending: Buffer[] = [];
  let first = true;
  for await (let bytes of createReadStream(file, {
    highWaterMark: JSONL_CHUNK_BYTES,
  }) as AsyncIterable<Buffer>) {
    if (first) {
      first = false;
      // A UTF-8 byte order mark is not part of the first record.
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline === -1) {
      pending.push(bytes);
      continue;
    }
    const complete = bytes.subarray(0, lastNewline + 1);
    splitLines(decode(pending.length === 0 ? complete : Buffer.concat([...pending, complete])));
    pending = lastNewline + 1 < bytes.length ? [bytes.subarray(lastNewline + 1)] : [];
  }
  if (pending.length > 0) {
    const text = decode(Buffer.concat(pending));
    const last = text.lastIndexOf("\n");
    if (last !== -1) splitLines(text.slice(0, last + 1));
    const rest = text.slice(last + 1);
    if (rest !== "") endLine(rest);
  }
  return resources;
}

/** Columns of the CSV format besides `tag:<key>`, lower-cased, mapped to the resource field. */
const CSV_COLUMNS = new Map<string, string>(
  FLAT_RESOURCE_FIELDS.map((field) => [field.toLowerCase(), field]),
);

async function readCsv(file: string, problems: ProblemList, finish: PrepareResource): Promise<Resource[]> {
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
    hint: "Fix the syntax at the position shown (a trailing comma, a missing quote or bracket).",
  });
}
