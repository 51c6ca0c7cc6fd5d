/** Reads one account-region through the Resource Groups Tagging API (GetResources, every page). */
import type { RetryStrategyV2 } from "@aws-sdk/types";
import type { Resource } from "../../inventory/types.js";
import { MalformedResponseError, PageTokens } from "./errors.js";
import { type CallSignal, PacedRetryStrategy } from "./rate-limit.js";
import { toResource } from "./resource.js";
import type { AwsCredentialIdentityProvider } from "./sdk.js";
import { type AwsSession, DEFAULTS } from "./session.js";
import { tagsToRecord } from "./tags.js";

/** What the Tagging API cannot see; carried on every coverage entry it produces. */
export const TAGGING_COVERAGE_NOTE =
  "The Resource Groups Tagging API lists only resources that are or were tagged; resources never tagged are not seen (enable `resourceExplorer` to include them).";

/** Resources read so far and, when a page failed, the error that stopped the listing. */
export interface RegionListing {
  resources: Resource[];
  error?: unknown;
}

const PAGE_SIZE = 100;

/** Lists every resource of one account-region; a failure keeps the pages already read. */
export async function listTaggedResources(
  session: AwsSession,
  account: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): Promise<RegionListing> {
  const { ResourceGroupsTaggingAPIClient, GetResourcesCommand } = session.sdk.tagging;
  const base = session.clientConfig(region, credentials);
  const call: CallSignal = { signal: undefined };
  // Retries go through the account-region's bucket like first attempts, so neither exceeds its rate.
  const retryStrategy = new PacedRetryStrategy({
    bucket: session.rateLimiter.bucket(`${account}/${region}`),
    maxAttempts:
      typeof base["maxAttempts"] === "number"
        ? base["maxAttempts"]
        : (session.config.maxAttempts ?? DEFAULTS.maxAttempts),
    signal: session.context.signal,
    call,
    inner: isRetryStrategy(base["retryStrategy"]) ? base["retryStrategy"] : undefined,
  });
  const client = new ResourceGroupsTaggingAPIClient({
    ...base,
    retryStrategy,
    requestHandler: session.signalledHandler(call),
    cacheMiddleware: true,
  });
  const resources: Resource[] = [];
  const scope = { account, region, source: `aws:${account}/${region}` };
  const tokens = new PageTokens("GetResources");
  try {
    let token: string | undefined;
    do {
      const pageToken = token;
      const page = await session.call("GetResources", (abortSignal) => {
        call.signal = abortSignal;
        return client.send(
          new GetResourcesCommand({
            ResourcesPerPage: PAGE_SIZE,
            ...(pageToken ? { PaginationToken: pageToken } : {}),
          }),
        );
      });
      // A page without its list, an entry without a readable ARN or a repeated token is a broken
      // answer: taking it as "no more resources" would make the inventory silently smaller.
      if (!Array.isArray(page.ResourceTagMappingList))
        throw new MalformedResponseError("GetResources returned a page without ResourceTagMappingList");
      for (const mapping of page.ResourceTagMappingList) {
        const resource = mapping.ResourceARN
          ? toResource(mapping.ResourceARN, tagsToRecord(mapping.Tags), scope)
          : undefined;
        if (!resource)
          throw new MalformedResponseError(
            `GetResources returned an entry without a readable ARN (${JSON.stringify(mapping.ResourceARN ?? null).slice(0, 80)})`,
          );
        resources.push(resource);
      }
      token = tokens.next(page.PaginationToken);
    } while (token);
    return { resources };
  } catch (error) {
    return { resources, error };
  }
}

function isRetryStrategy(value: unknown): value is RetryStrategyV2 {
  return typeof value === "object" && value !== null && "refreshRetryTokenForRetry" in value;
}
