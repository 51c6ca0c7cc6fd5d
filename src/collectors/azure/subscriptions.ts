/**
 * Which subscriptions a run reads: every subscription the identity can see (`subscriptions: all`)
 * or the profile's explicit list, then this run's shard.
 */
import type { TokenCredential } from "@azure/core-auth";
import { inShard } from "../shard.js";
import type { Shard } from "../types.js";
import { readAllPages } from "./paging.js";
import type { RetryPolicy } from "./retry.js";

/** Subscription states whose resources can be read. */
export const READABLE_STATES = ["Enabled", "Warned", "PastDue"] as const;

/** A subscription landlord plans to read. */
export interface PlannedSubscription {
  subscriptionId: string;
  displayName?: string;
}

/** A subscription landlord saw but will not read, and why. */
export interface SkippedSubscription {
  subscriptionId: string;
  displayName?: string;
  state: string;
  reason: string;
}

/** The outcome of subscription discovery. */
export interface SubscriptionPlan {
  planned: PlannedSubscription[];
  skipped: SkippedSubscription[];
}

interface SubscriptionRecord {
  subscriptionId?: string;
  displayName?: string;
  state?: string;
}

/** Lists the tenant's subscriptions through `SubscriptionClient`, keeping readable states only. */
export async function discoverSubscriptions(
  credential: TokenCredential,
  clientOptions: Record<string, unknown>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<SubscriptionPlan> {
  const { SubscriptionClient, getContinuationToken } = await import("@azure/arm-resources-subscriptions");
  const client = new SubscriptionClient(credential, clientOptions);
  const records: SubscriptionRecord[] = [];
  await readAllPages<SubscriptionRecord>(
    (options) => client.subscriptions.list(options),
    getContinuationToken,
    (items) => records.push(...items),
    policy,
    signal,
  );
  const plan: SubscriptionPlan = { planned: [], skipped: [] };
  const seen = new Set<string>();
  for (const record of records) {
    const subscriptionId = record.subscriptionId;
    if (!subscriptionId || seen.has(subscriptionId.toLowerCase())) continue;
    seen.add(subscriptionId.toLowerCase());
    const state = record.state ?? "Enabled";
    const named = record.displayName === undefined ? {} : { displayName: record.displayName };
    if ((READABLE_STATES as readonly string[]).includes(state))
      plan.planned.push({ subscriptionId, ...named });
    else plan.skipped.push({ subscriptionId, ...named, state, reason: skipReason(state) });
  }
  return plan;
}

function skipReason(state: string): string {
  switch (state) {
    case "Disabled":
      return "the subscription is disabled: its resources are deallocated and it bills nothing";
    case "Deleted":
      return "the subscription is deleted";
    case "Expired":
      return "the subscription has expired";
    default:
      return `the subscription is in state ${state}, which is not Enabled, Warned or PastDue`;
  }
}

/** The profile's explicit list, without repeats (ids compare case-insensitively). */
export function explicitSubscriptions(ids: readonly string[]): SubscriptionPlan {
  const seen = new Set<string>();
  const planned: PlannedSubscription[] = [];
  for (const subscriptionId of ids) {
    const key = subscriptionId.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    planned.push({ subscriptionId: subscriptionId.trim() });
  }
  return { planned, skipped: [] };
}

/** Keeps the subscriptions of this run's shard (hashing the lower-cased id, so case never moves one). */
export function shardSubscriptions(plan: SubscriptionPlan, shard: Shard | undefined): SubscriptionPlan {
  const mine = (id: string): boolean => inShard(id.toLowerCase(), shard);
  return {
    planned: plan.planned.filter((subscription) => mine(subscription.subscriptionId)),
    skipped: plan.skipped.filter((subscription) => mine(subscription.subscriptionId)),
  };
}
