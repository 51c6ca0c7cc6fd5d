/**
 * Waivers (SPEC 6): documented, expiring acceptances of a finding. A waived finding stays in the
 * report with its reason and does not fail the gate. Reading the file is separate from applying it,
 * so that applying stays a pure function of the findings, the waivers and the scan time.
 */
import picomatch from "picomatch";
import { z } from "zod";
import { type Diagnostic, formatLocation, LandlordError, type SourceLocation } from "../diagnostics.js";
import { readYamlFile, validateDocument } from "../input/yaml.js";
import type { Finding } from "./types.js";

/** Days before expiry from which a waiver is warned about. */
export const WAIVER_EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = z.union([z.string(), z.date()]).transform((value, context) => {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parsed = match ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    context.addIssue({ code: "custom", message: `expected a date as YYYY-MM-DD, got "${text}"` });
    return z.NEVER;
  }
  return text;
});

const requiredText = (what: string) =>
  z
    .string({ error: `required: ${what}` })
    .trim()
    .min(1, `${what} must not be empty`);

const waiverEntrySchema = z
  .object({
    rule: requiredText("the id of the rule this waiver accepts"),
    resource: z.string().trim().min(1).optional(),
    subject: z.record(z.string(), z.coerce.string()).optional(),
    reason: requiredText("why the risk is accepted"),
    owner: requiredText("who accepted it (a person or team to ask)"),
    expires: isoDate,
  })
  .strict()
  .refine((entry) => (entry.resource === undefined) !== (entry.subject === undefined), {
    message: "give exactly one of `resource` (a glob on resource ids) or `subject` (e.g. { workload: pos })",
  });

const waiverFileSchema = z
  .object({
    $schema: z.string().optional(),
    waivers: z.array(waiverEntrySchema).default([]),
  })
  .strict();

/** One waiver from a waiver file. */
export interface Waiver {
  /** Rule id the waiver applies to. */
  rule: string;
  /**
   * Glob on the finding's resource id. `*` matches any run of characters, `/` included, so
   * `arn:aws:*` covers every AWS ARN; an exact id matches itself even when it contains `[` or `{`.
   */
  resource?: string;
  /** Matches aggregate findings whose subject has these values (each value may be a glob). */
  subject?: Record<string, string>;
  reason: string;
  owner: string;
  /** Last day (UTC, inclusive) on which the waiver applies, `YYYY-MM-DD`. */
  expires: string;
  /** Where the waiver is written, for diagnostics. */
  location: SourceLocation;
}

/** Reads and validates a waiver file. Errors name the file, line, column and field (exit 2). */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  const doc = await readYamlFile(file, "invalid-waivers");
  if (doc.value === null || doc.value === undefined) return [];
  if (typeof doc.value !== "object" || Array.isArray(doc.value)) {
    throw new LandlordError("invalid-waivers", `${file} is not a waiver file`, {
      details: [{ message: "expected a mapping with a `waivers:` list", location: { file, line: 1 } }],
      hint: "See the Waivers section of the README for the format.",
    });
  }
  const data = validateDocument(doc, waiverFileSchema, "invalid-waivers", "waiver file");
  return data.waivers.map((entry, index) => {
    const waiver: Waiver = {
      rule: entry.rule,
      reason: entry.reason,
      owner: entry.owner,
      expires: entry.expires,
      location: doc.locate(["waivers", index]),
    };
    if (entry.resource !== undefined) waiver.resource = entry.resource;
    if (entry.subject !== undefined) waiver.subject = entry.subject;
    return waiver;
  });
}

/** Options of {@link applyWaivers}. */
export interface ApplyWaiversOptions {
  /** The scan time: expiry is judged against it, never against the clock. */
  scanTime: Date;
}

