/**
 * Reading JSON documents (saved reports, Terraform plans) with errors that name the line and column,
 * which `JSON.parse` only gives as a character offset.
 */
import { LandlordError } from "../diagnostics.js";

/**
 * Parses JSON text. A syntax error throws a {@link LandlordError} with `errorCode`, naming the file,
 * line and column of the problem.
 */
export function parseJson(text: string, file: string, errorCode: string, hint?: string): unknown {
  try {
    // A UTF-8 byte order mark is legal in files written by some editors and tools, not in JSON.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = (error as Error).message;
    // Node names a position for some errors only (and its messages differ across versions): find it ourselves.
    const position = lineAndColumn(text, syntaxErrorOffset(text));
    throw new LandlordError(errorCode, `${file} is not valid JSON`, {
      details: [
        {
          message: describeSyntaxError(message),
          location: { file, line: position.line, column: position.column },
        },
      ],
      hint,
    });
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function describeSyntaxError(message: string): string {
  if (/Unexpected end of JSON input/.test(message))
    return "the document ends too early (unclosed bracket or string?)";
  const token = /^Unexpected (token '?[^',]*'?|non-whitespace character|string|number)/.exec(message)?.[1];
  return token ? `unexpected ${token}` : message.replace(/ in JSON at position \d+.*$/s, "");
}

/**
 * Offset of the first syntax error in text that `JSON.parse` rejected: a small recursive-descent
 * scan over the JSON grammar, used only on the error path.
 */
export function syntaxErrorOffset(text: string): number {
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (): never => {
    throw index;
  };
  const skipSpace = (): void => {
    while (index < text.length && " \t\n\r".includes(text[index]!)) index++;
  };
  const literal = (word: string): void => {
    for (const char of word) {
      if (text[index] !== char) fail();
      index++;
    }
  };
  const string = (): void => {
    index++;
    while (index < text.length) {
      const char = text[index]!;
      if (char === '"') {
        index++;
        return;
      }
      if (char < " ") fail();
      if (char === "\\") {
        index++;
        const escaped = text[index];
        if (escaped === "u") {
          for (let digit = 1; digit <= 4; digit++) {
            if (!/[0-9a-fA-F]/.test(text[index + digit] ?? "")) {
              index += digit;
              fail();
            }
          }
          index += 4;
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) fail();
      }
      index++;
    }
    fail();
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === "" || match[0] === "-") fail();
    index += match![0].length;
  };
  const value = (): void => {
    skipSpace();
    const char = text[index];
    if (char === "{") {
      index++;
      skipSpace();
      if (text[index] === "}") {
        index++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[index] !== '"') fail();
        string();
        skipSpace();
        if (text[index] !== ":") fail();
        index++;
        value();
        skipSpace();
        if (text[index] === ",") {
          index++;
          continue;
        }
        if (text[index] === "}") {
          index++;
          return;
        }
        fail();
      }
    }
    if (char === "[") {
      index++;
      skipSpace();
      if (text[index] === "]") {
        index++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[index] === ",") {
          index++;
          continue;
        }
        if (text[index] === "]") {
          index++;
          return;
        }
        fail();
      }
    }
    if (char === '"') string();
    else if (char === "t") literal("true");
    else if (char === "f") literal("false");
    else if (char === "n") literal("null");
    else if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) number();
    else fail();
  };
  try {
    value();
    skipSpace();
    return Math.min(index, text.length);
  } catch (offset) {
    if (typeof offset === "number") return Math.min(offset, text.length);
    throw offset;
  }
}
