/** Finding fingerprints: stable across runs for the same rule and resource or subject (SPEC 4). */
import { createHash } from "node:crypto";

/** Fingerprint of a per-resource finding. Resource ids are unique within a provider, so both count. */
export function resourceFingerprint(ruleId: string, provider: string, resourceId: string): string {
  return createHash("sha256").update(`${ruleId}\0resource\0${provider}\0${resourceId}`).digest("hex");
}

/** Fingerprint of an aggregate finding: the subject with its keys sorted. */
export function subjectFingerprint(ruleId: string, subject: Readonly<Record<string, string>>): string {
  return createHash("sha256")
    .update(`${ruleId}\0subject\0${canonicalSubject(subject)}`)
    .digest("hex");
}

/** `provider=aws,workload=pos`: keys sorted, for fingerprints and ordering. */
export function canonicalSubject(subject: Readonly<Record<string, string>>): string {
  return Object.keys(subject)
    .sort()
    .map((key) => `${key}=${subject[key]}`)
    .join(",");
}
