/**
 * Reading YAML (and JSON, which is YAML) documents with positions, so that every schema error can
 * name the file, line and column of the offending key.
 */
import { constants } from "node:buffer";
import { readFile, stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { type ErrorDetail, LandlordError, type SourceLocation } from "../diagnostics.js";

/** A parsed document that can say where a value came from. */
export interface PositionedDocument {
  file: string;
  value: unknown;
  /** Location of the node at `path` (or of its nearest existing ancestor). */
  locate(path: readonly PropertyKey[]): SourceLocation;
}

/** Largest number of alias expansions per document before parsing gives up ("billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parses YAML text. Syntax errors throw a {@link LandlordError} `invalid-yaml` naming each line and column.
 */
export function parseYaml(text: string, file: string, errorCode = "invalid-yaml"): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details: ErrorDetail[] = doc.errors.map((error) => {
      const pos = lineCounter.linePos(error.pos[0]);
      return { message: firstLine(error.message), location: { file, line: pos.line, column: pos.col } };
    });
    throw new LandlordError(errorCode, `${file} is not valid YAML`, {
      details,
      hint: "Fix the syntax at the line shown (indentation, a missing colon, an unclosed quote or bracket).",
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new LandlordError(errorCode, `${file} could not be read as YAML`, {
      details: [{ message: firstLine(String((error as Error).message)), location: { file } }],
      hint: "Excessive aliases are refused to keep memory bounded; expand the document or remove the aliases.",
    });
  }
  return {
    file,
    value,
    locate(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth) as unknown[], true);
        if (isNode(node) && node.range) {
          // For a map value, point at its key when we can: that is what the user reads.
          const keyOffset = depth > 0 ? keyRangeStart(doc, path.slice(0, depth)) : undefined;
          const pos = lineCounter.linePos(keyOffset ?? node.range[0]);
          return { file, line: pos.line, column: pos.col, field: formatPath(path) };
        }
      }
      return { file, field: formatPath(path) };
    },
  };
}

function keyRangeStart(doc: Document, path: readonly PropertyKey[]): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
  const last = path[path.length - 1];
  if (!parent || typeof parent !== "object" || !("items" in parent) || !Array.isArray(parent.items))
    return undefined;
  for (const item of parent.items as unknown[]) {
    if (item && typeof item === "object" && "key" in item) {
      const key = (item as { key: unknown }).key;
      if (isNode(key) && "value" in key && (key as { value: unknown }).value === last && key.range) {
        return key.range[0];
      }
    }
  }
  return undefined;
}

/** Reads and parses a YAML or JSON file; a missing or unreadable file is a `file-not-readable` error. */
export async function readYamlFile(
  file: string,
  errorCode = "invalid-yaml",
  displayName = file,
): Promise<PositionedDocument> {
  return parseYaml(await readTextFile(file), displayName, errorCode);
}

/**
 * Reads a UTF-8 text file with a clear error when it is missing, unreadable, not UTF-8, or too large
 * to be one string.
 */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  // Every character takes at least one byte: only a file this large can fail to fit in a string.
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    try {
      return decodeUtf8(bytes, file);
    } catch (error) {
      if (error instanceof LandlordError) throw error;
      throw new LandlordError("file-too-large", `${file} is too large to read as one document`, {
        details: [
          {
            message: `${Math.round(bytes.length / 2 ** 20)} MiB, more than the ${Math.floor(constants.MAX_STRING_LENGTH / 2 ** 20)} MiB of text Node can hold as one string`,
            location: { file },
          },
        ],
        hint: "Write large inventories as JSONL (one resource a line, read as a stream) or as JSON with a top-level `resources` list, which landlord reads by parts: `landlord collect --output inventory.jsonl`.",
      });
    }
  }
  return decodeUtf8(bytes, file);
}