/** What applying waivers produced: the findings (waived ones marked) and diagnostics about the waivers. */
export interface AppliedWaivers {
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/**
 * Marks the findings that an unexpired waiver matches as waived (the first matching waiver wins).
 * Reports expired waivers (`waiver-expired`: they no longer apply), waivers expiring within
 * {@link WAIVER_EXPIRY_WARNING_DAYS} days (`waiver-expiring`) and waivers that match no finding
 * (`waiver-stale`), all as warnings. Pure: the inputs are not modified.
 */
export function applyWaivers(
  findings: Finding[],
  waivers: Waiver[],
  options: ApplyWaiversOptions,
): AppliedWaivers {
  const diagnostics: Diagnostic[] = [];
  const scanMs = options.scanTime.getTime();
  const matchers = waivers.map((waiver) => ({ waiver, matches: compileWaiver(waiver) }));
  const used = new Set<Waiver>();
  const expiredMatches = new Map<Waiver, number>();

  const result = findings.map((finding) => {
    let applied: Waiver | undefined;
    for (const { waiver, matches } of matchers) {
      if (!matches(finding)) continue;
      if (isExpired(waiver, scanMs)) {
        expiredMatches.set(waiver, (expiredMatches.get(waiver) ?? 0) + 1);
        continue;
      }
      applied = waiver;
      break;
    }
    if (!applied) return { ...finding };
    used.add(applied);
    return {
      ...finding,
      waived: true,
      waiver: { reason: applied.reason, owner: applied.owner, expires: applied.expires },
    };
  });

  for (const waiver of waivers) {
    const where = formatLocation(waiver.location);
    const target = describeTarget(waiver);
    if (isExpired(waiver, scanMs)) {
      const matched = expiredMatches.get(waiver) ?? 0;
      diagnostics.push({
        level: "warning",
        code: "waiver-expired",
        message:
          `waiver for ${waiver.rule} on ${target} (owner ${waiver.owner}) expired on ${waiver.expires} and no longer applies` +
          (matched > 0
            ? `; ${matched} finding${matched === 1 ? "" : "s"} it used to waive ${matched === 1 ? "is" : "are"} active again`
            : ""),
        source: where,
        location: waiver.location,
        hint: `Ask ${waiver.owner} to renew the waiver with a new expiry date, or fix the finding.`,
      });
      continue;
    }
    if (!used.has(waiver)) {
      diagnostics.push({
        level: "warning",
        code: "waiver-stale",
        message: `waiver for ${waiver.rule} on ${target} (owner ${waiver.owner}) matches no finding`,
        source: where,
        location: waiver.location,
        hint: "Remove it if the risk is gone, or correct the rule id, resource glob or subject.",
      });
    }
    const daysLeft = Math.floor((expiryEndMs(waiver) - scanMs) / DAY_MS);
    if (daysLeft < WAIVER_EXPIRY_WARNING_DAYS) {
      diagnostics.push({
        level: "warning",
        code: "waiver-expiring",
        message: `waiver for ${waiver.rule} on ${target} (owner ${waiver.owner}) expires on ${waiver.expires}, in ${daysLeft === 0 ? "less than a day" : `${daysLeft} day${daysLeft === 1 ? "" : "s"}`}`,
        source: where,
        location: waiver.location,
        hint: `Ask ${waiver.owner} to review it before it lapses and the finding fails the gate again.`,
      });
    }
  }
  return { findings: result, diagnostics };
}

/** A waiver applies through the whole of its `expires` day, in UTC. */
function expiryEndMs(waiver: Waiver): number {
  return Date.parse(`${waiver.expires}T00:00:00Z`) + DAY_MS;
}

function isExpired(waiver: Waiver, scanMs: number): boolean {
  return scanMs >= expiryEndMs(waiver);
}

function describeTarget(waiver: Waiver): string {
  if (waiver.resource !== undefined) return `"${waiver.resource}"`;
  const subject = Object.entries(waiver.subject ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
  return `{ ${subject} }`;
}

function compileWaiver(waiver: Waiver): (finding: Finding) => boolean {
  const resource = waiver.resource === undefined ? undefined : globMatcher(waiver.resource);
  const subject = Object.entries(waiver.subject ?? {}).map(
    ([key, value]) => [key.toLowerCase(), globMatcher(value)] as const,
  );
  return (finding) => {
    if (finding.ruleId !== waiver.rule) return false;
    if (resource) return finding.resourceId !== null && resource(finding.resourceId);
    const findingSubject = lowerKeys(finding.subject ?? {});
    return (
      subject.length > 0 &&
      subject.every(([key, matches]) => {
        const value = findingSubject[key];
        return value !== undefined && matches(value);
      })
    );
  };
}

/** Exact text, or a glob where `*` also crosses `/` (resource ids are not file paths). */
function globMatcher(pattern: string): (value: string) => boolean {
  const glob = picomatch(pattern, { bash: true, dot: true, nocase: false });
  return (value) => value === pattern || glob(value);
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) lowered[key.toLowerCase()] = String(value);
  return lowered;
}
