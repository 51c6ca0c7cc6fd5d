/**
 * Baselines: a saved JSON report whose findings are already known. With a baseline only findings
 * absent from it (by fingerprint) fail the gate, so a team can adopt landlord on an existing estate
 * and still stop every new risk.
 */
import { LandlordError } from "../diagnostics.js";
import { readJsonMembers } from "../input/json-members.js";
import type { Finding } from "./types.js";

const BASELINE_HINT = "Give a report written by `landlord scan --format json --output <file>`.";

/**
 * Reads the fingerprints of every finding (waived or not) in a saved landlord JSON report.
 * A missing, unreadable or foreign file is a {@link LandlordError} (exit 2): a baseline that
 * cannot be read must never let the gate pass silently.
 */
export async function loadBaseline(file: string): Promise<Set<string>> {
  // Only the findings' fingerprints are kept: the report of a large estate is hundreds of
  // megabytes, and the scan that reads it has its own to hold.
  const document = await readJsonMembers(file, {
    errorCode: "invalid-baseline",
    hint: BASELINE_HINT,
    keep: (key, finding) => (key === "findings" ? fingerprintOnly(finding) : undefined),
  });
  return baselineFingerprints(document, file);
}

/** A finding reduced to what a baseline needs. */
function fingerprintOnly(finding: unknown): unknown {
  const fingerprint = (finding as Record<string, unknown> | null)?.["fingerprint"];
  return { fingerprint };
}

/** The fingerprints of a parsed report; throws `invalid-baseline` when it is not a landlord report. */
export function baselineFingerprints(document: unknown, file: string): Set<string> {
  const fail = (message: string): never => {
    throw new LandlordError("invalid-baseline", `${file} is not a landlord JSON report`, {
      details: [{ message, location: { file } }],
      hint: BASELINE_HINT,
    });
  };
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return fail("expected a JSON object with `schemaVersion`, `tool` and `findings`");
  }
  const report = document as Record<string, unknown>;
  const tool = report["tool"] as Record<string, unknown> | undefined;
  if (tool?.["name"] !== "landlord") return fail('`tool.name` is not "landlord"');
  if (report["schemaVersion"] !== 1) {
    return fail(`unsupported schemaVersion ${JSON.stringify(report["schemaVersion"])}, expected 1`);
  }
  const findings = report["findings"];
  if (!Array.isArray(findings)) return fail("`findings` is missing or not a list");
  const fingerprints = new Set<string>();
  findings.forEach((finding, index) => {
    const fingerprint = (finding as Record<string, unknown> | null)?.["fingerprint"];
    if (typeof fingerprint !== "string" || fingerprint === "") {
      fail(`findings[${index}] has no fingerprint`);
    }
    fingerprints.add(fingerprint as string);
  });
  return fingerprints;
}

/** Marks each finding `new: true` when its fingerprint is absent from the baseline. Pure. */
export function applyBaseline(findings: Finding[], fingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((finding) => ({ ...finding, new: !fingerprints.has(finding.fingerprint) }));
}
