/**
 * A fake Google Cloud REST server on 127.0.0.1 (plain http) for the real Resource Manager v3 and
 * Cloud Asset v1 clients on their REST transport (`fallback: true`).
 *
 * Serves organizations:search, folders (list by parent, get), projects (list by parent, search,
 * get) and `{scope}:searchAllResources` for project, folder and organisation scopes, with opaque
 * `nextPageToken` paging. Injects what real Google does under load: 429 RESOURCE_EXHAUSTED for a
 * share of requests or above a rate limit, scripted failure bursts, and fixed errors for chosen
 * scopes (a forbidden project, a disabled API). Counts every request and answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OAuth2Client } from "google-auth-library";

export interface FakeOrganization {
  /** `organizations/123` */
  name: string;
  displayName?: string;
  directoryCustomerId?: string;
  state?: string;
}

export interface FakeFolder {
  /** `folders/456` */
  name: string;
  /** `organizations/123` or `folders/...` */
  parent: string;
  displayName?: string;
  state?: string;
}

export interface FakeProject {
  /** `projects/<number>` */
  name: string;
  projectId: string;
  parent?: string;
  displayName?: string;
  state?: string;
  labels?: Record<string, string>;
}

/** A Cloud Asset `ResourceSearchResult` as JSON. */
export type FakeAsset = { name: string } & Record<string, unknown>;

/** An error answered for every request addressing a scope. */
export interface FakeScopeError {
  status: number;
  body: unknown;
}

/** A scripted run of failures for requests whose path contains `path` (or matches it). */
export interface FakeFailureBurst {
  path: string | RegExp;
  status: number;
  /** How many matching requests fail before the route answers normally again. */
  times: number;
}

export interface FakeGoogleOptions {
  organizations?: FakeOrganization[];
  folders?: FakeFolder[];
  projects?: FakeProject[];
  /** Resources per project id. */
  assets?: Record<string, FakeAsset[]>;
  /** The bearer token every request must carry. @default "test-token" */
  accessToken?: string;
  /** Largest page the server hands out, whatever the client asks for. @default 500 */
  maxPageSize?: number;
  /** Errors answered for a scope: `projects/<id>`, `folders/<id>`, `organizations/<id>`. */
  scopeErrors?: Record<string, FakeScopeError>;
  /** Failure bursts (e.g. five 503s on one route), consumed in order. */
  failures?: FakeFailureBurst[];
  /**
   * Answer this share (0..1) of requests with 429 RESOURCE_EXHAUSTED, deterministically from
   * `seed`; one request URL is never throttled more than `maxConsecutive` times in a row, so a
   * client with more attempts always gets through.
   */
  throttle?: { share: number; seed?: number; maxConsecutive?: number; retryAfterSeconds?: number };
  /**
   * Also act as the GCE metadata server (`GCE_METADATA_HOST=127.0.0.1:<port>`), handing out
   * `accessToken`, so Application Default Credentials can be tested without a real machine.
   */
  metadataServer?: boolean;
  /** A token bucket: above `requestsPerSecond` (after `burst`), requests get 429 with Retry-After. */
  rateLimit?: { requestsPerSecond: number; burst?: number };
  /** Largest page `searchAllResources` hands out; the hierarchy lists keep `maxPageSize`. @default maxPageSize */
  searchPageSize?: number;
  /**
   * A token bucket per project for `searchAllResources` at project scope (the scope the collector
   * reads): refilled at `requestsPerSecond`, holding at most `burst` tokens (one second's worth when
   * absent). An empty bucket answers 429 RESOURCE_EXHAUSTED with Google's quota body.
   */
  projectRateLimit?: { requestsPerSecond: number; burst?: number; hint?: FakeRetryHint };
  /**
   * Answer 429 RESOURCE_EXHAUSTED to this share (0..1) of the first attempts of project-scope
   * `searchAllResources` requests, evenly (every 1/share-th distinct request URL) and before the
   * rate limit counts them; the retry of a throttled request is not forced again.
   */
  throttleFirstAttempts?: { share: number; hint?: FakeRetryHint };
}

/**
 * What a 429 says about when to come back: nothing (as Cloud Asset's quota errors do), a
 * `Retry-After` header in whole seconds, or a `google.rpc.RetryInfo` detail with the exact delay.
 */
export type FakeRetryHint = "none" | "retry-after" | "retry-info";

