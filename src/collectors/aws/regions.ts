/** Which regions one account is read in: the listed ones, or every region enabled for it. */
import { type AwsCredentialIdentityProvider, sdkModule } from "./sdk.js";
import type { AwsSession } from "./session.js";

/** Opt-in states of a region that is usable by the account. */
const ENABLED = new Set(["opt-in-not-required", "opted-in"]);

/** The regions enabled for the account behind `credentials` (EC2 DescribeRegions), sorted. */
export async function enabledRegions(
  session: AwsSession,
  credentials: AwsCredentialIdentityProvider,
): Promise<string[]> {
  const { EC2Client, DescribeRegionsCommand } = sdkModule(session.sdk, "ec2");
  const client = new EC2Client(session.clientConfig(session.homeRegion, credentials));
  const answer = await session.call("DescribeRegions", (abortSignal) =>
    client.send(new DescribeRegionsCommand({}), { abortSignal }),
  );
  const regions = (answer.Regions ?? [])
    .filter((region) => region.OptInStatus === undefined || ENABLED.has(region.OptInStatus))
    .map((region) => region.RegionName)
    .filter((name): name is string => Boolean(name));
  return [...new Set(regions)].sort();
}
