import { afterEach, describe, expect, it } from "vitest";
import { collectGcp } from "../../../src/collectors/gcp/index.js";
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