/** One request the fake server answered. */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeGoogle {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: FakeRequest[];
  /** Options for every Google client: REST transport to this server over plain http. */
  clientOptions(): { fallback: true; apiEndpoint: string; port: number; protocol: "http" };
  /** How many answers had this HTTP status. */
  answered(status: number): number;
  /** The resources a search at `scope` (`projects/<id>`, `folders/..`, `organizations/..`) finds. */
  assetsIn(scope: string): FakeAsset[];
  /** `searchAllResources` requests answered, and how many of them were 429s. */
  searchStats(): { calls: number; throttled: number };
  close(): Promise<void>;
}

/** The shape of a generated organisation (see {@link makeOrganisation}). */
export interface FakeOrganisationShape {
  projects: number;
  projectsPerFolder: number;
  resourcesPerProject: number;
}

/**
 * A deterministic organisation for scale tests and benchmarks: `organizations/1` with `projects`
 * projects of `resourcesPerProject` instances each, `projectsPerFolder` to a folder.
 */
export function makeOrganisation(
  shape: FakeOrganisationShape,
): Required<Pick<FakeGoogleOptions, "organizations" | "folders" | "projects" | "assets">> {
  const perFolder = Math.max(1, shape.projectsPerFolder);
  const folders: FakeFolder[] = Array.from({ length: Math.ceil(shape.projects / perFolder) }, (_, index) => ({
    name: `folders/${7000 + index}`,
    parent: "organizations/1",
  }));
  const projects: FakeProject[] = [];
  const assets: Record<string, FakeAsset[]> = {};
  for (const [folderIndex, folder] of folders.entries()) {
    const inFolder = Math.min(perFolder, shape.projects - folderIndex * perFolder);
    for (let index = 0; index < inFolder; index++) {
      const number = 100_000 + folderIndex * perFolder + index;
      const projectId = `team-${folderIndex}-${index}`;
      projects.push({
        name: `projects/${number}`,
        projectId,
        parent: folder.name,
        labels: { team: `t${folderIndex}`, env: index % 3 ? "prod" : "dev" },
      });
      assets[projectId] = Array.from({ length: shape.resourcesPerProject }, (_, n) => ({
        name: `//compute.googleapis.com/projects/${projectId}/zones/us-central1-a/instances/vm-${n}`,
        assetType: "compute.googleapis.com/Instance",
        project: `projects/${number}`,
        location: "us-central1-a",
        labels: { app: `app-${n % 13}` },
      }));
    }
  }
  return { organizations: [{ name: "organizations/1" }], folders, projects, assets };
}

/** An OAuth2 client with a static access token: it never refreshes, so it never leaves 127.0.0.1. */
export function staticAuthClient(accessToken = "test-token"): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
  return client;
}

/** Google's error body. */
export function googleError(code: number, status: string, message: string, details: unknown[] = []): unknown {
  return { error: { code, message, status, details } };
}

/** 403 PERMISSION_DENIED as Cloud Asset answers it for a scope the caller cannot read. */
export function permissionDenied(scope: string): FakeScopeError {
  return {
    status: 403,
    body: googleError(
      403,
      "PERMISSION_DENIED",
      `The caller does not have permission: cloudasset.assets.searchAllResources on ${scope}`,
      [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "IAM_PERMISSION_DENIED",
          domain: "cloudasset.googleapis.com",
        },
      ],
    ),
  };
}

/** 403 SERVICE_DISABLED: the Cloud Asset API is not enabled in the consumer project. */
export function serviceDisabled(consumerNumber: string): FakeScopeError {
  return {
    status: 403,
    body: googleError(
      403,
      "PERMISSION_DENIED",
      `Cloud Asset API has not been used in project ${consumerNumber} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudasset.googleapis.com/overview?project=${consumerNumber} then retry.`,
      [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "SERVICE_DISABLED",
          domain: "googleapis.com",
          metadata: { service: "cloudasset.googleapis.com", consumer: `projects/${consumerNumber}` },
        },
      ],
    ),
  };
}

const QUOTA_BODY = googleError(
  429,
  "RESOURCE_EXHAUSTED",
  "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'cloudasset.googleapis.com' for consumer 'project_number:000000000000'.",
  [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "RATE_LIMIT_EXCEEDED",
      domain: "googleapis.com",
      metadata: { service: "cloudasset.googleapis.com", quota_limit_value: "400" },
    },
  ],
);

