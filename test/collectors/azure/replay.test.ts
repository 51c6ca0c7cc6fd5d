/**
 * Replays real recorded ARM responses through the fake server and the real SDK clients.
 * The recordings live outside the repository (../shared/fixtures/recorded); without them the
 * tests skip and say so.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectAzure } from "../../../src/collectors/azure/index.js";
import { type FakeArm, startFakeArm } from "./fake-arm.js";

// The recordings sit beside the repository; LANDLORD_RECORDED_FIXTURES points elsewhere (e.g. from a worktree).
const RECORDED = path.join(
  process.env.LANDLORD_RECORDED_FIXTURES ??
    path.resolve(import.meta.dirname, "../../../../shared/fixtures/recorded"),
  "azure",
);
const CASSETTE = path.join(RECORDED, "custodian-cassettes/SessionTest.test_api_version.json");
const NEXTLINK_CHAIN = path.join(
  RECORDED,
  "azure-sdk-for-js/sdk/resources/arm-resources/recordings/node/resources_test/recording_resources_list_test.json",
);
const present = existsSync(CASSETTE) && existsSync(NEXTLINK_CHAIN);
const reason = `recorded Azure responses not found at ${RECORDED}; replay tests skipped`;

let server: FakeArm | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Page {
  value: Array<{ id: string; type: string; location?: string; kind?: string }>;
  nextLink?: string;
}

describe.skipIf(!present)(present ? "replay of recorded ARM responses" : reason, () => {
  it("maps all 78 resources of a real subscription listing", async () => {
    const cassette = JSON.parse(readFileSync(CASSETTE, "utf8")) as {
      interactions: Array<{ request: { uri: string }; response: { body: { data: unknown } } }>;
    };
    const listing = cassette.interactions.find((interaction) =>
      /\/resources\?/.test(interaction.request.uri),
    );
    const page = listing?.response.body.data as Page;
    const subscriptionId = /\/subscriptions\/([^/]+)\//.exec(listing?.request.uri ?? "")?.[1] ?? "";
    server = await startFakeArm({ subscriptions: [{ subscriptionId, recordedPages: [page] }] });
    const result = await collectAzure(
      { subscriptions: [subscriptionId], endpoint: server.endpoint },
      {
        baseDir: ".",
        env: {},
        progress: () => {},
        overrides: { azure: { credential: server.credential, clientOptions: server.clientOptions } },
      },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toHaveLength(78);
    expect(new Set(result.resources.map((resource) => resource.type)).size).toBe(31);
    expect(new Set(result.resources.map((resource) => resource.region))).toEqual(
      new Set(["southcentralus", "eastus", "westus2", "westus", "centralus", "eastus2", "global"]),
    );
    expect(result.resources.every((resource) => resource.account === subscriptionId)).toBe(true);
    const functionApp = result.resources.find((resource) => resource.kind === "functionapp,linux");
    expect(functionApp).toMatchObject({
      type: "Microsoft.Web/sites",
      name: "cloud-custodian-test",
      region: "westus2",
    });
    expect(result.coverage).toEqual([
      { source: "azure", scope: { subscription: subscriptionId }, status: "complete", resources: 78 },
    ]);
  });

  it("follows the recorded 9-page nextLink chain to its end", async () => {
    const recording = JSON.parse(readFileSync(NEXTLINK_CHAIN, "utf8")) as {
      Entries: Array<{ ResponseBody: Page }>;
    };
    const pages = recording.Entries.map((entry) => entry.ResponseBody);
    server = await startFakeArm({
      subscriptions: [{ subscriptionId: "azure_subscription_id", recordedPages: pages }],
    });
    const result = await collectAzure(
      { subscriptions: ["azure_subscription_id"], endpoint: server.endpoint },
      {
        baseDir: ".",
        env: {},
        progress: () => {},
        overrides: { azure: { credential: server.credential, clientOptions: server.clientOptions } },
      },
    );
    const recordedIds = pages.flatMap((page) => page.value.map((resource) => resource.id));
    expect(pages).toHaveLength(9);
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((resource) => resource.id)).toEqual(recordedIds);
    // One request per recorded page, every page after the first through its recorded $skiptoken.
    expect(server.requests).toHaveLength(9);
    expect(server.requests.slice(1).every((request) => request.path.includes("skiptoken="))).toBe(true);
  });
});
