/**
 * Escaping for values that come from an inventory (names, tags, ids, messages built from them):
 * none of them may run as markup in HTML, become a link or break a table in Markdown, or turn into
 * a formula in a spreadsheet.
 */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Control characters other than tab, line feed and carriage return, and the bidirectional overrides
 * that make text read differently from how it is stored: never meaningful in a report.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Shows control characters as `\xNN` (a report opened with `cat` must not drive the terminal). */
function showControls(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u{${code.toString(16)}}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return showControls(String(value ?? "")).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * Escapes text for inline Markdown, including table cells: Markdown syntax characters (and `@`,
 * which would mention people in a pull-request comment) get a backslash, HTML angle brackets become
 * entities, bare URLs stop being links, and line breaks become spaces so a value cannot end a
 * table row.
 */
export function escapeMarkdown(value: unknown): string {
  return (
    showControls(String(value ?? ""))
      .replace(/[\r\n]+/g, " ")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/[\\`*_{}[\]()!|~@]/g, (char) => `\\${char}`)
      // Bare URLs become links on GitHub; a backslash before the dot or slash stops that.
      .replace(/:\/\//g, ":\\/\\/")
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}\\.`)
  );
}

/** Characters that make a spreadsheet read a cell as a formula (or as a DDE command). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a CSV cell against formula injection: a value starting with `=`, `+`, `-`, `@`, tab
 * or carriage return gets a leading apostrophe, which spreadsheets show as text.
 */
export function neutralizeCsvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Makes a value safe to print on a terminal: control characters (escape sequences that could
 * recolour, move the cursor or retitle the window) are shown as `\xNN` instead of interpreted.
 */
export function sanitizeTerminal(value: unknown): string {
  return String(value ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u{${code.toString(16)}}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}