/**
 * Decodes UTF-8 strictly. Invalid bytes would otherwise become U+FFFD silently, changing resource
 * ids and tag values without anyone noticing; a byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, linesBefore = 0): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8(file, linesBefore + lineOfFirstInvalidByte(bytes));
  }
}

/** A transform from bytes to strictly decoded UTF-8 text, for files read as streams (JSONL, CSV). */
export function utf8Decoder(file: string): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0;
  return new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lines++;
        callback(null, text);
      } catch {
        callback(notUtf8(file, lines + lineOfFirstInvalidByte(chunk)));
      }
    },
    flush(callback) {
      try {
        callback(null, decoder.decode());
      } catch {
        callback(notUtf8(file, lines + 1));
      }
    },
  });
}

/**
 * The error {@link utf8Decoder} raises, for readers that decode by hand: `chunk` failed to decode
 * after `linesBefore` line breaks (omit `chunk` when the text ended inside a character).
 */
export function notUtf8Error(file: string, linesBefore: number, chunk?: Uint8Array): LandlordError {
  return notUtf8(file, linesBefore + (chunk === undefined ? 1 : lineOfFirstInvalidByte(chunk)));
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  const lossy = new TextDecoder("utf-8").decode(bytes);
  const at = lossy.indexOf("\uFFFD");
  return lossy.slice(0, at === -1 ? lossy.length : at).split("\n").length;
}

function notUtf8(file: string, line: number): LandlordError {
  return new LandlordError("invalid-encoding", `${file} is not UTF-8 text`, {
    details: [{ message: "invalid UTF-8 byte sequence", location: { file, line } }],
    hint: "Save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`).",
  });
}

/** Checks that `file` exists and is a file, with the same clear error as {@link readTextFile}. */
export async function assertReadableFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
  } catch (error) {
    throw unreadable(file, error);
  }
}

function unreadable(file: string, error: unknown): LandlordError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "is a folder, not a file"
        : (error as Error).message;
  return new LandlordError("file-not-readable", `cannot read ${file}: ${reason}`, {
    details: [{ message: reason, location: { file } }],
    hint:
      code === "ENOENT" ? "Check the path; relative paths resolve against the profile's folder." : undefined,
  });
}

/**
 * Validates a parsed document against a zod schema. Every issue becomes one detail with the file,
 * line, column and field path; the error's code is `errorCode`.
 */
export function validateDocument<S extends z.ZodType>(
  doc: PositionedDocument,
  schema: S,
  errorCode: string,
  what: string,
): z.output<S> {
  const result = schema.safeParse(doc.value);
  if (result.success) return result.data;
  throw new LandlordError(errorCode, `${doc.file} is not a valid ${what}`, {
    details: result.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({
            message: `${formatPath(issue.path) || "top level"}: unknown key "${key}"`,
            location: doc.locate([...issue.path, key]),
            hint: `Allowed here: ${allowedKeys(schema, issue.path) ?? "see the reference"}.`,
          }))
        : [{ message: describeIssue(issue), location: doc.locate(issue.path) }],
    ),
    hint: `See the ${what} reference in the README.`,
  });
}

/** One readable sentence for a zod issue, naming the field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = formatPath(issue.path);
  const where = field ? `${field}: ` : "";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => `"${key}"`).join(", ");
    return `${where}unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${where}required, expected ${issue.expected}`;
  }
  return `${where}${issue.message}`;
}

/** `sources[2].aws.regions` from `["sources", 2, "aws", "regions"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** The keys an object schema allows at `path`, for "unknown key" hints; undefined when unclear. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let current: unknown = schema;
  for (const part of path) {
    current = unwrap(current);
    if (typeof part === "number") {
      const def = (current as { def?: { type?: string; element?: unknown } }).def;
      if (def?.type !== "array") return undefined;
      current = def.element;
      continue;
    }
    const shape = (unwrap(current) as { shape?: Record<string, unknown> }).shape;
    if (!shape || !(String(part) in shape)) return undefined;
    current = shape[String(part)];
  }
  const shape = (unwrap(current) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape).join(", ") : undefined;
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown; in?: unknown } } | undefined;
  for (let depth = 0; depth < 10 && current?.def; depth++) {
    const { type } = current.def;
    if (type === "optional" || type === "default" || type === "nullable" || type === "prefault") {
      current = current.def.innerType as typeof current;
    } else if (type === "pipe") {
      current = current.def.in as typeof current;
    } else break;
  }
  return current;
}
