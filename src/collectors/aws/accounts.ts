/** Which accounts one collection reads: the caller's, the organisation's, or an explicit list. */

import { PageTokens } from "./errors.js";
import { sdkModule } from "./sdk.js";
import type { AwsSession } from "./session.js";

/** The scanning identity, from STS GetCallerIdentity. */
export interface CallerIdentity {
  account: string;
  /** Partition of the caller's ARN: `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
}

/** Asks STS who the base credentials belong to. */
export async function callerIdentity(session: AwsSession): Promise<CallerIdentity> {
  const { STSClient, GetCallerIdentityCommand } = session.sdk.sts;
  const client = new STSClient(session.clientConfig(session.homeRegion, session.baseCredentials));
  const answer = await session.call("GetCallerIdentity", (abortSignal) =>
    client.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  const account = answer.Account ?? "";
  const partition = answer.Arn?.split(":")[1] || "aws";
  return { account, partition };
}

/** Lists the ACTIVE accounts of the organisation (all pages). */
export async function organizationAccounts(session: AwsSession): Promise<string[]> {
  const { OrganizationsClient, ListAccountsCommand } = sdkModule(session.sdk, "organizations");
  const client = new OrganizationsClient(session.clientConfig(session.homeRegion, session.baseCredentials));
  const accounts: string[] = [];
  let nextToken: string | undefined;
  const tokens = new PageTokens("ListAccounts");
  do {
    const token = nextToken;
    const page = await session.call("ListAccounts", (abortSignal) =>
      client.send(new ListAccountsCommand(token ? { NextToken: token } : {}), { abortSignal }),
    );
    for (const account of page.Accounts ?? []) {
      // The newer `State` field replaces `Status`; either one says whether the account is live.
      const state = account.State ?? account.Status;
      if (account.Id && (state === undefined || state === "ACTIVE")) accounts.push(account.Id);
    }
    nextToken = tokens.next(page.NextToken);
  } while (nextToken);
  return accounts;
}
