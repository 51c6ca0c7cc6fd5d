/** Every output format, by the name `--format` takes. */
import { formatJson } from "./json.js";
import { formatText } from "./text.js";
import type { Formatter } from "./types.js";

export const FORMAT_NAMES = ["text", "json"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export const FORMATTERS = {
  text: formatText,
  json: formatJson,
} as const satisfies Record<FormatName, Formatter>;

/** File extensions that imply a format when `--output` is given without `--format`. */
export const FORMAT_BY_EXTENSION: Record<string, FormatName> = {
  ".txt": "text",
  ".json": "json",
};

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
