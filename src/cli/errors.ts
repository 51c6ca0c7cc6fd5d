/** How the CLI prints errors: known ones as readable lines, unexpected ones with a stack. */
import { formatLocation, LandlordError } from "../diagnostics.js";
import { redactSecrets } from "../secrets.js";
import type { CliContext } from "./context.js";

/** Prints `error` on stderr and returns the exit code it stands for. */
export function reportError(error: unknown, context: CliContext): number {
  if (error instanceof LandlordError) {
    const lines = [`landlord: ${error.message} [${error.code}]`];
    for (const detail of error.details) {
      const where = detail.location ? `${formatLocation(detail.location)}: ` : "";
      lines.push(`  ${where}${detail.message}`);
      if (detail.hint) lines.push(`    hint: ${detail.hint}`);
    }
    if (error.hint) lines.push(`  ${error.hint}`);
    context.stderr.write(`${printable(redactSecrets(lines.join("\n")))}\n`);
    return error.exitCode;
  }
  // An unexpected error may carry a request dump from an SDK: the stack is printed, its secrets are not.
  const stack = printable(
    redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  context.stderr.write(
    `landlord: unexpected error. This is a bug in landlord; please report it with the output below.\n${stack}\n`,
  );
  return 2;
}

/**
 * Error text quotes file names and contents the user may not control: control characters (terminal
 * escape sequences, NUL, BEL) are shown as `\u{..}` escapes so they cannot drive the terminal.
 */
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u{${character.charCodeAt(0).toString(16)}}`,
  );
}
