/**
 * A fake AWS on 127.0.0.1 that the real SDK v3 clients talk to over plain http.
 *
 * Speaks AWS JSON 1.1 (Tagging GetResources, Organizations ListAccounts), restJson1 (Resource Explorer
 * ListResources) and the query protocol with XML answers (STS GetCallerIdentity / AssumeRole, EC2
 * DescribeRegions). Routes by `x-amz-target`, path, or form `Action`; reads the region from the SigV4
 * credential scope and the calling account from the access key id. Signatures are not checked.
 *
 * Reusable by benchmarks: hundreds of accounts, per account-region rate limits, a throttle share.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One resource as GetResources returns it. */
export interface FakeResource {
  arn: string;
  tags?: Record<string, string>;
  /** Listed by Resource Explorer only (never tagged, so invisible to the Tagging API). */
  untagged?: boolean;
}

/** One account of the fake organisation. */
export interface FakeAccount {
  id: string;
  /** `ACTIVE` unless given. */
  status?: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
  /** AssumeRole into this account is denied. */
  denyAssumeRole?: boolean;
  /** GetResources in this account answers AccessDeniedException. */
  denyTagging?: boolean;
  /** AssumeRole requires this external id. */
  externalId?: string;
  /** Regional resources by region code. */
  resources?: Record<string, FakeResource[]>;
  /** Global resources (empty region in the ARN): returned by every region's GetResources. */
  globalResources?: FakeResource[];
  /** Regions this account has opted in to, on top of the server's default-enabled ones. */
  optedIn?: string[];
}

/** A region the fake server knows. */
export interface FakeRegion {
  name: string;
  /** `opt-in-not-required` (default), `opted-in` or `not-opted-in`; opted-in status is per account. */
  optIn?: "opt-in-not-required" | "not-opted-in";
}

/** Options of {@link startFakeAws}. */
export interface FakeAwsOptions {
  /** The management / caller account: the static test keys belong to it. */
  callerAccount: string;
  accounts: FakeAccount[];
  regions: FakeRegion[];
  /** Maximum resources per GetResources page (the client asks for 100). @default 100 */
  pageSize?: number;
  /** Maximum accounts per ListAccounts page. @default 20 */
  accountsPageSize?: number;
  /**
   * Share (0..1) of first attempts of GetResources answered with ThrottledException, spread evenly
   * and deterministically. Retries go through. @default 0
   */
  throttleShare?: number;
  /** Per account-region GetResources calls per second; beyond it: ThrottledException. */
  rateLimitPerSecond?: number;
  /** Regions whose GetResources never answers (the client's timeout must cut it off). */
  hangRegions?: string[];
  /** Partition of the ARNs the server makes up (caller, roles). @default "aws" */
  partition?: string;
  /**
   * Recorded GetResources response bodies to serve verbatim, by region, for every account: the
   * pages of one region are chained with the server's own tokens (the last keeps `""`).
   */
  replayGetResources?: Record<string, Record<string, unknown>[]>;
}

/** Counters of what the server saw, for assertions. */
export interface FakeAwsStats {
  /** Requests by operation name. */
  calls: Record<string, number>;
  /** Throttling answers sent. */
  throttled: number;
  /** Highest `attempt=N` seen in `amz-sdk-request`. */
  maxAttempt: number;
  /** Every access key id seen, for checking credentials do not leak. */
  secretsIssued: string[];
}

