/**
 * A local Azure Resource Manager over HTTPS on 127.0.0.1, for running the real SDK clients in
 * tests and benchmarks. It speaks the ARM REST shapes landlord reads: the subscription list,
 * `resources.list` with absolute nextLinks on its own origin, Resource Graph queries paged by
 * `$skipToken` with per-user quota headers, throttling (with and without retry headers),
 * authorization failures and malformed pages. The certificate is minted per server with openssl
 * and trusted only by the clients given `server.clientOptions`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";

/** One resource as ARM's `GenericResourceExpanded`. */
export interface FakeArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  kind?: string;
  [field: string]: unknown;
}

/** A subscription the fake tenant holds. */
export interface FakeSubscription {
  subscriptionId: string;
  displayName?: string;
  /** @default "Enabled" */
  state?: string;
  /** Resources served by `resources.list`, sliced into pages of `pageSize`. */
  resources?: FakeArmResource[];
  /**
   * Recorded page bodies replayed verbatim instead of `resources` (their nextLinks are rewritten
   * to this server's origin and matched by `$skiptoken`).
   */
  recordedPages?: Array<{ value: unknown[]; nextLink?: string }>;
  /** Answer every read with 403 AuthorizationFailed. */
  forbidden?: boolean;
  /** Serve this page (1-based) malformed. */
  malformedPage?: { page: number; kind: "truncated-json" | "no-value" | "entry-without-id" };
}

/** How the fake throttles. */
export interface FakeThrottle {
  /** Fraction (0..1) of distinct request URLs whose first attempt is answered 429. */
  share: number;
  /** Which retry header the 429 carries. @default "retry-after-ms" */
  header?: "retry-after-ms" | "retry-after" | "none";
  /** Attempts of a throttled URL answered with `status` before it succeeds. @default 1 */
  attempts?: number;
  /** 429 (throttling) or a transient server error. @default 429 */
  status?: 429 | 500 | 503;
}

/** Options of {@link startFakeArm}. */
export interface FakeArmOptions {
  subscriptions: FakeSubscription[];
  /** Resources per `resources.list` page. @default 100 */
  pageSize?: number;
  /** Subscriptions per page of the subscription list. @default 100 */
  subscriptionPageSize?: number;
  /** Bearer token the server accepts; other tokens get 401. @default "fake-arm-token" */
  token?: string;
  throttle?: FakeThrottle;
  /** A token bucket per subscription (ARM's regional read limit): empty bucket means 429 with `retry-after-ms`. */
  rateLimit?: { bucket: number; refillPerSecond: number };
  /** Resource Graph per-user quota: `queries` per `windowMs`; exceeding it answers 429. */
  resourceGraphQuota?: { queries: number; windowMs: number };
  /** Resource Graph pages answered in the legacy table format. @default false */
  resourceGraphTableFormat?: boolean;
}

/** One request the fake saw. */
export interface FakeArmRequest {
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body of a POST. */
  body?: unknown;
}

/** A running fake. */
export interface FakeArm {
  /** `https://127.0.0.1:<port>`. */
  endpoint: string;
  /** PEM of the self-signed certificate. */
  ca: string;
  /** Client options that trust the certificate and retry fast; spread into `overrides.azure.clientOptions`. */
  clientOptions: Record<string, unknown>;
  /** A `TokenCredential` that hands out the accepted token. */
  credential: { getToken(): Promise<{ token: string; expiresOnTimestamp: number }> };
  requests: FakeArmRequest[];
  /** Number of 429 answers (and injected server errors) served. */
  throttled(): number;
  close(): Promise<void>;
}

let certificate: { cert: string; key: string } | undefined;

