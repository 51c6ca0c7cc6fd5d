/**
 * Reads an account through AWS Resource Explorer (ListResources on a view), which also sees resources
 * that were never tagged. One aggregator index answers for every region of the account (or of the
 * organisation, for an organisation-wide view).
 */
import type { Resource } from "../../inventory/types.js";
import { PageTokens } from "./errors.js";
import { toResource } from "./resource.js";
import { type AwsCredentialIdentityProvider, sdkModule } from "./sdk.js";
import type { AwsSession } from "./session.js";
import { type AwsTag, tagsToRecord } from "./tags.js";

/** What a Resource Explorer listing cannot see. */
export const RESOURCE_EXPLORER_NOTE =
  "Resource Explorer lists resources of the indexed regions and supported types, including untagged ones; tags appear only when the view includes the `tags` property.";

/** Resources read so far and, when a page failed, the error that stopped the listing. */
export interface ExplorerListing {
  resources: Resource[];
  error?: unknown;
}

/** The view and region landlord lists, from the `resourceExplorer` option. */
export function explorerTarget(session: AwsSession): { region: string; viewArn?: string } {
  const option = session.config.resourceExplorer;
  const settings = typeof option === "object" ? option : {};
  const viewRegion = settings.viewArn?.split(":")[3];
  const region = settings.region ?? (viewRegion || session.homeRegion);
  return settings.viewArn ? { region, viewArn: settings.viewArn } : { region };
}

/** Lists every resource the view shows, keeping only the configured regions. */
export async function listExplorerResources(
  session: AwsSession,
  account: string,
  credentials: AwsCredentialIdentityProvider,
  regionFilter: ReadonlySet<string> | undefined,
): Promise<ExplorerListing> {
  const { ResourceExplorer2Client, ListResourcesCommand } = sdkModule(session.sdk, "resourceExplorer");
  const target = explorerTarget(session);
  const client = new ResourceExplorer2Client(session.clientConfig(target.region, credentials));
  const resources: Resource[] = [];
  const tokens = new PageTokens("ListResources");
  try {
    let token: string | undefined;
    do {
      const pageToken = token;
      await session.rateLimiter.take(`${account}/resource-explorer`, session.context.signal);
      const page = await session.call("ListResources", (abortSignal) =>
        client.send(
          new ListResourcesCommand({
            MaxResults: 1000,
            ...(target.viewArn ? { ViewArn: target.viewArn } : {}),
            ...(pageToken ? { NextToken: pageToken } : {}),
          }),
          { abortSignal },
        ),
      );
      for (const item of page.Resources ?? []) {
        if (!item.Arn) continue;
        const region = item.Region && item.Region !== "global" ? item.Region : undefined;
        const owner = item.OwningAccountId ?? account;
        const tagsProperty = item.Properties?.find((property) => property.Name === "tags");
        const tags = Array.isArray(tagsProperty?.Data) ? tagsToRecord(tagsProperty.Data as AwsTag[]) : {};
        const resource = toResource(item.Arn, tags, {
          account: owner,
          ...(region ? { region } : {}),
          source: `aws:${owner}/resource-explorer`,
        });
        if (!resource) continue;
        if (regionFilter && resource.region !== "global" && !regionFilter.has(resource.region ?? ""))
          continue;
        resources.push(resource);
      }
      token = tokens.next(page.NextToken);
    } while (token);
    return { resources };
  } catch (error) {
    return { resources, error };
  }
}
