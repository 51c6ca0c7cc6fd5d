/** Maps one listed ARN (with its tags) to the normalized inventory resource. */
import type { Resource } from "../../inventory/types.js";
import { arnResource, parseArn, resourceRegion } from "./arn.js";

/** Where the ARN was listed. */
export interface ListingScope {
  /** The account whose credentials listed it; used when the ARN has no account (S3 buckets). */
  account: string;
  /** The region whose endpoint listed it, or the region Resource Explorer reported. */
  region?: string;
  /** `aws:<account>/<region>` or `aws:<account>/resource-explorer`. */
  source: string;
}

/** The resource for `arn`, or undefined when the text is not an ARN. */
export function toResource(
  arn: string,
  tags: Record<string, string>,
  scope: ListingScope,
): Resource | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  const { type, name } = arnResource(parsed);
  return {
    id: arn,
    provider: "aws",
    region: resourceRegion(parsed, scope.region),
    account: parsed.account !== "" ? parsed.account : scope.account,
    type,
    name,
    tags,
    source: scope.source,
  };
}