/** Mints (once per process) a self-signed certificate for 127.0.0.1 with openssl. */
export function testCertificate(): { cert: string; key: string } {
  if (certificate) return certificate;
  const folder = mkdtempSync(path.join(tmpdir(), "landlord-fake-arm-"));
  try {
    const keyFile = path.join(folder, "key.pem");
    const certFile = path.join(folder, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "ignore" },
    );
    certificate = { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
    return certificate;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** FNV-1a, to pick throttled URLs deterministically. */
function hashShare(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}

/** Deterministic resources for a subscription: `count` resources over a few types and regions. */
export function makeResources(subscriptionId: string, count: number): FakeArmResource[] {
  const kinds = [
    { type: "Microsoft.Web/sites", kind: "functionapp,linux" },
    { type: "Microsoft.Web/sites", kind: "app" },
    { type: "Microsoft.Storage/storageAccounts", kind: "StorageV2" },
    { type: "Microsoft.Compute/virtualMachines" },
    { type: "Microsoft.DocumentDB/databaseAccounts", kind: "GlobalDocumentDB" },
    { type: "Microsoft.Network/dnszones" },
  ];
  const locations = ["westeurope", "eastus", "koreacentral", "global"];
  return Array.from({ length: count }, (_, index) => {
    const shape = kinds[index % kinds.length] as { type: string; kind?: string };
    const name = `res-${index.toString().padStart(5, "0")}`;
    const resource: FakeArmResource = {
      id: `/subscriptions/${subscriptionId}/resourceGroups/rg-${index % 7}/providers/${shape.type}/${name}`,
      name,
      type: shape.type,
      location: shape.type === "Microsoft.Network/dnszones" ? "global" : (locations[index % 3] as string),
      tags: { app: `app-${index % 5}`, env: index % 2 === 0 ? "prod" : "dev" },
    };
    if (shape.kind) resource.kind = shape.kind;
    return resource;
  });
}

/** Deterministic subscription ids (GUID-shaped) `0000…0001` onwards. */
export function makeSubscriptionId(index: number): string {
  const hex = index.toString(16).padStart(12, "0");
  return `5ab0c0de-0000-4000-8000-${hex}`;
}

function sendJson(
  response: import("node:http").ServerResponse,
  status: number,
  body: unknown,
  headers = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-ms-ratelimit-remaining-subscription-reads": "11999",
    ...headers,
  });
  response.end(text);
}

