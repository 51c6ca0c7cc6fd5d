import { afterEach, describe, expect, it } from "vitest";
import { describeGoogleError } from "../../../src/collectors/gcp/errors.js";
import { collectGcp, gcpSourceSchema } from "../../../src/collectors/gcp/index.js";
import type { CollectContext, ProgressEvent } from "../../../src/collectors/types.js";
import {
  type FakeAsset,
  type FakeGoogle,
  type FakeGoogleOptions,
  permissionDenied,
  serviceDisabled,
  startFakeGoogle,
  staticAuthClient,
} from "./fake-google.js";

const TOKEN = "ya29.fake-landlord-test-token";
let server: FakeGoogle | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function context(
  fake: FakeGoogle,
  extra: Partial<CollectContext> = {},
): CollectContext & { events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return {
    baseDir: "/",
    env: {},
    progress: (event) => events.push(event),
    overrides: { gcp: { authClient: staticAuthClient(TOKEN), clientOptions: fake.clientOptions() } },
    events,
    ...extra,
  };
}

const FAST_RETRY = { attempts: 6, baseDelayMs: 2, maxDelayMs: 20 };

function assets(
  projectId: string,
  projectNumber: string,
  count: number,
  extra: (index: number) => Partial<FakeAsset> = () => ({}),
): FakeAsset[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `//compute.googleapis.com/projects/${projectId}/zones/europe-west4-b/instances/vm-${index}`,
    assetType: "compute.googleapis.com/Instance",
    project: `projects/${projectNumber}`,
    displayName: `vm-${index}`,
    location: "europe-west4-b",
    ...extra(index),
  }));
}

/** organizations/100 -> folders/200 (retail) -> folders/300 (shop) ; plus folders/400 (labs). */
function retailOrganization(): FakeGoogleOptions {
  return {
    accessToken: TOKEN,
    organizations: [{ name: "organizations/100", displayName: "example-retail.com" }],
    folders: [
      { name: "folders/200", parent: "organizations/100", displayName: "retail" },
      { name: "folders/300", parent: "folders/200", displayName: "shop" },
      { name: "folders/400", parent: "organizations/100", displayName: "labs" },
      { name: "folders/500", parent: "organizations/100", displayName: "gone", state: "DELETE_REQUESTED" },
    ],
    projects: [
      {
        name: "projects/1001",
        projectId: "shop-prod",
        parent: "folders/300",
        labels: { env: "prod", app: "shop" },
      },
      { name: "projects/1002", projectId: "shop-dev", parent: "folders/300", labels: { env: "dev" } },
      { name: "projects/1003", projectId: "data-lake", parent: "folders/200" },
      { name: "projects/1004", projectId: "labs-sandbox", parent: "folders/400" },
      { name: "projects/1005", projectId: "root-billing", parent: "organizations/100" },
      { name: "projects/1006", projectId: "old-thing", parent: "folders/400", state: "DELETE_REQUESTED" },
    ],
    assets: {
      "shop-prod": assets("shop-prod", "1001", 1234, (index) => ({
        labels: index % 2 === 0 ? { env: "canary", tier: "web" } : {},
      })),
      "shop-dev": assets("shop-dev", "1002", 3),
      "data-lake": [
        {
          name: "//storage.googleapis.com/lake-raw",
          assetType: "storage.googleapis.com/Bucket",
          project: "projects/1003",
          displayName: "lake-raw",
          location: "EU",
          labels: { "data-classification": "confidential" },
        },
        {
          name: "//bigquery.googleapis.com/projects/data-lake/datasets/sales",
          assetType: "bigquery.googleapis.com/Dataset",
          project: "projects/1003",
          location: "US",
        },
        {
          name: "//pubsub.googleapis.com/projects/data-lake/topics/events",
          assetType: "pubsub.googleapis.com/Topic",
          project: "projects/1003",
          location: "global",
        },
      ],
      "labs-sandbox": assets("labs-sandbox", "1004", 7),
      "root-billing": [],
      "old-thing": assets("old-thing", "1006", 2),
    },
  };
}

