/**
 * The CI gate (SPEC 5): which findings fail a build, and the exit code that says so.
 */
import { EXIT, LandlordError } from "../diagnostics.js";
import { sanitizeTerminal } from "../formatters/escape.js";
import { type Finding, type Report, SEVERITIES, type Severity } from "./types.js";

/** Values of `--fail-on`: a severity, or `none` to never fail on findings. */
export const FAIL_ON_VALUES = [...SEVERITIES, "none"] as const;
export type FailOn = (typeof FAIL_ON_VALUES)[number];

/** The default of `--fail-on` (SPEC 5). */
export const DEFAULT_FAIL_ON: FailOn = "high";

/** How the gate judges a report. */
export interface GateOptions {
  /** Lowest severity that fails the gate, or `none`. @default "high" */
  failOn: FailOn;
  /** Judge an incomplete scan instead of exiting 3. @default false */
  allowPartial: boolean;
  /** A baseline was given: only findings marked `new` fail. @default false */
  baselineGiven: boolean;
}

/** The gate settings as recorded in a report's summary (`summary.gate`), so saved reports re-render alike. */
export interface RecordedGate {
  failOn: FailOn;
  baseline: boolean;
}

/** Parses a `--fail-on` value; anything else is a usage error (exit 2). */
export function parseFailOn(value: string): FailOn {
  const normalized = value.trim().toLowerCase();
  if ((FAIL_ON_VALUES as readonly string[]).includes(normalized)) return normalized as FailOn;
  throw new LandlordError("invalid-fail-on", `--fail-on ${value}: unknown severity`, {
    hint: `Use one of ${FAIL_ON_VALUES.join(", ")}.`,
  });
}

/** True when `severity` is at or above `failOn`. */
export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(failOn);
}

/**
 * The findings that fail the gate: not waived, at or above `failOn`, and, when a baseline was given,
 * new (absent from the baseline). Most severe first, in report order within a severity.
 */
export function gateFailures(
  report: Report,
  options: Pick<GateOptions, "failOn" | "baselineGiven">,
): Finding[] {
  if (options.failOn === "none") return [];
  const lowest = SEVERITIES.indexOf(options.failOn);
  // One list per severity, filled in report order: most severe first without sorting them all.
  const bySeverity: Finding[][] = SEVERITIES.map(() => []);
  for (const finding of report.findings) {
    if (finding.waived) continue;
    // A finding the baseline step did not mark is treated as new: never pass by omission.
    if (options.baselineGiven && finding.new === false) continue;
    const rank = SEVERITIES.indexOf(finding.severity);
    if (rank >= lowest) bySeverity[rank]!.push(finding);
  }
  return bySeverity.reverse().flat();
}

/**
 * The exit code of SPEC 5: 3 when collection was incomplete (unless `allowPartial`), 1 when a
 * finding fails the gate, 0 otherwise. (Exit 2 comes from errors raised before judging.)
 */
export function gateExitCode(report: Report, options: GateOptions): 0 | 1 | 3 {
  if (!report.summary.complete && !options.allowPartial) return EXIT.incomplete;
  return gateFailures(report, options).length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Plain lines for the terminal saying why the gate failed or passed, one per failing finding up to
 * `maxFindings` and then a count of the rest, e.g. `FAIL high competitor-hosted-sensitive-data
 * terraform:aws_s3_bucket.pos: ... (new)`; the verdict is the last line.
 */
export function describeGate(report: Report, options: GateOptions, maxFindings = Infinity): string[] {
  if (!report.summary.complete && !options.allowPartial) {
    const errors = report.diagnostics.filter((diagnostic) => diagnostic.level === "error").length;
    return [
      `gate: collection incomplete (${errors} source${errors === 1 ? "" : "s"} could not be read); exit 3. ` +
        "Pass --allow-partial to judge what was read.",
    ];
  }
  const failures = gateFailures(report, options);
  const waived = report.findings.filter((finding) => finding.waived).length;
  const threshold =
    options.failOn === "none" ? "never fails on findings" : `fails on ${options.failOn} and above`;
  const scope = options.baselineGiven ? ", new findings only" : "";
  const lines = failures.slice(0, maxFindings).map((finding) => {
    const target = finding.resourceId ?? describeSubject(finding.subject);
    const marker = options.baselineGiven ? " (new)" : "";
    // Gate lines go to the terminal and CI logs: inventory strings in them must not carry escapes.
    return `FAIL ${finding.severity} ${finding.ruleId} ${sanitizeTerminal(target)}: ${sanitizeTerminal(finding.message)}${marker}`;
  });
  if (failures.length > lines.length) {
    lines.push(`... and ${failures.length - lines.length} more failing findings (see the report)`);
  }
  const verdict =
    failures.length === 0
      ? `gate passed (${threshold}${scope})`
      : `gate failed: ${failures.length} finding${failures.length === 1 ? "" : "s"} (${threshold}${scope})`;
  lines.push(`${verdict}; ${waived} waived`);
  return lines;
}

/**
 * The report with the gate settings recorded in `summary.gate`, so formats that show pass/fail
 * (JUnit) and `landlord report` on the saved JSON judge as the scan did.
 */
export function withRecordedGate(
  report: Report,
  options: Pick<GateOptions, "failOn" | "baselineGiven">,
): Report {
  const gate: RecordedGate = { failOn: options.failOn, baseline: options.baselineGiven };
  return { ...report, summary: { ...report.summary, gate } };
}

/** Reads `summary.gate` of a saved report, when the scan recorded it. */
export function recordedGate(report: Report): RecordedGate | undefined {
  const gate = report.summary["gate"] as Partial<RecordedGate> | undefined;
  if (!gate || typeof gate !== "object") return undefined;
  const failOn = (FAIL_ON_VALUES as readonly unknown[]).includes(gate.failOn)
    ? (gate.failOn as FailOn)
    : undefined;
  if (failOn === undefined) return undefined;
  return { failOn, baseline: gate.baseline === true };
}

function describeSubject(subject: Record<string, string> | null): string {
  if (!subject) return "(organization)";
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
