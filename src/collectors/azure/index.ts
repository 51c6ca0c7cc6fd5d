/**
 * The Azure collector: every readable subscription (or the profile's list), this run's shard of
 * them, read either per subscription through Resource Manager or in batches through Resource Graph.
 * SDK modules load only here, on first use, so an offline scan never loads them.
 */
import type { TokenCredential } from "@azure/core-auth";
import pLimit from "p-limit";
import type { Diagnostic } from "../../diagnostics.js";
import type { Resource } from "../../inventory/types.js";
import type { CollectContext, Collector, CollectResult, CoverageEntry } from "../types.js";
import type { AzureSourceConfig } from "./config.js";
import { armClientOptions, createCredential, TokenScrubber } from "./credential.js";
import { identityKey, toResource } from "./mapper.js";
import { AZURE_CODES, problemDiagnostic } from "./problems.js";
import {
  type BatchResult,
  batches,
  createGraphClient,
  MAX_SUBSCRIPTIONS_PER_QUERY,
  QuotaGate,
  queryBatch,
} from "./resource-graph.js";
import { listSubscriptionResources, type SubscriptionListing } from "./resources.js";
import { type RetryPolicy, retryPolicyFrom } from "./retry.js";
import {
  discoverSubscriptions,
  explicitSubscriptions,
  type PlannedSubscription,
  type SubscriptionPlan,
  shardSubscriptions,
} from "./subscriptions.js";

export type { AzureSourceConfig } from "./config.js";
export { azureSourceSchema } from "./config.js";

/** Subscriptions read at once when the profile does not say. */
export const DEFAULT_CONCURRENCY = 4;

const SOURCE = "azure";

