/**
 * Counts what the fault, hostile-input and output-safety suites tried, so the figures in the
 * security notes come from a run rather than from memory. Each suite appends one JSON line to
 * `LANDLORD_SECURITY_TALLY` when that variable names a file; otherwise nothing is written.
 */
import { appendFileSync } from "node:fs";

/** Appends one tally line (suite name and counters) when tallying is switched on. */
export function recordTally(suite: string, counts: Record<string, number>): void {
  const file = process.env.LANDLORD_SECURITY_TALLY;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ suite, ...counts })}\n`);
}

/** Faults injected into one provider's collector, how many were survived and how many reported. */
export function recordFaults(
  provider: string,
  counts: { injected: number; survived: number; reported: number },
): void {
  recordTally(`faults:${provider}`, counts);
}
