/**
 * Dates of facts: a certification or a list entry counts only while it is in force at scan time,
 * from its first day (inclusive) to its end day (exclusive). Unknown dates do not limit it.
 */
import type { Catalog } from "./load.js";
import type { CertificationFacts, ListEntry } from "./types.js";

function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** True when `scanTime` lies in [from, until). */
export function inForce(from: string | undefined, until: string | undefined, scanTime: Date): boolean {
  const time = scanTime.getTime();
  if (from !== undefined && time < dayStart(from)) return false;
  if (until !== undefined && time >= dayStart(until)) return false;
  return true;
}

/** True when the certification is valid at scan time. */
export function certificationInForce(certification: CertificationFacts, scanTime: Date): boolean {
  return inForce(certification.validFrom, certification.validUntil, scanTime);
}

/** True when the list entry applies at scan time (listed, and not yet removed). */
export function listEntryInForce(entry: ListEntry, scanTime: Date): boolean {
  return inForce(entry.listed, entry.until, scanTime);
}

/**
 * Certifications of a provider that count for a region at scan time: valid then, and either
 * provider-wide or covering that region. `regionCode` is the catalog's code; undefined (unknown
 * region, `global`) keeps only provider-wide ones.
 */
export function certificationsInForce(
  catalog: Catalog,
  provider: string,
  regionCode: string | undefined,
  scanTime: Date,
): CertificationFacts[] {
  const all = catalog.providers.get(provider)?.certifications ?? [];
  return all.filter(
    (certification) =>
      certificationInForce(certification, scanTime) &&
      (certification.regions === undefined ||
        (regionCode !== undefined && certification.regions.includes(regionCode))),
  );
}

/**
 * True when the held certifications satisfy a required certification id. A higher level of the
 * same scheme satisfies a lower one (`csap-medium` satisfies `csap-low`); a requirement without a
 * level (`c5`, `fedramp`) is met by any level of the scheme.
 */
export function satisfiesCertification(
  catalog: Catalog,
  required: string,
  held: readonly CertificationFacts[],
): boolean {
  const wanted = required.trim().toLowerCase();
  for (const certification of held) {
    if (certification.id === wanted) return true;
    const scheme = catalog.schemes.get(certification.scheme);
    if (!scheme) continue;
    if (wanted === scheme.id) return true;
    if (!wanted.startsWith(`${scheme.id}-`) || certification.level === undefined) continue;
    const wantedRank = scheme.levels.indexOf(wanted.slice(scheme.id.length + 1));
    const heldRank = scheme.levels.indexOf(certification.level);
    if (wantedRank >= 0 && heldRank >= wantedRank) return true;
  }
  return false;
}
