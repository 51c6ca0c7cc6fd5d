/**
 * The AWS collector: every account (caller, organisation, or explicit list), every enabled or listed
 * region, through the Resource Groups Tagging API and optionally Resource Explorer.
 *
 * Failures stay local: a denied account, a disabled region or a timeout becomes an `error` diagnostic
 * and a `failed` coverage entry for that scope, never a silently smaller inventory.
 */
import pLimit from "p-limit";
import type { Diagnostic } from "../../diagnostics.js";
import type { Resource } from "../../inventory/types.js";
import { inShard } from "../shard.js";
import type { CollectContext, Collector, CollectResult, CoverageEntry } from "../types.js";
import { type CallerIdentity, callerIdentity, organizationAccounts } from "./accounts.js";
import type { AwsSourceConfig } from "./config.js";
import { type AwsStep, failureDiagnostic } from "./errors.js";
import { enabledRegions } from "./regions.js";
import { explorerTarget, listExplorerResources, RESOURCE_EXPLORER_NOTE } from "./resource-explorer.js";
import { type AwsCredentialIdentityProvider, loadAwsSdk } from "./sdk.js";
import { AwsSession, CallTimeoutError, DEFAULTS } from "./session.js";
import { listTaggedResources, TAGGING_COVERAGE_NOTE } from "./tagging.js";

export type { AwsSourceConfig } from "./config.js";
export { awsSourceSchema } from "./config.js";

/** Resources one scope listed, before de-duplication across scopes. */
interface ScopeListing {
  account: string;
  /** A region code, or `resource-explorer`. */
  region: string;
  resources: Resource[];
  failed: boolean;
  note: string;
}

/** Collects the `aws:` source. */
export const collectAws: Collector<AwsSourceConfig> = async (config, context) => {
  const sdk = await loadAwsSdk({
    organizations: Boolean(config.organization),
    ec2: !Array.isArray(config.regions),
    credentials: context.overrides?.aws?.credentials === undefined,
    resourceExplorer: Boolean(config.resourceExplorer),
  });
  const session = new AwsSession(sdk, config, context);
  try {
    return await collectWith(session, config, context);
  } finally {
    session.close();
  }
};

