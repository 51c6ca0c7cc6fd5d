/** Concentration metrics: shares by provider and parent company, and their HHI (SPEC 4). */
import type { EnrichedResource } from "../catalog/types.js";
import type { Metrics, ParentShare, ProviderShare } from "./types.js";

/**
 * Herfindahl-Hirschman Index on the 0 to 10,000 scale: the sum of squared percentage shares.
 * 10,000 means one holder has everything; under 1,500 is usually read as unconcentrated and
 * 2,500 or more as highly concentrated.
 */
export function hhi(counts: Iterable<number>): number {
  let total = 0;
  const values: number[] = [];
  for (const count of counts) {
    total += count;
    values.push(count);
  }
  if (total === 0) return 0;
  let sum = 0;
  for (const count of values) {
    const percent = (count / total) * 100;
    sum += percent * percent;
  }
  return Math.round(sum);
}

/** Rounds a share to three decimals, as reports show it. */
export function roundShare(share: number): number {
  return Math.round(share * 1000) / 1000;
}

/** The provider id of the organisation's own data centres: not a landlord, so not in the shares. */
export const SELF_HOSTED_PROVIDER = "onprem";

/**
 * Shares of resources by provider and by parent company, and the HHI of both. Single pass.
 * Shares are over resources hosted by third parties: the organisation's own data centres
 * (`onprem`) are counted in `selfHosted`, as the concentration rules see it.
 */
export function computeMetrics(
  resources: readonly EnrichedResource[],
  criticalValues: readonly string[],
): Metrics {
  const critical = new Set(criticalValues.map((value) => value.toLowerCase()));
  const byProvider = new Map<string, { parent: string; resources: number; critical: number }>();
  const byParent = new Map<string, number>();
  let selfHosted = 0;
  for (const resource of resources) {
    if (resource.provider === SELF_HOSTED_PROVIDER) {
      selfHosted++;
      continue;
    }
    let entry = byProvider.get(resource.provider);
    if (entry === undefined) {
      entry = { parent: resource.providerFacts.parent, resources: 0, critical: 0 };
      byProvider.set(resource.provider, entry);
    }
    entry.resources++;
    if (resource.criticality !== undefined && critical.has(resource.criticality)) entry.critical++;
    byParent.set(entry.parent, (byParent.get(entry.parent) ?? 0) + 1);
  }
  const total = resources.length - selfHosted;
  const providers: ProviderShare[] = [...byProvider]
    .map(([provider, entry]) => ({
      provider,
      parent: entry.parent,
      resources: entry.resources,
      share: total === 0 ? 0 : roundShare(entry.resources / total),
      criticalResources: entry.critical,
    }))
    .sort(byCountThenName((item) => item.provider));
  const parents: ParentShare[] = [...byParent]
    .map(([parent, count]) => ({
      parent,
      resources: count,
      share: total === 0 ? 0 : roundShare(count / total),
    }))
    .sort(byCountThenName((item) => item.parent));
  return {
    providers,
    parents,
    hhi: { provider: hhi(providers.map((entry) => entry.resources)), parent: hhi(byParent.values()) },
    selfHosted,
  };
}

function byCountThenName<T extends { resources: number }>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => b.resources - a.resources || name(a).localeCompare(name(b));
}
