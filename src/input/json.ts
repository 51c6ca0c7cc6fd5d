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
    const offset = /at position (\d+)/.exec(message)?.[1];
    const position = offset === undefined ? lineAndColumnOfEnd(text) : lineAndColumn(text, Number(offset));
    throw new LandlordError(errorCode, `${file} is not valid JSON`, {
      details: [
        {
          message: message
            .replace(/ in JSON at position \d+.*$/s, "")
            .replace(/^Unexpected end of JSON input$/, "the document ends too early"),
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

function lineAndColumnOfEnd(text: string): { line: number; column: number } {
  return lineAndColumn(text, text.length);
}
