/**
 * The formatter of one format, loaded when a run asks for it: every command starts without
 * loading the HTML, SARIF, JUnit and CSV renderers it does not write.
 */
import type { TextFormatName } from "./names.js";
import type { Formatter } from "./types.js";

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
