/**
 * The GCP collector: the Resource Manager hierarchy, then every project's resources through Cloud
 * Asset Inventory, mapped to the normalized model.
 *
 * Resources are searched per project rather than once at organisation scope. That costs one
 * search (plus paging) per project instead of one for everything, but a project the credentials
 * cannot read, or one that keeps failing, becomes one diagnostic for that project instead of a
 * failed organisation; progress and coverage are per project; and `--shard` can split projects
 * across runs. Cloud Asset allows 400 searches a minute per consumer project, which at the default
 * concurrency is far above what one scan uses.
 */
import type { AssetServiceClient } from "@google-cloud/asset";
import pLimit from "p-limit";
import type { Diagnostic } from "../../diagnostics.js";
import type { Resource } from "../../inventory/types.js";
import { inShard } from "../shard.js";
import type { CollectContext, Collector, CollectResult, CoverageEntry } from "../types.js";
import { createGcpClients } from "./clients.js";
import type { GcpSourceConfig } from "./config.js";
import { failureDiagnostic } from "./diagnose.js";
import { describeGoogleError, type GoogleApiFailure, isQuotaExhausted } from "./errors.js";
import { discoverProjects } from "./hierarchy.js";
import { type AssetSearchResult, type GcpProject, mapAssetResult, type ProjectDirectory } from "./mapper.js";
import { ScopePacer } from "./pacing.js";
import { type GoogleCall, readAllPages } from "./paging.js";
import { DEFAULT_RETRY_POLICY, GoogleCallError, type RetryPolicy, withRetry } from "./retry.js";

export type { GcpSourceConfig } from "./config.js";
export { gcpSourceSchema } from "./config.js";
export { regionFromLocation } from "./mapper.js";

/** Largest page Cloud Asset `searchAllResources` serves. */
const ASSET_PAGE_SIZE = 500;
const DEFAULT_CONCURRENCY = 4;
/** Attempts of a throttled search spaced by the pacer alone before the policy's backoff adds to it. */
const PACED_ATTEMPTS = 5;
const COVERAGE_NOTE =
  "Cloud Asset Inventory search covers the resource types it lists as searchable; others are not seen.";

function retryPolicy(config: GcpSourceConfig): RetryPolicy {
  return {
    attempts: config.retry?.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    baseDelayMs: config.retry?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: config.retry?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    timeoutMs: config.timeoutMs ?? DEFAULT_RETRY_POLICY.timeoutMs,
  };
}

/** A quota error that does not say when to come back: the pacer's to handle. */
function unhintedQuota(failure: GoogleApiFailure): boolean {
  return isQuotaExhausted(failure) && failure.retryAfterMs === undefined;
}

async function searchProject(
  assets: AssetServiceClient,
  project: GcpProject,
  assetTypes: string[] | undefined,
  call: GoogleCall,
): Promise<AssetSearchResult[]> {
  const scope = `projects/${project.projectId}`;
  return readAllPages(
    (pageToken) =>
      assets.searchAllResources(
        { scope, pageSize: ASSET_PAGE_SIZE, pageToken, ...(assetTypes ? { assetTypes } : {}) },
        { autoPaginate: false },
      ),
    call,
  );
}

/**
 * Collects the resources of a `gcp:` source. Parts that cannot be read become `error`
 * diagnostics (scope `{ provider: "gcp", project }`) and `failed` coverage entries; the rest of
 * the organisation is still collected.
 */
