/** Pairing `--format` and `--output` flags, rendering a report and writing each output. */
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { LandlordError } from "../diagnostics.js";
import { loadChunkedFormatter, loadFormatter } from "../formatters/load.js";
import { FORMAT_BY_EXTENSION, FORMAT_NAMES, type FormatName, isFormatName } from "../formatters/names.js";
import type { Report } from "../report/types.js";
import { type CliContext, colorEnabled, type OutputStream } from "./context.js";
import { writeChunksToFile, writeWholeFile } from "./file-sink.js";

/** One requested output: a format, and a file or standard output. */
export interface OutputTarget {
  format: FormatName;
  /** Absolute path, or undefined for stdout. */
  file: string | undefined;
}

/**
 * Pairs `--format` and `--output` in order (SPEC 7): a format without an output goes to stdout;
 * an output without a format takes it from the file extension. No flags: `text` to stdout.
 */
export function pairOutputs(
  formats: readonly string[],
  outputs: readonly string[],
  cwd: string,
): OutputTarget[] {
  for (const format of formats) {
    if (!isFormatName(format)) {
      throw new LandlordError("unknown-format", `unknown format "${format}"`, {
        hint: `Formats: ${FORMAT_NAMES.join(", ")}.`,
      });
    }
  }
  const targets: OutputTarget[] = [];
  const count = Math.max(formats.length, outputs.length);
  for (let index = 0; index < count; index++) {
    const output = outputs[index];
    let format = formats[index] as FormatName | undefined;
    if (format === undefined && output !== undefined) {
      format = FORMAT_BY_EXTENSION[path.extname(output).toLowerCase()];
      if (format === undefined) {
        throw new LandlordError("unknown-format", `cannot tell the format of --output ${output}`, {
          hint: `Give --format before it, or use an extension: ${Object.keys(FORMAT_BY_EXTENSION).join(", ")}.`,
        });
      }
    }
    targets.push({
      format: format ?? "text",
      file: output === undefined || output === "-" ? undefined : path.resolve(cwd, output),
    });
  }
  if (targets.length === 0) targets.push({ format: "text", file: undefined });
  if (targets.some((target) => target.format === "dora" && target.file === undefined)) {
    throw new LandlordError(
      "dora-needs-folder",
      "--format dora writes several files and cannot go to standard output",
      {
        hint: "Give --output DIR after --format dora, e.g. `--format dora --output register/`.",
      },
    );
  }
  return targets;
}

/** Renders the report in every target format and writes it. */
export async function writeOutputs(
  report: Report,
  targets: readonly OutputTarget[],
  context: CliContext,
  options: { chromiumPath?: string } = {},
): Promise<void> {
  for (const target of targets) {
    const toStdout = target.file === undefined;
    if (target.format === "dora") {
      const { formatDoraFiles } = await import("../formatters/dora.js");
      for (const [name, text] of Object.entries(formatDoraFiles(report, target.file)))
        await writeFileCreatingFolders(path.join(target.file!, name), text);
      continue;
    }
    if (target.format === "pdf") {
      const { PDF_TABLE_ROWS, renderPdf } = await import("../formatters/pdf.js");
      const formatHtml = await loadFormatter("html");
      const content = await renderPdf(formatHtml(report, { color: false, tableRows: PDF_TABLE_ROWS }), {
        env: context.env,
        ...(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {}),
      });
      warnOnExtensionMismatch(target, context);
      if (toStdout) context.stdout.write(content);
      else await writeFileCreatingFolders(target.file!, content);
      continue;
    }
    if (target.format === "inventory-csv" && report.inventory === undefined) {
      throw new LandlordError("no-inventory", "this report carries no inventory to write as inventory-csv", {
        hint: "Run `landlord scan --format inventory-csv`: the scan includes the enriched inventory when that format is asked for.",
      });
    }
    // Written piece by piece: the reports of a large estate are hundreds of megabytes each.
    const chunks = (await loadChunkedFormatter(target.format))(report, {
      color: toStdout && colorEnabled(context, context.stdout),
      width: context.stdout.columns ?? 100,
    });
    warnOnExtensionMismatch(target, context);
    await writeChunks(context, target.file, chunks);
  }
}

/**
 * Writes a document given in pieces to `file`, creating missing folders, or without a file to
 * stdout, one piece after another: never the whole document as one string.
 */
export async function writeChunks(
  context: CliContext,
  file: string | undefined,
  chunks: Iterable<string>,
): Promise<void> {
  if (file === undefined) {
    for (const chunk of chunks) await writeWithBackpressure(context.stdout, chunk);
    return;
  }
  await streamFileCreatingFolders(file, async (sink) => {
    for (const chunk of chunks) await sink(chunk);
  });
}

function warnOnExtensionMismatch(target: OutputTarget, context: CliContext): void {
  const implied = target.file ? FORMAT_BY_EXTENSION[path.extname(target.file).toLowerCase()] : undefined;
  if (
    implied !== undefined &&
    implied !== target.format &&
    !(implied === "csv" && target.format === "inventory-csv") &&
    !(implied === "markdown" && target.format === "markdown-short")
  ) {
    // --format and --output pair by position; a mismatch is almost always a flag out of order.
    context.stderr.write(
      `landlord: warning: writing ${target.format} to ${target.file}, whose extension suggests ${implied} ` +
        "(--format and --output pair in order)\n",
    );
  }
}

/** Writes to a stream, waiting for `drain` when it is a Node stream whose buffer is full. */
async function writeWithBackpressure(stream: OutputStream, chunk: string): Promise<void> {
  const accepted = stream.write(chunk);
  const emitter = stream as Partial<NodeJS.EventEmitter>;
  if (accepted === false && typeof emitter.once === "function") {
    await once(emitter as NodeJS.EventEmitter, "drain");
  }
}

/** Streams a file through `produce`, creating missing parent folders, with a clear error when it cannot. */
function streamFileCreatingFolders(
  file: string,
  produce: (sink: (chunk: string) => Promise<void> | void) => Promise<void>,
): Promise<void> {
  return creatingFolders(file, () => writeChunksToFile(file, produce));
}

/** Writes a file, creating missing parent folders, with a clear error when it cannot. */
export function writeFileCreatingFolders(file: string, content: string | Uint8Array): Promise<void> {
  return creatingFolders(file, () => writeWholeFile(file, content));
}

/** Creates the folders `file` needs, then `write`s it; the file system's errors become `output-not-writable`. */
async function creatingFolders(file: string, write: () => Promise<void>): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await write();
  } catch (error) {
    // The file system's errors carry a code (EACCES, ENOSPC, ...); anything else came from
    // rendering the document and is not the file's fault.
    if (typeof (error as NodeJS.ErrnoException).code !== "string" || error instanceof LandlordError)
      throw error;
    throw new LandlordError("output-not-writable", `cannot write ${file}: ${(error as Error).message}`, {
      hint: "Check that the folder exists and is writable.",
    });
  }
}
