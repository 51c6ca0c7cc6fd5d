/**
 * Diagnostics and user-facing errors.
 *
 * A diagnostic is a problem with part of the input that does not stop the scan (an unknown region,
 * an unreadable account). A {@link LandlordError} is a problem that stops it: nothing was judged,
 * and the CLI exits 2 (or 3 for incomplete collection) without a stack trace.
 */

export const DIAGNOSTIC_LEVELS = ["error", "warning", "info"] as const;
export type DiagnosticLevel = (typeof DIAGNOSTIC_LEVELS)[number];

/** Where in a file something happened. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `sources[2].aws.regions`. */
  field?: string;
}

/**
 * A problem with part of the input, reported in the report's `diagnostics`.
 *
 * `level: "error"` means something could not be read: the scan is then incomplete
 * (`summary.complete === false`, exit 3 unless `--allow-partial`).
 */
export interface Diagnostic {
  level: DiagnosticLevel;
  /** Stable kebab-case code, e.g. `unknown-region`, `account-access-denied`. */
  code: string;
  message: string;
  /** The input that produced it: a file path, or a collection scope such as `aws:123456789012/eu-west-1`. */
  source?: string;
  location?: SourceLocation;
  /** Collection scope for collector diagnostics: provider, account, region, subscription, project. */
  scope?: Record<string, string>;
  /** What the user can do about it. */
  hint?: string;
}

/** Exit codes of SPEC section 5. */
export const EXIT = { ok: 0, findings: 1, usage: 2, incomplete: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One problem inside a {@link LandlordError}. */
export interface ErrorDetail {
  message: string;
  location?: SourceLocation;
  hint?: string;
}

/**
 * An error the user caused and can fix: bad configuration, unreadable input, an invalid rule.
 * The CLI prints `code`, every detail as `file:line:column: message`, and the hint, never a stack.
 */
export class LandlordError extends Error {
  override readonly name = "LandlordError";
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(
    code: string,
    message: string,
    options: {
      details?: ErrorDetail[];
      hint?: string | undefined;
      exitCode?: ExitCode;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** Formats a location as `file:line:column` (parts that are unknown are left out). */
export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
