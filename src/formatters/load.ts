/**
 * The formatters of one format, loaded when a run asks for them: every command starts without
 * loading the HTML, SARIF, JUnit and CSV renderers it does not write.
 */
import type { TextFormatName } from "./names.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

export async function loadFormatter(name: TextFormatName): Promise<Formatter> {
  switch (name) {
    case "text":
      return (await import("./text.js")).formatText;
    case "json":
      return (await import("./json.js")).formatJson;
    case "markdown":
      return (await import("./markdown.js")).formatMarkdown;
    case "markdown-short":
      return (await import("./markdown.js")).formatMarkdownShort;
    case "html":
      return (await import("./html.js")).formatHtml;
    case "csv":
      return (await import("./csv.js")).formatCsv;
    case "inventory-csv":
      return (await import("./csv.js")).formatInventoryCsv;
    case "sarif":
      return (await import("./sarif.js")).formatSarif;
    case "junit":
      return (await import("./junit.js")).formatJunit;
  }
}

/**
 * The formatter of one format as pieces to write one after another: rendered piece by piece where a
 * format's documents grow with the findings (JSON, HTML, Markdown, SARIF, JUnit, CSV), else its one string.
 */
export async function loadChunkedFormatter(name: TextFormatName): Promise<ChunkedFormatter> {
  switch (name) {
    case "json": {
      const { jsonReportChunks } = await import("./json-stream.js");
      return (report) => jsonReportChunks(report);
    }
    case "html":
      return (await import("./html.js")).htmlChunks;
    case "markdown":
      return (await import("./markdown.js")).markdownChunks;
    case "sarif":
      return (await import("./sarif.js")).sarifChunks;
    case "junit":
      return (await import("./junit.js")).junitChunks;
    case "csv":
      return (await import("./csv.js")).findingsCsvChunks;
    case "inventory-csv":
      return (await import("./csv.js")).inventoryCsvChunks;
    default: {
      const format = await loadFormatter(name);
      return (report, options) => [format(report, options)];
    }
  }
}
