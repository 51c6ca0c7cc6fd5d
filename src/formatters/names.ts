/**
 * The names of the output formats and what they imply, without the formatters themselves: the CLI
 * reads these on every run and loads only the formatter a run asks for (`load.ts`).
 */

/** Formats rendered to text by a {@link Formatter}. */
export const TEXT_FORMAT_NAMES = [
  "text",
  "json",
  "markdown",
  "markdown-short",
  "html",
  "csv",
  "inventory-csv",
  "sarif",
  "junit",
] as const;
/**
 * Every format `--format` takes; `pdf` is rendered from the HTML by Chromium, `dora` writes a
 * folder of register templates.
 */
export const FORMAT_NAMES = [...TEXT_FORMAT_NAMES, "pdf", "dora"] as const;
export type TextFormatName = (typeof TEXT_FORMAT_NAMES)[number];
export type FormatName = (typeof FORMAT_NAMES)[number];

/** File extensions that imply a format when `--output` is given without `--format`. */
export const FORMAT_BY_EXTENSION: Record<string, FormatName> = {
  ".txt": "text",
  ".json": "json",
  ".md": "markdown",
  ".html": "html",
  ".htm": "html",
  ".csv": "csv",
  ".pdf": "pdf",
  ".sarif": "sarif",
  ".xml": "junit",
};

/** Formats that need the enriched inventory in the report (`report.inventory`). */
export const INVENTORY_FORMATS: ReadonlySet<FormatName> = new Set(["inventory-csv"]);

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