/** 429 RESOURCE_EXHAUSTED for a project's search quota, with the retry hint asked for. */
function quotaAnswer(hint: FakeRetryHint, waitMs: number): HttpAnswer {
  if (hint === "retry-after") {
    return new HttpAnswer(429, QUOTA_BODY, { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) });
  }
  if (hint === "retry-info") {
    const body = QUOTA_BODY as { error: { details: unknown[] } };
    return new HttpAnswer(429, {
      error: {
        ...body.error,
        details: [
          ...body.error.details,
          {
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            retryDelay: `${(waitMs / 1000).toFixed(3)}s`,
          },
        ],
      },
    });
  }
  return new HttpAnswer(429, QUOTA_BODY);
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** mulberry32: a small seeded generator, so throttling is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isActive(state: string | undefined): boolean {
  return state === undefined || state === "ACTIVE";
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function notFound(what: string): HttpAnswer {
  return new HttpAnswer(404, googleError(404, "NOT_FOUND", `${what} not found.`));
}

/** What the GCE metadata server answers; every answer carries `Metadata-Flavor: Google`. */
function metadataAnswer(path: string, token: string): HttpAnswer {
  const headers = { "metadata-flavor": "Google" };
  if (path.endsWith("/token")) {
    return new HttpAnswer(200, { access_token: token, expires_in: 3600, token_type: "Bearer" }, headers);
  }
  if (path.endsWith("/project/project-id")) return new HttpAnswer(200, "metadata-project", headers);
  if (path.endsWith("/universe/universe-domain")) return new HttpAnswer(200, "googleapis.com", headers);
  return new HttpAnswer(200, {}, headers);
}

/** Starts the fake server on 127.0.0.1 on a free port. */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  // Real answers always carry a state.
  const organizations = (options.organizations ?? []).map((organization) => ({
    state: "ACTIVE",
    ...organization,
  }));
  const folders = (options.folders ?? []).map((folder) => ({ state: "ACTIVE", ...folder }));
  const projects = (options.projects ?? []).map((project) => ({ state: "ACTIVE", ...project }));
  const assets = options.assets ?? {};
  const token = options.accessToken ?? "test-token";
  const maxPageSize = options.maxPageSize ?? 500;
  const failures = (options.failures ?? []).map((burst) => ({ ...burst }));
  const random = seededRandom(options.throttle?.seed ?? 7);
  const consecutiveThrottles = new Map<string, number>();
  const requests: FakeRequest[] = [];
  const bucket = options.rateLimit
    ? { tokens: options.rateLimit.burst ?? options.rateLimit.requestsPerSecond, at: Date.now() }
    : undefined;
  const searchPageSize = options.searchPageSize ?? maxPageSize;
  const projectBuckets = new Map<string, { tokens: number; at: number }>();
  const firstAttemptsSeen = new Set<string>();
  let firstAttempts = 0;
  let searchCalls = 0;
  let searchThrottled = 0;

  /** Milliseconds until `projectId`'s bucket holds a token, or undefined after taking one. */
  const projectRateLimited = (projectId: string): number | undefined => {
    const limit = options.projectRateLimit;
    if (!limit) return undefined;
    const capacity = limit.burst ?? limit.requestsPerSecond;
    const now = Date.now();
    const state = projectBuckets.get(projectId) ?? { tokens: capacity, at: now };
    state.tokens = Math.min(capacity, state.tokens + ((now - state.at) / 1000) * limit.requestsPerSecond);
    state.at = now;
    projectBuckets.set(projectId, state);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - state.tokens) / limit.requestsPerSecond) * 1000);
  };

  /** True when this first attempt of a request is one the forced share throttles. */
  const forcedThrottle = (requestUrl: string): boolean => {
    const share = options.throttleFirstAttempts?.share ?? 0;
    if (share <= 0 || firstAttemptsSeen.has(requestUrl)) return false;
    firstAttemptsSeen.add(requestUrl);
    const before = Math.floor(firstAttempts * share);
    firstAttempts++;
    return Math.floor(firstAttempts * share) > before;
  };

  const projectById = (idOrNumber: string) =>
    projects.find((project) => project.projectId === idOrNumber || project.name === `projects/${idOrNumber}`);

  /** Folder and organisation ancestors of a parent, innermost first. */
  const ancestors = (parent: string | undefined): string[] => {
    const chain: string[] = [];
    let current = parent;
    while (current) {
      chain.push(current);
      current = folders.find((folder) => folder.name === current)?.parent;
    }
    return chain;
  };

  const assetsIn = (scope: string): FakeAsset[] => {
    const [kind, id = ""] = scope.split("/");
    if (kind === "projects") {
      const project = projectById(id);
      return project ? (assets[project.projectId] ?? []) : (assets[id] ?? []);
    }
    return projects
      .filter((project) => isActive(project.state) && ancestors(project.parent).includes(scope))
      .flatMap((project) => assets[project.projectId] ?? []);
  };

  const page = <T>(
    key: string,
    items: T[],
    query: URLSearchParams,
    field: string,
    defaultSize: number,
    largest = maxPageSize,
  ): HttpAnswer => {
    const asked = Number(query.get("pageSize") ?? "0");
    const size = Math.min(asked > 0 ? asked : defaultSize, largest);
    let offset = 0;
    const pageToken = query.get("pageToken");
    if (pageToken) {
      try {
        const decoded = JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8")) as {
          k: string;
          o: number;
        };
        if (decoded.k !== key) throw new Error("token for another request");
        offset = decoded.o;
      } catch {
        return new HttpAnswer(
          400,
          googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument: page_token."),
        );
      }
    }
    const slice = items.slice(offset, offset + size);
    const next =
      offset + size < items.length
        ? Buffer.from(JSON.stringify({ k: key, o: offset + size })).toString("base64url")
        : "";
    return new HttpAnswer(200, next ? { [field]: slice, nextPageToken: next } : { [field]: slice });
  };

  const scopeError = (scope: string): HttpAnswer | undefined => {
    const configured = options.scopeErrors?.[scope];
    if (configured) return new HttpAnswer(configured.status, configured.body);
    const [kind, id = ""] = scope.split("/");
    if (kind === "projects") {
      const project = projectById(id);
      const byOtherName =
        project &&
        (options.scopeErrors?.[`projects/${project.projectId}`] ?? options.scopeErrors?.[project.name]);
      if (byOtherName) return new HttpAnswer(byOtherName.status, byOtherName.body);
    }
    return undefined;
  };

  const route = (method: string, path: string, query: URLSearchParams, requestUrl: string): HttpAnswer => {
    if (method !== "GET")
      return new HttpAnswer(405, googleError(405, "UNIMPLEMENTED", `${method} not served`));
    if (path === "/v3/organizations:search") {
      return page(
        path,
        organizations.filter((o) => isActive(o.state)),
        query,
        "organizations",
        50,
      );
    }
    if (path === "/v3/folders") {
      const parent = query.get("parent") ?? "";
      const failed = scopeError(parent);
      if (failed) return failed;
      const children = folders.filter((folder) => folder.parent === parent && isActive(folder.state));
      return page(`${path}?${parent}`, children, query, "folders", 50);
    }
    if (path.startsWith("/v3/folders/")) {
      const name = path.slice("/v3/".length);
      const failed = scopeError(name);
      if (failed) return failed;
      const folder = folders.find((candidate) => candidate.name === name);
      return folder ? new HttpAnswer(200, folder) : notFound(name);
    }
    if (path === "/v3/projects") {
      const parent = query.get("parent") ?? "";
      const failed = scopeError(parent);
      if (failed) return failed;
      const showDeleted = query.get("showDeleted") === "true";
      const children = projects.filter(
        (project) => project.parent === parent && (showDeleted || isActive(project.state)),
      );
      return page(`${path}?${parent}`, children, query, "projects", 50);
    }
    if (path === "/v3/projects:search") {
      const onlyActive = /state:ACTIVE/i.test(query.get("query") ?? "");
      const found = projects.filter((project) => !onlyActive || isActive(project.state));
      return page(`${path}?${query.get("query") ?? ""}`, found, query, "projects", 50);
    }
    if (path.startsWith("/v3/projects/")) {
      const id = path.slice("/v3/projects/".length);
      const failed = scopeError(`projects/${id}`);
      if (failed) return failed;
      const project = projectById(id);
      return project ? new HttpAnswer(200, project) : notFound(`projects/${id}`);
    }
    const search = /^\/v1\/((?:projects|folders|organizations)\/[^/]+):searchAllResources$/.exec(path);
    if (search?.[1]) {
      const scope = search[1];
      const failed = scopeError(scope);
      if (failed) return failed;
      const [kind, id = ""] = scope.split("/");
      const exists =
        kind === "projects"
          ? projectById(id) !== undefined || assets[id] !== undefined
          : kind === "folders"
            ? folders.some((folder) => folder.name === scope)
            : organizations.some((organization) => organization.name === scope);
      if (!exists) {
        // Google answers 403, not 404, for a scope the caller cannot see (it may or may not exist).
        const denied = permissionDenied(scope);
        return new HttpAnswer(denied.status, denied.body);
      }
      if (kind === "projects") {
        if (forcedThrottle(requestUrl)) {
          return quotaAnswer(options.throttleFirstAttempts?.hint ?? "none", 0);
        }
        const wait = projectRateLimited(projectById(id)?.projectId ?? id);
        if (wait !== undefined) return quotaAnswer(options.projectRateLimit?.hint ?? "none", wait);
      }
      const types = query.getAll("assetTypes");
      const found = assetsIn(scope).filter(
        (asset) => types.length === 0 || types.includes(String(asset["assetType"])),
      );
      return page(`${path}?${types.join(",")}`, found, query, "results", 100, searchPageSize);
    }
    return new HttpAnswer(404, googleError(404, "NOT_FOUND", `no route for ${path}`));
  };

  const injected = (url: string, path: string): HttpAnswer | undefined => {
    const burst = failures.find(
      (candidate) =>
        candidate.times > 0 &&
        (typeof candidate.path === "string" ? path.includes(candidate.path) : candidate.path.test(path)),
    );
    if (burst) {
      burst.times--;
      const name = STATUS_NAMES[burst.status] ?? "UNKNOWN";
      return new HttpAnswer(
        burst.status,
        googleError(
          burst.status,
          name,
          burst.status === 429 ? "Quota exceeded." : "The service is currently unavailable.",
        ),
      );
    }
    if (bucket && options.rateLimit) {
      const now = Date.now();
      const rate = options.rateLimit.requestsPerSecond;
      bucket.tokens = Math.min(
        options.rateLimit.burst ?? rate,
        bucket.tokens + ((now - bucket.at) / 1000) * rate,
      );
      bucket.at = now;
      if (bucket.tokens < 1) {
        const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
        return new HttpAnswer(429, QUOTA_BODY, { "retry-after": String(wait) });
      }
      bucket.tokens -= 1;
    }
    const throttle = options.throttle;
    if (throttle && throttle.share > 0) {
      const streak = consecutiveThrottles.get(url) ?? 0;
      if (streak < (throttle.maxConsecutive ?? 2) && random() < throttle.share) {
        consecutiveThrottles.set(url, streak + 1);
        const headers: Record<string, string> =
          throttle.retryAfterSeconds === undefined
            ? {}
            : { "retry-after": String(throttle.retryAfterSeconds) };
        return new HttpAnswer(429, QUOTA_BODY, headers);
      }
      consecutiveThrottles.delete(url);
    }
    return undefined;
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    let answer: HttpAnswer;
    if (options.metadataServer && path.startsWith("/computeMetadata/")) {
      answer = metadataAnswer(path, token);
    } else if (request.headers.authorization !== `Bearer ${token}`) {
      answer = new HttpAnswer(
        401,
        googleError(
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        ),
      );
    } else {
      answer =
        injected(request.url ?? "", path) ??
        route(request.method ?? "GET", path, url.searchParams, request.url ?? "");
    }
    if (path.endsWith(":searchAllResources")) {
      searchCalls++;
      if (answer.status === 429) searchThrottled++;
    }
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    requests.push({ method: request.method ?? "GET", path, query, status: answer.status });
    const text = typeof answer.body === "string";
    response.writeHead(answer.status, {
      "content-type": text ? "application/text" : "application/json; charset=UTF-8",
      ...answer.headers,
    });
    response.end(text ? answer.body : JSON.stringify(answer.body));
  };

  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => handle(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    clientOptions: () => ({ fallback: true, apiEndpoint: "127.0.0.1", port, protocol: "http" }),
    answered: (status) => requests.filter((request) => request.status === status).length,
    assetsIn,
    searchStats: () => ({ calls: searchCalls, throttled: searchThrottled }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
