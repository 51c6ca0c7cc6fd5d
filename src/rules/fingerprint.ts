/** Finding fingerprints: stable across runs for the same rule and resource or subject (SPEC 4). */
import { createHash, hash as oneShotHash } from "node:crypto";

// One-shot hashing (Node 20.12+) skips the Hash object a million findings would otherwise each build.
const sha256Hex: (text: string) => string =
  typeof oneShotHash === "function"
    ? (text) => oneShotHash("sha256", text, "hex")
    : (text) => createHash("sha256").update(text).digest("hex");

/** Fingerprint of a per-resource finding. Resource ids are unique within a provider, so both count. */
export function resourceFingerprint(ruleId: string, provider: string, resourceId: string): string {
  return sha256Hex(`${ruleId}\0resource\0${provider}\0${resourceId}`);
}

/** Fingerprint of an aggregate finding: the subject with its keys sorted. */
export function subjectFingerprint(ruleId: string, subject: Readonly<Record<string, string>>): string {
  return sha256Hex(`${ruleId}\0subject\0${canonicalSubject(subject)}`);
}

/** `provider=aws,workload=pos`: keys sorted, for fingerprints and ordering. */
export function canonicalSubject(subject: Readonly<Record<string, string>>): string {
  return Object.keys(subject)
    .sort()
    .map((key) => `${key}=${subject[key]}`)
    .join(",");
}