describe("collectGcp against a fake Google REST server", () => {
  it("walks organisation, folders and projects and reads every resource page", async () => {
    server = await startFakeGoogle({ ...retailOrganization(), maxPageSize: 100 });
    const ctx = context(server);
    const result = await collectGcp({ organization: "100", retry: FAST_RETRY }, ctx);

    const active = ["shop-prod", "shop-dev", "data-lake", "labs-sandbox", "root-billing"];
    const expected = active.flatMap((id) => server!.assetsIn(`projects/${id}`));
    expect(result.resources).toHaveLength(expected.length);
    expect(new Set(result.resources.map((resource) => resource.id))).toEqual(
      new Set(expected.map((asset) => asset.name)),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.coverage.map((entry) => [entry.scope["project"], entry.status, entry.resources])).toEqual([
      ["data-lake", "complete", 3],
      ["labs-sandbox", "complete", 7],
      ["root-billing", "complete", 0],
      ["shop-dev", "complete", 3],
      ["shop-prod", "complete", 1234],
    ]);
    // Nothing from the project or folder pending deletion.
    expect(result.resources.some((resource) => resource.account === "old-thing")).toBe(false);
    // Real paging: the client asked for 500, the server capped pages at 100.
    const searches = server.requests.filter(
      (request) => request.path === "/v1/projects/shop-prod:searchAllResources",
    );
    expect(searches).toHaveLength(13);
    expect(searches[0]?.query["pageSize"]).toBe("500");
  });

  it("maps regions, accounts, hierarchy and inherited project labels", async () => {
    server = await startFakeGoogle(retailOrganization());
    const result = await collectGcp({ organization: "100", retry: FAST_RETRY }, context(server));
    const byName = new Map(result.resources.map((resource) => [resource.name, resource]));

    const canary = result.resources.find((resource) =>
      resource.id.endsWith("/projects/shop-prod/zones/europe-west4-b/instances/vm-0"),
    );
    expect(canary).toMatchObject({
      provider: "gcp",
      account: "shop-prod",
      region: "europe-west4",
      type: "compute.googleapis.com/Instance",
      name: "vm-0",
      hierarchy: ["organizations/100", "folders/200", "folders/300"],
      tags: { env: "canary", tier: "web", app: "shop" },
      tagOrigins: { app: "projects/shop-prod" },
    });
    const plain = result.resources.find((resource) =>
      resource.id.endsWith("/projects/shop-prod/zones/europe-west4-b/instances/vm-1"),
    );
    expect(plain?.tags).toEqual({ env: "prod", app: "shop" });
    expect(plain?.tagOrigins).toEqual({ env: "projects/shop-prod", app: "projects/shop-prod" });

    expect(byName.get("lake-raw")).toMatchObject({
      region: "eu",
      account: "data-lake",
      hierarchy: ["organizations/100", "folders/200"],
    });
    expect(byName.get("lake-raw")?.tagOrigins).toBeUndefined();
    expect(byName.get("sales")).toMatchObject({ region: "us", type: "bigquery.googleapis.com/Dataset" });
    expect(byName.get("events")?.region).toBe("global");
  });
});