async function collectWith(
  session: AwsSession,
  config: AwsSourceConfig,
  context: CollectContext,
): Promise<CollectResult> {
  const diagnostics: Diagnostic[] = [];
  const failedCoverage: CoverageEntry[] = [];
  const listings: ScopeListing[] = [];
  const listedRegions = Array.isArray(config.regions) ? [...new Set(config.regions)].sort() : undefined;

  const fail = (step: AwsStep, error: unknown, account?: string, region?: string): void => {
    diagnostics.push(
      failureDiagnostic(
        {
          step,
          error,
          ...(account ? { account } : {}),
          ...(region ? { region } : {}),
          ...(error instanceof CallTimeoutError ? { timedOut: true, timeoutMs: error.timeoutMs } : {}),
        },
        session.scrubber,
      ),
    );
  };
  const failScopes = (account: string, regions: readonly string[] | undefined): void => {
    for (const region of regions ?? ["all"]) {
      failedCoverage.push({
        source: "aws",
        scope: { account, region },
        status: "failed",
        resources: 0,
        note: TAGGING_COVERAGE_NOTE,
      });
      context.progress({ source: "aws", scope: `${account}/${region}`, status: "failed" });
    }
  };

  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(session);
  } catch (error) {
    fail("GetCallerIdentity", error);
    failScopes("unknown", listedRegions);
    return { resources: [], diagnostics, coverage: failedCoverage };
  }

  let accounts: string[];
  const roleName = config.organization?.roleName ?? config.roleName;
  const externalId = config.organization?.externalId ?? config.externalId;
  if (config.organization) {
    try {
      accounts = await organizationAccounts(session);
    } catch (error) {
      fail("ListAccounts", error, caller.account);
      failScopes("organization", listedRegions);
      return { resources: [], diagnostics, coverage: failedCoverage };
    }
  } else {
    accounts = config.accounts ?? [caller.account];
  }
  accounts = [...new Set(accounts)].sort().filter((account) => inShard(account, context.shard));

  const limit = pLimit(config.concurrency ?? DEFAULTS.concurrency);
  const accountLimit = pLimit(config.concurrency ?? DEFAULTS.concurrency);
  // A few roles at a time, so that the first accounts' regions start reading as soon as their roles
  // come back instead of when the whole first wave of AssumeRole calls does.
  const roleLimit = pLimit(Math.min(config.concurrency ?? DEFAULTS.concurrency, 16));
  let planned = 0;

  const readAccount = async (account: string): Promise<void> => {
    let credentials: AwsCredentialIdentityProvider;
    if (account === caller.account) {
      credentials = session.baseCredentials;
    } else if (roleName) {
      credentials = session.assumeRole(account, caller.partition, roleName, externalId);
      try {
        await roleLimit(() => session.resolveCredentials(credentials));
      } catch (error) {
        fail("AssumeRole", error, account);
        failScopes(account, listedRegions);
        return;
      }
    } else {
      fail(
        "AssumeRole",
        new Error("no `roleName` is configured to reach an account other than the caller's"),
        account,
      );
      failScopes(account, listedRegions);
      return;
    }

    let regions: string[];
    if (listedRegions) {
      regions = listedRegions;
    } else {
      try {
        regions = await enabledRegions(session, credentials);
      } catch (error) {
        fail("DescribeRegions", error, account);
        failScopes(account, undefined);
        return;
      }
    }
    planned += regions.length;

    const regionTasks = regions.map((region) =>
      limit(async () => {
        const scope = `${account}/${region}`;
        context.progress({ source: "aws", scope, status: "started", planned });
        const listing = await listTaggedResources(session, account, region, credentials);
        if (listing.error !== undefined) fail("GetResources", listing.error, account, region);
        listings.push({
          account,
          region,
          resources: listing.resources,
          failed: listing.error !== undefined,
          note: TAGGING_COVERAGE_NOTE,
        });
        context.progress({
          source: "aws",
          scope,
          status: listing.error !== undefined ? "failed" : "done",
          resources: listing.resources.length,
          planned,
        });
      }),
    );

    if (config.resourceExplorer) {
      regionTasks.push(
        limit(async () => {
          const scope = `${account}/resource-explorer`;
          context.progress({ source: "aws", scope, status: "started", planned });
          const filter = listedRegions ? new Set(listedRegions) : undefined;
          const listing = await listExplorerResources(session, account, credentials, filter);
          const region = explorerTarget(session).region;
          if (listing.error !== undefined) fail("ListResources", listing.error, account, region);
          listings.push({
            account,
            region: "resource-explorer",
            resources: listing.resources,
            failed: listing.error !== undefined,
            note: RESOURCE_EXPLORER_NOTE,
          });
          context.progress({
            source: "aws",
            scope,
            status: listing.error !== undefined ? "failed" : "done",
            resources: listing.resources.length,
            planned,
          });
        }),
      );
    }
    await Promise.all(regionTasks);
  };

  await Promise.all(accounts.map((account) => accountLimit(() => readAccount(account))));
  return merge(listings, diagnostics, failedCoverage);
}

/**
 * Combines the scopes in a stable order (account, then region, Resource Explorer last so the Tagging
 * API's tags win) and keeps each ARN once: global resources come back from every region.
 */
function merge(
  listings: ScopeListing[],
  diagnostics: Diagnostic[],
  failedCoverage: CoverageEntry[],
): CollectResult {
  const order = (listing: ScopeListing): string =>
    `${listing.account}/${listing.region === "resource-explorer" ? "~" : listing.region}`;
  listings.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const byArn = new Map<string, Resource>();
  const coverage: CoverageEntry[] = [];
  for (const listing of listings) {
    let added = 0;
    for (const resource of listing.resources) {
      if (byArn.has(resource.id)) continue;
      byArn.set(resource.id, resource);
      added++;
    }
    coverage.push({
      source: "aws",
      scope: { account: listing.account, region: listing.region },
      status: listing.failed ? (listing.resources.length > 0 ? "partial" : "failed") : "complete",
      resources: added,
      note: listing.note,
    });
  }
  failedCoverage.sort((a, b) =>
    `${a.scope.account}/${a.scope.region}` < `${b.scope.account}/${b.scope.region}` ? -1 : 1,
  );
  return { resources: [...byArn.values()], diagnostics, coverage: [...coverage, ...failedCoverage] };
}