/** Collects state shared by both reading paths and turns it into a {@link CollectResult}. */
class Collection {
  readonly resources: Resource[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly coverage: CoverageEntry[] = [];
  readonly #seen = new Set<string>();

  /** Adds a resource unless an id differing only in case was already added. Returns whether it was new. */
  add(resource: Resource): boolean {
    const key = identityKey(resource.id);
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    this.resources.push(resource);
    return true;
  }

  result(): CollectResult {
    return { resources: this.resources, diagnostics: this.diagnostics, coverage: this.coverage };
  }
}

function unreadableDiagnostic(
  subscriptionId: string | undefined,
  label: string,
  problems: string[],
): Diagnostic {
  const scope: Record<string, string> = { provider: "azure" };
  if (subscriptionId !== undefined) scope.subscription = subscriptionId;
  return {
    level: "error",
    code: AZURE_CODES.malformed,
    message: `${problems.length} ${problems.length === 1 ? "entry" : "entries"} returned for ${label} could not be read (first: ${problems[0]}); they are missing from the inventory.`,
    source: subscriptionId === undefined ? SOURCE : `azure:${subscriptionId}`,
    scope,
    hint: "Run the scan again; if it persists, report the response (without tokens) as a landlord bug.",
  };
}

/**
 * Reads Azure resources for one `azure:` source. Never throws for a subscription that cannot be
 * read: that becomes an `error` diagnostic and a `failed` or `partial` coverage entry.
 */
export const collectAzure: Collector<AzureSourceConfig> = async (config, context) => {
  const collection = new Collection();
  const scrubber = new TokenScrubber();
  const signal = context.signal;
  const clientOptions = armClientOptions(config, context);
  const policy = { ...retryPolicyFrom(clientOptions.retryOptions), timeoutMs: config.timeoutMs ?? 60_000 };
  const credential = await createCredential(config, context, scrubber);

  let plan: SubscriptionPlan;
  if (config.subscriptions === "all") {
    try {
      plan = await discoverSubscriptions(credential, clientOptions, policy, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      collection.diagnostics.push(problemDiagnostic(error, { label: "the subscription list" }, scrubber));
      collection.coverage.push({
        source: SOURCE,
        scope: { tenant: config.tenantId ?? "default" },
        status: "failed",
        resources: 0,
      });
      context.progress({ source: SOURCE, scope: "subscriptions", status: "failed" });
      return collection.result();
    }
  } else {
    plan = explicitSubscriptions(config.subscriptions);
  }
  plan = shardSubscriptions(plan, context.shard);

  for (const skipped of plan.skipped) {
    collection.diagnostics.push({
      level: "info",
      code: AZURE_CODES.skipped,
      message: `Skipped subscription ${skipped.subscriptionId}${skipped.displayName ? ` (${skipped.displayName})` : ""}: ${skipped.reason}.`,
      source: `azure:${skipped.subscriptionId}`,
      scope: { provider: "azure", subscription: skipped.subscriptionId },
    });
    collection.coverage.push({
      source: SOURCE,
      scope: { subscription: skipped.subscriptionId },
      status: "skipped",
      resources: 0,
      note: `state ${skipped.state}`,
    });
    context.progress({ source: SOURCE, scope: skipped.subscriptionId, status: "skipped" });
  }
  if (plan.planned.length === 0) {
    if (plan.skipped.length === 0 && config.subscriptions === "all")
      collection.diagnostics.push({
        level: "warning",
        code: "azure-no-subscriptions",
        message: "The Azure identity sees no subscription to read.",
        source: SOURCE,
        scope: { provider: "azure" },
        hint: "Check the tenant (`tenantId` in the azure source) and that the identity holds Reader on at least one subscription.",
      });
    return collection.result();
  }

  const run: Run = { config, context, credential, clientOptions, policy, collection, scrubber };
  if (config.resourceGraph === true) await readThroughResourceGraph(run, plan.planned);
  else await readPerSubscription(run, plan.planned);
  return collection.result();
};

/** Everything one collection run shares between its steps. */
interface Run {
  config: AzureSourceConfig;
  context: CollectContext;
  credential: TokenCredential;
  clientOptions: Record<string, unknown>;
  policy: RetryPolicy;
  collection: Collection;
  scrubber: TokenScrubber;
}

async function readPerSubscription(run: Run, subscriptions: PlannedSubscription[]): Promise<void> {
  const { config, context, credential, clientOptions, policy, collection, scrubber } = run;
  const module = await import("@azure/arm-resources");
  const limit = pLimit(config.concurrency ?? DEFAULT_CONCURRENCY);
  const planned = subscriptions.length;
  // Results are gathered per subscription and added in plan order, so the output is deterministic.
  const outcomes = await Promise.all(
    subscriptions.map((subscription) =>
      limit(async () => {
        const { subscriptionId } = subscription;
        context.progress({ source: SOURCE, scope: subscriptionId, status: "started", planned });
        const listing: SubscriptionListing = { records: [], unreadable: [] };
        let failure: unknown;
        try {
          await listSubscriptionResources(
            module,
            credential,
            subscriptionId,
            clientOptions,
            policy,
            listing,
            context.signal,
          );
        } catch (error) {
          if (context.signal?.aborted) throw error;
          failure = error;
        }
        return { subscription, listing, failure };
      }),
    ),
  );
  for (const { subscription, listing, failure } of outcomes) {
    const { subscriptionId } = subscription;
    let added = 0;
    for (const record of listing.records) if (collection.add(toResource(record, subscriptionId))) added++;
    const label = `subscription ${subscriptionId}`;
    if (failure !== undefined)
      collection.diagnostics.push(
        problemDiagnostic(failure, { subscription: subscriptionId, label }, scrubber),
      );
    if (listing.unreadable.length > 0)
      collection.diagnostics.push(unreadableDiagnostic(subscriptionId, label, listing.unreadable));
    const incomplete = failure !== undefined || listing.unreadable.length > 0;
    const status = !incomplete ? "complete" : added > 0 ? "partial" : "failed";
    collection.coverage.push({
      source: SOURCE,
      scope: { subscription: subscriptionId },
      status,
      resources: added,
    });
    context.progress({
      source: SOURCE,
      scope: subscriptionId,
      status: failure === undefined ? "done" : "failed",
      resources: added,
      planned,
    });
  }
}

async function readThroughResourceGraph(run: Run, subscriptions: PlannedSubscription[]): Promise<void> {
  const { config, context, credential, policy, collection, scrubber } = run;
  const client = await createGraphClient(
    credential,
    config.endpoint,
    context.overrides?.azure?.clientOptions ?? {},
  );
  const gate = new QuotaGate();
  const limit = pLimit(config.concurrency ?? DEFAULT_CONCURRENCY);
  const groups = batches(
    subscriptions.map((subscription) => subscription.subscriptionId),
    MAX_SUBSCRIPTIONS_PER_QUERY,
  );
  const planned = groups.length;
  const outcomes = await Promise.all(
    groups.map((group, index) =>
      limit(async () => {
        const scope = `resource-graph batch ${index + 1}/${groups.length} (${group.length} subscriptions)`;
        context.progress({ source: SOURCE, scope, status: "started", planned });
        const result: BatchResult = { records: [], unreadable: [], truncated: false };
        let failure: unknown;
        try {
          await queryBatch(client, group, gate, policy, result, context.signal);
        } catch (error) {
          if (context.signal?.aborted) throw error;
          failure = error;
        }
        context.progress({
          source: SOURCE,
          scope,
          status: failure === undefined ? "done" : "failed",
          resources: result.records.length,
          planned,
        });
        return {
          group,
          result,
          failure,
          label: `Resource Graph batch ${index + 1} of ${groups.length} (${group.length} subscriptions)`,
        };
      }),
    ),
  );
  for (const { group, result, failure, label } of outcomes) {
    const counts = new Map<string, number>(group.map((id) => [id, 0]));
    for (const { record, subscriptionId } of result.records)
      if (collection.add(toResource(record, subscriptionId)))
        counts.set(subscriptionId, (counts.get(subscriptionId) ?? 0) + 1);
    if (failure !== undefined) collection.diagnostics.push(problemDiagnostic(failure, { label }, scrubber));
    if (result.unreadable.length > 0)
      collection.diagnostics.push(unreadableDiagnostic(undefined, label, result.unreadable));
    if (result.truncated)
      collection.diagnostics.push({
        level: "error",
        code: AZURE_CODES.truncated,
        message: `Resource Graph cut the results of ${label} short; some resources are missing.`,
        source: SOURCE,
        scope: { provider: "azure" },
        hint: "Split the subscriptions across runs with --shard, or read them per subscription (resourceGraph: false).",
      });
    const incomplete = failure !== undefined || result.unreadable.length > 0 || result.truncated;
    for (const [subscriptionId, resources] of counts) {
      const status = !incomplete ? "complete" : resources > 0 ? "partial" : "failed";
      collection.coverage.push({
        source: SOURCE,
        scope: { subscription: subscriptionId },
        status,
        resources,
        note: "read through Azure Resource Graph, which shows only what the identity may read",
      });
    }
  }
}
