/**
 * Per-subscription listing: `ResourceManagementClient.resources.list()` over every nextLink.
 * Exact and explicit about failures (a forbidden subscription is named), at one ARM call per page.
 */
import type { TokenCredential } from "@azure/core-auth";
import { type ArmResourceRecord, recordProblem } from "./mapper.js";
import { readAllPages } from "./paging.js";
import type { RetryPolicy } from "./retry.js";

/** The ARM records of one subscription, and the entries that could not be read. */
export interface SubscriptionListing {
  records: ArmResourceRecord[];
  /** Problems of unreadable entries, in order. */
  unreadable: string[];
}

/** Loads the Resource Manager module once per run. */
export type ResourcesModule = typeof import("@azure/arm-resources");

/**
 * Lists every resource of one subscription. Records read before a failure stay in `into`,
 * so the caller can report a partial subscription instead of losing them.
 */
export async function listSubscriptionResources(
  module: ResourcesModule,
  credential: TokenCredential,
  subscriptionId: string,
  clientOptions: Record<string, unknown>,
  policy: RetryPolicy,
  into: SubscriptionListing,
  signal?: AbortSignal,
): Promise<void> {
  const client = new module.ResourceManagementClient(credential, subscriptionId, clientOptions);
  await readAllPages<unknown>(
    (options) => client.resources.list(options),
    module.getContinuationToken,
    (items) => {
      for (const item of items) {
        const problem = recordProblem(item);
        if (problem === undefined) into.records.push(item as ArmResourceRecord);
        else into.unreadable.push(problem);
      }
    },
    policy,
    signal,
  );
}
