/** Every output format, by the name `--format` takes. */
import { formatCsv, formatInventoryCsv } from "./csv.js";
import { formatHtml } from "./html.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown, formatMarkdownShort } from "./markdown.js";
import type { TextFormatName } from "./names.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { Formatter } from "./types.js";

export {
  FORMAT_BY_EXTENSION,
  FORMAT_NAMES,
  type FormatName,
  INVENTORY_FORMATS,
  isFormatName,
  TEXT_FORMAT_NAMES,
  type TextFormatName,
} from "./names.js";

export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  "markdown-short": formatMarkdownShort,
  html: formatHtml,
  csv: formatCsv,
  "inventory-csv": formatInventoryCsv,
  sarif: formatSarif,
  junit: formatJunit,
} as const satisfies Record<TextFormatName, Formatter>;
