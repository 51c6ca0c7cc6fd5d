/**
 * What a CLI command receives: the process's streams, environment and working directory, passed in
 * so that commands can run in tests without touching the real process.
 */

/** A stream the CLI writes to. */
export interface OutputStream {
  write(text: string | Uint8Array): unknown;
  /** True when the stream is a terminal (colour and animated progress allowed). */
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Read all of standard input (for `init` prompts); undefined when there is no interactive input. */
  prompt?: (question: string) => Promise<string>;
  /** Exit code of the command that ran; commands set it, `bin/landlord.js` hands it to the process. */
  exitCode: number;
  /** The scan time for reproducible output; defaults to now. Tests and `SOURCE_DATE_EPOCH` set it. */
  now: () => Date;
}

/** True when colour may be used on `stream` (a TTY, and `NO_COLOR` unset). */
export function colorEnabled(context: CliContext, stream: OutputStream): boolean {
  if (context.env["NO_COLOR"] !== undefined && context.env["NO_COLOR"] !== "") return false;
  if (context.env["FORCE_COLOR"] !== undefined && context.env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true;
}
