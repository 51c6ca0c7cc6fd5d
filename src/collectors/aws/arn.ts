/**
 * ARN parsing and the mapping of one ARN to the normalized resource fields.
 * Partition-aware: `aws`, `aws-cn`, `aws-us-gov` (and the isolated partitions) all map to provider `aws`;
 * the region code says whether the resource lives in China or GovCloud.
 */

/** The parts of `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  partition: string;
  service: string;
  /** Empty for global services (IAM, CloudFront, Organizations) and for S3 buckets. */
  region: string;
  /** Empty for S3 buckets. */
  account: string;
  /** Everything after the fifth colon, e.g. `instance/i-0abc`, `function:checkout`, `my-bucket`. */
  resource: string;
}

const KNOWN_PARTITION = /^aws(-[a-z]+(-[a-z]+)*)?$/;

/** Parses an ARN; undefined when the text is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition = "", service = "", region = "", account = ""] = parts;
  if (!KNOWN_PARTITION.test(partition) || service === "") return undefined;
  const resource = parts.slice(5).join(":");
  if (resource === "") return undefined;
  return { partition, service, region, account, resource };
}

/**
 * Resource types of services whose ARNs carry only a name (`arn:aws:sqs:eu-west-1:123:orders`), in the
 * `service:resourceType` form the Tagging API's `ResourceTypeFilters` uses.
 */
const NAME_ONLY_TYPES: Record<string, string> = {
  s3: "bucket",
  sns: "topic",
  sqs: "queue",
  codecommit: "repository",
};

const SLASH = "/".charCodeAt(0);

/** Type and display name read from an ARN's resource part. */
export interface ArnResource {
  /** `service:resourceType` (`ec2:instance`, `s3:bucket`, `lambda:function`), or `service` alone. */
  type: string;
  name: string;
}

/**
 * Splits the resource part: `instance/i-0abc` and `function:checkout` carry a type before the first
 * separator; `/restapis/abc/stages/prod` (API Gateway style) before the second slash; a bare name
 * takes the service's only resource type.
 */
export function arnResource(parsed: ParsedArn): ArnResource {
  let rest = parsed.resource;
  if (rest.startsWith("/")) rest = rest.slice(1);
  // Log group ARNs may end in `:*`, keyspaces in `/`: neither is part of the name.
  if (rest.endsWith(":*")) rest = rest.slice(0, -2);
  let end = rest.length;
  while (end > 0 && rest.charCodeAt(end - 1) === SLASH) end--;
  if (end < rest.length) rest = rest.slice(0, end);
  // String searches rather than regular expressions: this runs once per collected resource.
  const slash = rest.indexOf("/");
  const colon = rest.indexOf(":");
  const separator = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
  if (separator <= 0) {
    const onlyType = NAME_ONLY_TYPES[parsed.service];
    return { type: onlyType ? `${parsed.service}:${onlyType}` : parsed.service, name: rest };
  }
  const resourceType = rest.slice(0, separator);
  const name = rest.slice(separator + 1);
  return { type: `${parsed.service}:${resourceType}`, name: name === "" ? resourceType : name };
}

/** Services whose ARNs have no region although each resource lives in one region. */
const REGIONAL_WITHOUT_ARN_REGION = new Set(["s3"]);

/**
 * The region a resource is reported in. An empty ARN region means a global service (`global`), except
 * for S3 buckets: their ARNs omit the region, but the Tagging API lists each bucket only in the region
 * that holds it, which matters for residency rules.
 */
export function resourceRegion(parsed: ParsedArn, listedRegion: string | undefined): string {
  if (parsed.region !== "") return parsed.region;
  if (listedRegion && REGIONAL_WITHOUT_ARN_REGION.has(parsed.service)) return listedRegion;
  return "global";
}

/** True when the resource is global (listed by every region's Tagging endpoint, kept once). */
export function isGlobalArn(parsed: ParsedArn): boolean {
  return parsed.region === "" && !REGIONAL_WITHOUT_ARN_REGION.has(parsed.service);
}