function armError(code: string, message: string): unknown {
  return { error: { code, message } };
}

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeArm(options: FakeArmOptions): Promise<FakeArm> {
  const { cert, key } = testCertificate();
  const token = options.token ?? "fake-arm-token";
  const pageSize = options.pageSize ?? 100;
  const subscriptionPageSize = options.subscriptionPageSize ?? 100;
  const bySubscription = new Map(options.subscriptions.map((sub) => [sub.subscriptionId.toLowerCase(), sub]));
  const requests: FakeArmRequest[] = [];
  const attemptsByUrl = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  let quotaWindow = { start: Date.now(), used: 0 };
  let throttledCount = 0;
  let origin = "";

  const throttleFor = (url: string): Record<string, string> | undefined => {
    const throttle = options.throttle;
    if (!throttle || throttle.share <= 0) return undefined;
    if (hashShare(url) >= throttle.share) return undefined;
    const seen = attemptsByUrl.get(url) ?? 0;
    attemptsByUrl.set(url, seen + 1);
    if (seen >= (throttle.attempts ?? 1)) return undefined;
    const header = throttle.header ?? "retry-after-ms";
    if (header === "none") return {};
    return header === "retry-after-ms" ? { "retry-after-ms": "5" } : { "retry-after": "0" };
  };

  const rateLimited = (scope: string): number | undefined => {
    const limit = options.rateLimit;
    if (!limit) return undefined;
    const now = Date.now();
    const bucket = buckets.get(scope) ?? { tokens: limit.bucket, at: now };
    bucket.tokens = Math.min(
      limit.bucket,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond,
    );
    bucket.at = now;
    buckets.set(scope, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - bucket.tokens) / limit.refillPerSecond) * 1000);
  };

  const server = https.createServer({ cert, key }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", origin);
      const record: FakeArmRequest = {
        method: request.method ?? "GET",
        path: `${url.pathname}${url.search}`,
        status: 0,
      };
      requests.push(record);
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        record.status = status;
        if (status === 429 || (status >= 500 && options.throttle?.status === status)) throttledCount++;
        sendJson(response, status, body, headers);
      };
      if (request.headers.authorization !== `Bearer ${token}`) {
        reply(401, armError("InvalidAuthenticationToken", "The access token is invalid."));
        return;
      }
      const throttleHeaders = throttleFor(`${request.method} ${url.pathname}${url.search}${chunks.join("")}`);
      if (throttleHeaders) {
        reply(
          options.throttle?.status ?? 429,
          armError(
            "SubscriptionRequestsThrottled",
            "Number of 'read' requests exceeded. Please try again after '1' seconds. Refer to https://aka.ms/arm-throttling",
          ),
          throttleHeaders,
        );
        return;
      }
      const segments = url.pathname.split("/").filter(Boolean);
      if (request.method === "GET" && segments.length === 1 && segments[0] === "subscriptions") {
        const offset = Number(url.searchParams.get("$skiptoken") ?? "0");
        const slice = options.subscriptions.slice(offset, offset + subscriptionPageSize).map((sub) => ({
          id: `/subscriptions/${sub.subscriptionId}`,
          subscriptionId: sub.subscriptionId,
          tenantId: "00000000-0000-0000-0000-000000000003",
          displayName: sub.displayName ?? `Subscription ${sub.subscriptionId.slice(-4)}`,
          state: sub.state ?? "Enabled",
          subscriptionPolicies: {
            locationPlacementId: "Public_2014-09-01",
            quotaId: "PayAsYouGo_2014-09-01",
          },
          authorizationSource: "RoleBased",
        }));
        const next = offset + subscriptionPageSize;
        reply(200, {
          value: slice,
          ...(next < options.subscriptions.length
            ? { nextLink: `${origin}/subscriptions?api-version=2022-12-01&$skiptoken=${next}` }
            : {}),
          count: { type: "Total", value: options.subscriptions.length },
        });
        return;
      }
      if (
        request.method === "GET" &&
        segments.length === 3 &&
        segments[0] === "subscriptions" &&
        segments[2] === "resources"
      ) {
        const subscriptionId = decodeURIComponent(segments[1] ?? "");
        const subscription = bySubscription.get(subscriptionId.toLowerCase());
        if (!subscription) {
          reply(
            404,
            armError("SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`),
          );
          return;
        }
        if (subscription.forbidden) {
          reply(
            403,
            armError(
              "AuthorizationFailed",
              `The client 'landlord-test' with object id '0000' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resources/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. (token was Bearer ${token})`,
            ),
          );
          return;
        }
        const wait = rateLimited(subscriptionId.toLowerCase());
        if (wait !== undefined) {
          reply(429, armError("SubscriptionRequestsThrottled", "Too many reads."), {
            "retry-after-ms": String(wait),
          });
          return;
        }
        const skiptoken = url.searchParams.get("$skiptoken");
        let pageIndex: number;
        let body: { value: unknown[]; nextLink?: string };
        if (subscription.recordedPages) {
          const pages = subscription.recordedPages;
          pageIndex = 0;
          if (skiptoken !== null) {
            pageIndex = pages.findIndex((_page, index) => {
              const previous = index > 0 ? pages[index - 1]?.nextLink : undefined;
              return previous !== undefined && new URL(previous).searchParams.get("$skiptoken") === skiptoken;
            });
          }
          const page = pages[pageIndex];
          if (!page) {
            reply(400, armError("InvalidSkipToken", "Unknown $skiptoken."));
            return;
          }
          body = { value: page.value };
          if (page.nextLink)
            body.nextLink = page.nextLink.replace(/^https:\/\/management\.azure\.com/i, origin);
        } else {
          const resources = subscription.resources ?? [];
          const offset =
            skiptoken === null ? 0 : Number(Buffer.from(skiptoken, "base64url").toString("utf8"));
          pageIndex = Math.floor(offset / pageSize);
          body = { value: resources.slice(offset, offset + pageSize) };
          const next = offset + pageSize;
          if (next < resources.length) {
            const link = new URL(`${origin}/subscriptions/${subscription.subscriptionId}/resources`);
            link.searchParams.set("api-version", url.searchParams.get("api-version") ?? "2025-04-01");
            link.searchParams.set("$skiptoken", Buffer.from(String(next)).toString("base64url"));
            body.nextLink = link.toString();
          }
        }
        const malformed = subscription.malformedPage;
        if (malformed && malformed.page === pageIndex + 1) {
          record.status = 200;
          if (malformed.kind === "truncated-json") {
            response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
            response.end(JSON.stringify(body).slice(0, 40));
            return;
          }
          if (malformed.kind === "no-value") {
            reply(200, { nextLink: body.nextLink });
            return;
          }
          reply(200, { ...body, value: [{ name: "no-id", type: "Microsoft.Web/sites" }, ...body.value] });
          return;
        }
        reply(200, body);
        return;
      }
      if (
        request.method === "POST" &&
        url.pathname.toLowerCase() === "/providers/microsoft.resourcegraph/resources"
      ) {
        const quota = options.resourceGraphQuota;
        const now = Date.now();
        const headers: Record<string, string> = {};
        if (quota) {
          if (now - quotaWindow.start >= quota.windowMs) quotaWindow = { start: now, used: 0 };
          const resetMs = Math.max(0, quotaWindow.start + quota.windowMs - now);
          const resetsAfter = `00:00:${(resetMs / 1000).toFixed(3).padStart(6, "0")}`;
          if (quotaWindow.used >= quota.queries) {
            reply(429, armError("RateLimiting", "Please provide below info when asking for support"), {
              "x-ms-user-quota-remaining": "0",
              "x-ms-user-quota-resets-after": resetsAfter,
            });
            return;
          }
          quotaWindow.used++;
          headers["x-ms-user-quota-remaining"] = String(quota.queries - quotaWindow.used);
          headers["x-ms-user-quota-resets-after"] = resetsAfter;
        }
        let query: {
          subscriptions?: string[];
          options?: { $top?: number; $skipToken?: string; resultFormat?: string };
        };
        try {
          query = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          reply(400, armError("BadRequest", "Body is not JSON."));
          return;
        }
        record.body = query;
        const scope = (query.subscriptions ?? []).map((id) => bySubscription.get(id.toLowerCase()));
        const rows = scope
          .filter((sub): sub is FakeSubscription => sub !== undefined && !sub.forbidden)
          .flatMap((sub) =>
            (sub.resources ?? []).map((resource) => ({
              id: resource.id,
              name: resource.name,
              type: resource.type.toLowerCase(),
              location: resource.location ?? "",
              tags: resource.tags ?? {},
              kind: resource.kind ?? "",
              subscriptionId: sub.subscriptionId,
            })),
          )
          .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
        const top = Math.min(query.options?.$top ?? 100, 1000);
        const offset = query.options?.$skipToken
          ? Number(Buffer.from(query.options.$skipToken, "base64url").toString())
          : 0;
        const page = rows.slice(offset, offset + top);
        const columns = ["id", "name", "type", "location", "tags", "kind", "subscriptionId"];
        const data = options.resourceGraphTableFormat
          ? {
              columns: columns.map((name) => ({ name, type: name === "tags" ? "object" : "string" })),
              rows: page.map((row) => columns.map((column) => row[column as keyof typeof row])),
            }
          : page;
        const next = offset + top;
        reply(
          200,
          {
            totalRecords: rows.length,
            count: page.length,
            resultTruncated: "false",
            ...(next < rows.length ? { $skipToken: Buffer.from(String(next)).toString("base64url") } : {}),
            data,
            facets: [],
          },
          headers,
        );
        return;
      }
      reply(404, armError("NotFound", `No route for ${request.method} ${url.pathname}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("fake ARM did not bind a port");
  origin = `https://127.0.0.1:${address.port}`;
  const agent = new https.Agent({ ca: cert, keepAlive: true });
  return {
    endpoint: origin,
    ca: cert,
    clientOptions: { agent, retryOptions: { maxRetries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 40 } },
    credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    requests,
    throttled: () => throttledCount,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