export const collectGcp: Collector<GcpSourceConfig> = async (
  config: GcpSourceConfig,
  context: CollectContext,
): Promise<CollectResult> => {
  const policy = retryPolicy(config);
  const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
  // `callLimit` bounds the requests in flight (hierarchy and searches together); `projectLimit`
  // makes a project "started" only when its search really starts, so progress tells the truth.
  // A project holds one call at a time, so the two limits cannot wait on each other. A throttled
  // call keeps its slot while it backs off: under quota pressure the whole scan slows down.
  const callLimit = pLimit(concurrency);
  const projectLimit = pLimit(concurrency);
  const call: GoogleCall = (operation) =>
    callLimit(() => withRetry(operation, policy, { signal: context.signal }));
  // Searches are paced per project: every attempt, retries included, waits for its project's turn,
  // and a quota error without a retry hint is retried at the pacer's interval instead of after a
  // jittered backoff (see pacing.ts).
  const pacer = new ScopePacer();
  const searchCall =
    (scope: string): GoogleCall =>
    (operation) =>
      callLimit(() =>
        withRetry(
          async () => {
            try {
              const result = await operation();
              pacer.succeeded(scope);
              return result;
            } catch (error) {
              if (unhintedQuota(describeGoogleError(error))) pacer.throttled(scope);
              throw error;
            }
          },
          policy,
          {
            signal: context.signal,
            beforeAttempt: () => pacer.turn(scope, context.signal),
            backoff: (failure, attempt) =>
              unhintedQuota(failure) && attempt < PACED_ATTEMPTS ? 0 : undefined,
          },
        ),
      );
  const diagnostics: Diagnostic[] = [];
  const coverage: CoverageEntry[] = [];

  const clients = await createGcpClients(config.endpoint, context.overrides?.gcp);
  try {
    const walk = discoverProjects(clients, config, call);
    // The Asset SDK loads while the walk's first calls are in flight (its loading takes the CPU).
    await new Promise((resolve) => setImmediate(resolve));
    const assetsReady = clients.assets();
    // Settled here too, so that a walk that fails first leaves no rejection unhandled.
    assetsReady.catch(() => {});
    const hierarchy = await walk;
    const assets = await assetsReady;
    context.signal?.throwIfAborted();
    const failedScopes = new Set<string>();
    for (const { failure, context: failed } of hierarchy.failures) {
      const diagnostic = failureDiagnostic(failure, failed);
      diagnostics.push(diagnostic);
      const key = JSON.stringify(failed.scope);
      if (diagnostic.level === "error" && !failedScopes.has(key)) {
        failedScopes.add(key);
        coverage.push({ source: "gcp", scope: failed.scope, status: "failed", resources: 0 });
      }
    }

    const directory: ProjectDirectory = {
      byName: new Map(hierarchy.projects.map((project) => [project.name, project])),
    };
    const projects = hierarchy.projects.filter((project) => inShard(project.projectId, context.shard));
    const planned = projects.length;

    const perProject = await Promise.all(
      projects.map((project) =>
        projectLimit(async (): Promise<Resource[]> => {
          const scope = project.projectId;
          context.progress({ source: "gcp", scope, status: "started", planned });
          try {
            const results = await searchProject(assets, project, config.assetTypes, searchCall(scope));
            const resources = results.flatMap((result) => mapAssetResult(result, project, directory) ?? []);
            coverage.push({
              source: "gcp",
              scope: { project: scope },
              status: "complete",
              resources: resources.length,
              note: COVERAGE_NOTE,
            });
            context.progress({ source: "gcp", scope, status: "done", resources: resources.length, planned });
            return resources;
          } catch (error) {
            if (context.signal?.aborted) throw error;
            const failure = error instanceof GoogleCallError ? error.failure : describeGoogleError(error);
            diagnostics.push(
              failureDiagnostic(failure, {
                api: "asset",
                action: `search the resources of GCP project ${scope}`,
                target: `projects/${scope}`,
                scope: { project: scope },
                attempts: error instanceof GoogleCallError ? error.attempts : 1,
              }),
            );
            coverage.push({ source: "gcp", scope: { project: scope }, status: "failed", resources: 0 });
            context.progress({ source: "gcp", scope, status: "failed", planned });
            return [];
          } finally {
            pacer.forget(scope);
          }
        }),
      ),
    );

    // A resource id seen twice (a project reached through two roots) is one resource.
    const seen = new Set<string>();
    const resources: Resource[] = [];
    for (const resource of perProject.flat()) {
      if (seen.has(resource.id)) continue;
      seen.add(resource.id);
      resources.push(resource);
    }
    // Projects finish in any order; the report should not change from run to run.
    const byScope = (a: { scope?: Record<string, string> }, b: { scope?: Record<string, string> }) =>
      JSON.stringify(a.scope ?? {}).localeCompare(JSON.stringify(b.scope ?? {}));
    coverage.sort(byScope);
    diagnostics.sort(byScope);
    return { resources, diagnostics, coverage };
  } finally {
    await clients.close();
  }
};