describe("collectGcp when Google pushes back", () => {
  it("retries 429 quota errors and a 5xx burst until every page arrives, once", async () => {
    server = await startFakeGoogle({
      ...retailOrganization(),
      maxPageSize: 50,
      throttle: { share: 0.3, seed: 11, maxConsecutive: 3 },
      failures: [
        { path: "/v1/projects/shop-prod:searchAllResources", status: 503, times: 3 },
        { path: "/v3/folders", status: 502, times: 2 },
        { path: "/v3/projects", status: 500, times: 1 },
      ],
    });
    const result = await collectGcp(
      { organization: "100", concurrency: 8, retry: FAST_RETRY },
      context(server),
    );

    expect(server.answered(429)).toBeGreaterThan(10);
    expect(server.answered(503)).toBe(3);
    const expected = ["shop-prod", "shop-dev", "data-lake", "labs-sandbox", "root-billing"].flatMap((id) =>
      server!.assetsIn(`projects/${id}`).map((asset) => asset.name),
    );
    const ids = result.resources.map((resource) => resource.id);
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(result.diagnostics).toEqual([]);
  });

  it("reports a forbidden project and a disabled API per project and reads the rest", async () => {
    server = await startFakeGoogle({
      ...retailOrganization(),
      scopeErrors: {
        "projects/shop-dev": permissionDenied("projects/shop-dev"),
        "projects/labs-sandbox": serviceDisabled("777000777"),
      },
    });
    const ctx = context(server);
    const result = await collectGcp({ organization: "100", retry: FAST_RETRY }, ctx);

    const forbidden = result.diagnostics.find((diagnostic) => diagnostic.scope?.["project"] === "shop-dev");
    expect(forbidden).toMatchObject({
      level: "error",
      code: "gcp-permission-denied",
      scope: { provider: "gcp", project: "shop-dev" },
    });
    expect(forbidden?.message).toContain("shop-dev");
    expect(forbidden?.hint).toContain("roles/cloudasset.viewer");

    const disabled = result.diagnostics.find(
      (diagnostic) => diagnostic.scope?.["project"] === "labs-sandbox",
    );
    expect(disabled).toMatchObject({ level: "error", code: "gcp-api-disabled" });
    expect(disabled?.hint).toContain("gcloud services enable cloudasset.googleapis.com --project 777000777");
    expect(result.diagnostics).toHaveLength(2);

    const status = Object.fromEntries(result.coverage.map((entry) => [entry.scope["project"], entry.status]));
    expect(status).toEqual({
      "data-lake": "complete",
      "labs-sandbox": "failed",
      "root-billing": "complete",
      "shop-dev": "failed",
      "shop-prod": "complete",
    });
    expect(result.resources).toHaveLength(1234 + 3);
    // A 403 is final: asked once, not retried.
    expect(
      server.requests.filter((request) => request.path === "/v1/projects/shop-dev:searchAllResources"),
    ).toHaveLength(1);
    expect(
      ctx.events
        .filter((event) => event.status === "failed")
        .map((event) => event.scope)
        .sort(),
    ).toEqual(["labs-sandbox", "shop-dev"]);
    expect(ctx.events.filter((event) => event.status === "done")).toHaveLength(3);
    expect(ctx.events.every((event) => event.source === "gcp" && event.planned === 5)).toBe(true);
  });

  it("gives up after the configured attempts and says the quota ran out", async () => {
    server = await startFakeGoogle({
      ...retailOrganization(),
      failures: [{ path: "/v1/projects/data-lake:searchAllResources", status: 429, times: 100 }],
    });
    const result = await collectGcp(
      { organization: "100", retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
      context(server),
    );
    expect(
      server.requests.filter((request) => request.path === "/v1/projects/data-lake:searchAllResources"),
    ).toHaveLength(3);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        level: "error",
        code: "gcp-quota-exhausted",
        scope: { provider: "gcp", project: "data-lake" },
        hint: expect.stringContaining("concurrency"),
      }),
    ]);
  });

  it("reports a folder it cannot list and still scans the rest of the organisation", async () => {
    server = await startFakeGoogle({
      ...retailOrganization(),
      scopeErrors: {
        "folders/400": {
          status: 403,
          body: {
            error: { code: 403, status: "PERMISSION_DENIED", message: "The caller does not have permission" },
          },
        },
      },
    });
    const result = await collectGcp({ organization: "100", retry: FAST_RETRY }, context(server));
    expect(
      result.diagnostics.map((diagnostic) => [diagnostic.level, diagnostic.code, diagnostic.scope]),
    ).toEqual([
      ["error", "gcp-permission-denied", { provider: "gcp", folder: "400" }],
      ["error", "gcp-permission-denied", { provider: "gcp", folder: "400" }],
    ]);
    expect(result.diagnostics[0]?.hint).toContain("roles/browser");
    expect(result.coverage.filter((entry) => entry.status === "failed").map((entry) => entry.scope)).toEqual([
      { folder: "400" },
    ]);
    expect(new Set(result.resources.map((resource) => resource.account))).toEqual(
      new Set(["shop-prod", "shop-dev", "data-lake"]),
    );
  });

  it("never writes the access token into the result", async () => {
    server = await startFakeGoogle({ ...retailOrganization(), accessToken: "another-token" });
    const result = await collectGcp({ organization: "100", retry: FAST_RETRY }, context(server));
    expect(result.diagnostics[0]).toMatchObject({ level: "error", code: "gcp-unauthenticated" });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});

