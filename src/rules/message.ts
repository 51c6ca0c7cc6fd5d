/** Message templates: `{name}` and `{name:percent}` placeholders. */
import type { Placeholder } from "./types.js";

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(?::(percent))?\}/g;

/** Splits a template into literal text and placeholders. */
export function parseTemplate(template: string): (string | Placeholder)[] {
  const parts: (string | Placeholder)[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push({ name: match[1]!, format: match[2] === "percent" ? "percent" : "plain" });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Renders a template with the given values (already JSON-safe). */
export function renderTemplate(
  parts: readonly (string | Placeholder)[],
  values: Record<string, unknown>,
): string {
  // Joined, not concatenated with +=: a finding's message lives until the report is written, and
  // += leaves it as a tree of string pieces, about half as large again as the flat string join
  // builds (and slower to build).
  const pieces: string[] = new Array(parts.length);
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    pieces[index] = typeof part === "string" ? part : formatValue(values[part.name], part.format);
  }
  return pieces.join("");
}

function formatValue(value: unknown, format: Placeholder["format"]): string {
  if (value === undefined || value === null || value === "") return "(none)";
  if (typeof value === "number") {
    if (format === "percent") return `${Math.round(value * 1000) / 10}%`;
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  }
  if (Array.isArray(value))
    return value.length === 0 ? "(none)" : value.map((item) => formatValue(item, format)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