/** A running fake AWS. */
export interface FakeAws {
  /** `http://127.0.0.1:PORT` */
  url: string;
  stats: FakeAwsStats;
  /** Resources GetResources can return across all readable scopes (unique ARNs). */
  expectedArns(filter?: { accounts?: string[]; regions?: string[]; includeUntagged?: boolean }): string[];
  close(): Promise<void>;
}

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const accounts = new Map(options.accounts.map((account) => [account.id, account]));
  const partition = options.partition ?? "aws";
  const pageSize = options.pageSize ?? 100;
  const keyToAccount = new Map<string, string>();
  const stats: FakeAwsStats = { calls: {}, throttled: 0, maxAttempt: 0, secretsIssued: [] };
  const rateWindows = new Map<string, number[]>();
  let firstAttempts = 0;

  const account = (id: string): FakeAccount => accounts.get(id) ?? { id };

  const enabledRegions = (acct: FakeAccount): string[] =>
    options.regions
      .filter((region) => region.optIn !== "not-opted-in" || acct.optedIn?.includes(region.name))
      .map((region) => region.name);

  const taggedIn = (acct: FakeAccount, region: string): FakeResource[] => {
    const regional = (acct.resources?.[region] ?? []).filter((resource) => !resource.untagged);
    const global = (acct.globalResources ?? []).filter((resource) => !resource.untagged);
    return [...regional, ...global];
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        handle(request, Buffer.concat(chunks).toString("utf8"), response);
      } catch (error) {
        json(response, 500, { __type: "InternalFailure", message: String(error) });
      }
    });
  });

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const { accessKeyId, region } = signature(request);
    const callerAccount = accessKeyId ? (keyToAccount.get(accessKeyId) ?? options.callerAccount) : undefined;
    const attempt = Number(/attempt=(\d+)/.exec(String(request.headers["amz-sdk-request"] ?? ""))?.[1] ?? 1);
    stats.maxAttempt = Math.max(stats.maxAttempt, attempt);
    const target = String(request.headers["x-amz-target"] ?? "");

    if (target) {
      const operation = target.split(".")[1] ?? target;
      count(operation);
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (target === "ResourceGroupsTaggingAPI_20170126.GetResources") {
        getResources(response, input, callerAccount ?? options.callerAccount, region, attempt);
        return;
      }
      if (target === "AWSOrganizationsV20161128.ListAccounts") {
        listAccounts(response, input, callerAccount);
        return;
      }
      json(response, 400, { __type: "UnknownOperationException", message: `unknown target ${target}` });
      return;
    }

    if (request.url === "/ListResources") {
      count("ListResources");
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      listExplorerResources(response, input, callerAccount ?? options.callerAccount);
      return;
    }

    const form = new URLSearchParams(body);
    const action = form.get("Action") ?? "";
    count(action);
    if (action === "GetCallerIdentity") {
      const id = callerAccount ?? options.callerAccount;
      xml(
        response,
        200,
        `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:${partition}:iam::${id}:user/landlord</Arn><UserId>AIDAFAKE${id}</UserId><Account>${id}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
      return;
    }
    if (action === "AssumeRole") {
      assumeRole(response, form);
      return;
    }
    if (action === "DescribeRegions") {
      const acct = account(callerAccount ?? options.callerAccount);
      const all = form.get("AllRegions") === "true";
      const items = options.regions
        .filter((region) => all || enabledRegions(acct).includes(region.name))
        .map((region) => {
          const status =
            region.optIn === "not-opted-in"
              ? acct.optedIn?.includes(region.name)
                ? "opted-in"
                : "not-opted-in"
              : "opt-in-not-required";
          return `<item><regionName>${region.name}</regionName><regionEndpoint>ec2.${region.name}.amazonaws.com</regionEndpoint><optInStatus>${status}</optInStatus></item>`;
        })
        .join("");
      xml(
        response,
        200,
        `<DescribeRegionsResponse xmlns="${EC2_NS}"><requestId>${randomUUID()}</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
      );
      return;
    }
    xml(
      response,
      400,
      `<Response><Errors><Error><Code>InvalidAction</Code><Message>unknown action ${action}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
    );
  }

  function count(operation: string): void {
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
  }

  function getResources(
    response: ServerResponse,
    input: Record<string, unknown>,
    accountId: string,
    region: string,
    attempt: number,
  ): void {
    const acct = account(accountId);
    if (options.hangRegions?.includes(region)) return; // never answers; the client aborts
    if (!enabledRegions(acct).includes(region)) {
      json(response, 400, {
        __type: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
      });
      return;
    }
    if (acct.denyTagging) {
      json(response, 400, {
        __type: "AccessDeniedException",
        message: `User: arn:${partition}:sts::${accountId}:assumed-role/landlord is not authorized to perform: tag:GetResources`,
      });
      return;
    }
    if (attempt === 1 && options.throttleShare) {
      const before = Math.floor(firstAttempts * options.throttleShare);
      firstAttempts++;
      if (Math.floor(firstAttempts * options.throttleShare) > before) {
        throttle(response);
        return;
      }
    }
    if (options.rateLimitPerSecond !== undefined) {
      const key = `${accountId}/${region}`;
      const now = Date.now();
      const window = (rateWindows.get(key) ?? []).filter((time) => now - time < 1000);
      if (window.length >= options.rateLimitPerSecond) {
        rateWindows.set(key, window);
        throttle(response);
        return;
      }
      window.push(now);
      rateWindows.set(key, window);
    }
    const recorded = options.replayGetResources?.[region];
    if (options.replayGetResources) {
      const index = typeof input.PaginationToken === "string" ? decodeToken(input.PaginationToken) : 0;
      const body = recorded?.[index] ?? { ResourceTagMappingList: [] };
      const next = recorded && index + 1 < recorded.length ? encodeToken(index + 1) : "";
      json(response, 200, { ...body, PaginationToken: next });
      return;
    }
    const all = taggedIn(acct, region);
    const requested = typeof input.ResourcesPerPage === "number" ? input.ResourcesPerPage : 50;
    const size = Math.min(requested, pageSize);
    const offset = typeof input.PaginationToken === "string" ? decodeToken(input.PaginationToken) : 0;
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(offset + size) : "";
    json(response, 200, {
      PaginationToken: next,
      ResourceTagMappingList: page.map((resource) => ({
        ResourceARN: resource.arn,
        Tags: Object.entries(resource.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    });
  }

  function throttle(response: ServerResponse): void {
    stats.throttled++;
    json(response, 400, { __type: "ThrottledException", Message: "Rate exceeded" });
  }

  function listAccounts(
    response: ServerResponse,
    input: Record<string, unknown>,
    caller: string | undefined,
  ): void {
    if (caller !== options.callerAccount) {
      json(response, 400, {
        __type: "AccessDeniedException",
        Message: "You don't have permissions to access this resource.",
      });
      return;
    }
    const size = options.accountsPageSize ?? 20;
    const offset = typeof input.NextToken === "string" ? decodeToken(input.NextToken) : 0;
    const page = options.accounts.slice(offset, offset + size);
    const next = offset + size < options.accounts.length ? encodeToken(offset + size) : undefined;
    json(response, 200, {
      Accounts: page.map((acct) => ({
        Id: acct.id,
        Arn: `arn:${partition}:organizations::${options.callerAccount}:account/o-fake/${acct.id}`,
        Email: `${acct.id}@example.com`,
        Name: `account-${acct.id}`,
        Status: acct.status ?? "ACTIVE",
        JoinedMethod: "CREATED",
        JoinedTimestamp: 1_628_601_865,
      })),
      ...(next ? { NextToken: next } : {}),
    });
  }

  function assumeRole(response: ServerResponse, form: URLSearchParams): void {
    const roleArn = form.get("RoleArn") ?? "";
    const target = roleArn.split(":")[4] ?? "";
    const acct = accounts.get(target);
    const externalId = form.get("ExternalId") ?? undefined;
    if (!acct || acct.denyAssumeRole || (acct.externalId !== undefined && acct.externalId !== externalId)) {
      xml(
        response,
        403,
        `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:${partition}:iam::${options.callerAccount}:user/landlord is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
      return;
    }
    const accessKeyId = `ASIA${target}${String(keyToAccount.size).padStart(4, "0")}`;
    const secret = `Secret${randomUUID().replaceAll("-", "")}Xy9`;
    const token = `Token${randomUUID().replaceAll("-", "")}${randomUUID().replaceAll("-", "")}Zz8`;
    keyToAccount.set(accessKeyId, target);
    stats.secretsIssued.push(accessKeyId, secret, token);
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    xml(
      response,
      200,
      `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROAFAKE:landlord-scan</AssumedRoleId><Arn>arn:${partition}:sts::${target}:assumed-role/${roleArn.split("/").pop()}/landlord-scan</Arn></AssumedRoleUser><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey><SessionToken>${token}</SessionToken><Expiration>${expiration}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  function listExplorerResources(
    response: ServerResponse,
    input: Record<string, unknown>,
    accountId: string,
  ): void {
    const acct = account(accountId);
    const all: { resource: FakeResource; region: string }[] = [];
    for (const [region, resources] of Object.entries(acct.resources ?? {})) {
      for (const resource of resources) all.push({ resource, region });
    }
    for (const resource of acct.globalResources ?? []) all.push({ resource, region: "global" });
    const size = Math.min(typeof input.MaxResults === "number" ? input.MaxResults : 100, pageSize);
    const offset = typeof input.NextToken === "string" ? decodeToken(input.NextToken) : 0;
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(offset + size) : undefined;
    json(
      response,
      200,
      {
        Resources: page.map(({ resource, region }) => ({
          Arn: resource.arn,
          OwningAccountId: accountId,
          Region: region,
          ResourceType: resource.arn.split(":")[2],
          Service: resource.arn.split(":")[2],
          LastReportedAt: "2026-01-01T00:00:00Z",
          Properties: resource.tags
            ? [
                {
                  Name: "tags",
                  LastReportedAt: "2026-01-01T00:00:00Z",
                  Data: Object.entries(resource.tags).map(([Key, Value]) => ({ Key, Value })),
                },
              ]
            : [],
        })),
        ...(next ? { NextToken: next } : {}),
        ViewArn: `arn:${partition}:resource-explorer-2:us-east-1:${accountId}:view/default/1`,
      },
      "application/json",
    );
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    expectedArns(filter = {}) {
      const arns = new Set<string>();
      for (const acct of options.accounts) {
        if (filter.accounts && !filter.accounts.includes(acct.id)) continue;
        const regions = enabledRegions(acct).filter(
          (region) => !filter.regions || filter.regions.includes(region),
        );
        for (const region of regions) {
          for (const resource of acct.resources?.[region] ?? []) {
            if (!resource.untagged || filter.includeUntagged) arns.add(resource.arn);
          }
        }
        if (regions.length > 0) {
          for (const resource of acct.globalResources ?? []) {
            if (!resource.untagged || filter.includeUntagged) arns.add(resource.arn);
          }
        }
      }
      return [...arns].sort();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function signature(request: IncomingMessage): { accessKeyId: string | undefined; region: string } {
  const authorization = String(request.headers.authorization ?? "");
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  return { accessKeyId: match?.[1], region: match?.[2] ?? "us-east-1" };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset, nonce: randomUUID() })).toString("base64");
}

function decodeToken(token: string): number {
  const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown };
  return typeof parsed.offset === "number" ? parsed.offset : 0;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/x-amz-json-1.1",
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": contentType,
    "x-amzn-requestid": randomUUID(),
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function xml(response: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  response.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** Builds `count` synthetic resources of assorted types in one account-region. */
export function syntheticResources(
  account: string,
  region: string,
  count: number,
  partition = "aws",
): FakeResource[] {
  const kinds = [
    (i: number) => `arn:${partition}:ec2:${region}:${account}:instance/i-${i.toString(16).padStart(17, "0")}`,
    (i: number) => `arn:${partition}:dynamodb:${region}:${account}:table/orders-${i}`,
    (i: number) => `arn:${partition}:lambda:${region}:${account}:function:checkout-${i}`,
    (i: number) => `arn:${partition}:rds:${region}:${account}:db:pos-${i}`,
    (i: number) => `arn:${partition}:sqs:${region}:${account}:queue-${i}`,
  ];
  return Array.from({ length: count }, (_, i) => ({
    arn: kinds[i % kinds.length]!(i),
    tags: { env: i % 2 ? "prod" : "dev", app: `app-${i % 7}` },
  }));
}