describe("collectGcp scopes", () => {
  it("scans explicit projects and folders with their ancestry", async () => {
    server = await startFakeGoogle(retailOrganization());
    const result = await collectGcp(
      { folders: ["300"], projects: ["data-lake"], retry: FAST_RETRY },
      context(server),
    );
    expect(result.diagnostics).toEqual([]);
    const accounts = new Map(result.resources.map((resource) => [resource.account, resource.hierarchy]));
    expect([...accounts.keys()].sort()).toEqual(["data-lake", "shop-dev", "shop-prod"]);
    expect(accounts.get("shop-dev")).toEqual(["organizations/100", "folders/200", "folders/300"]);
    expect(accounts.get("data-lake")).toEqual(["organizations/100", "folders/200"]);
  });

  it("searches every visible project when no organisation, folder or project is named", async () => {
    server = await startFakeGoogle(retailOrganization());
    const result = await collectGcp({ retry: FAST_RETRY }, context(server));
    expect(result.coverage.map((entry) => entry.scope["project"])).toEqual([
      "data-lake",
      "labs-sandbox",
      "root-billing",
      "shop-dev",
      "shop-prod",
    ]);
    expect(result.resources.find((resource) => resource.account === "labs-sandbox")?.hierarchy).toEqual([
      "organizations/100",
      "folders/400",
    ]);
  });

  it("keeps scanning a named project whose metadata it cannot read", async () => {
    server = await startFakeGoogle({
      ...retailOrganization(),
      failures: [{ path: "/v3/projects/shop-dev", status: 403, times: 1 }],
    });
    const result = await collectGcp({ projects: ["shop-dev"], retry: FAST_RETRY }, context(server));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        level: "warning",
        code: "gcp-permission-denied",
        scope: { provider: "gcp", project: "shop-dev" },
      }),
    ]);
    expect(result.resources).toHaveLength(3);
    expect(result.resources[0]?.account).toBe("shop-dev");
  });

  it("splits projects across shards without loss or overlap", async () => {
    server = await startFakeGoogle(retailOrganization());
    const shards = await Promise.all(
      [1, 2, 3].map((index) =>
        collectGcp(
          { organization: "100", retry: FAST_RETRY },
          context(server!, { shard: { index, count: 3 } }),
        ),
      ),
    );
    const projects = shards.flatMap((shard) => shard.coverage.map((entry) => entry.scope["project"]));
    expect(projects.sort()).toEqual(["data-lake", "labs-sandbox", "root-billing", "shop-dev", "shop-prod"]);
    expect(shards.reduce((total, shard) => total + shard.resources.length, 0)).toBe(1234 + 3 + 3 + 7);
  });

  it("passes asset types through to the search", async () => {
    server = await startFakeGoogle(retailOrganization());
    const result = await collectGcp(
      { projects: ["data-lake"], assetTypes: ["storage.googleapis.com/Bucket"], retry: FAST_RETRY },
      context(server),
    );
    expect(result.resources.map((resource) => resource.name)).toEqual(["lake-raw"]);
  });
});

describe("errors of the real REST transport", () => {
  it("carry the HTTP status, the Google status and Retry-After where the collector reads them", async () => {
    server = await startFakeGoogle({
      accessToken: TOKEN,
      projects: [{ name: "projects/1", projectId: "p" }],
      throttle: { share: 1, retryAfterSeconds: 3, maxConsecutive: 5 },
    });
    const { AssetServiceClient } = await import("@google-cloud/asset");
    // The SDK pins its own google-auth-library copy, so its AuthClient type differs from ours.
    const options: Record<string, unknown> = {
      ...server.clientOptions(),
      authClient: staticAuthClient(TOKEN),
    };
    const client = new AssetServiceClient(options as ConstructorParameters<typeof AssetServiceClient>[0]);
    const error = await client
      .searchAllResources({ scope: "projects/p" }, { autoPaginate: false })
      .catch((caught: unknown) => caught);
    await client.close();
    expect(describeGoogleError(error)).toMatchObject({
      httpStatus: 429,
      status: "RESOURCE_EXHAUSTED",
      reason: "RATE_LIMIT_EXCEEDED",
      retryAfterMs: 3000,
      retryable: true,
    });
  });
});

describe("collectGcp configuration", () => {
  it("reaches a custom endpoint given as the source's `endpoint` URL", async () => {
    server = await startFakeGoogle(retailOrganization());
    const result = await collectGcp(
      { endpoint: server.url, projects: ["shop-dev"], retry: FAST_RETRY },
      {
        baseDir: "/",
        env: {},
        progress: () => {},
        overrides: { gcp: { authClient: staticAuthClient(TOKEN) } },
      },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toHaveLength(3);
  });

  it("validates the gcp source", () => {
    expect(
      gcpSourceSchema.safeParse({ organization: "123", concurrency: 8, retry: { attempts: 3 } }).success,
    ).toBe(true);
    expect(gcpSourceSchema.safeParse({ organization: "acme" }).success).toBe(false);
    expect(gcpSourceSchema.safeParse({ projects: ["p"], retries: 3 }).success).toBe(false);
  });
});
