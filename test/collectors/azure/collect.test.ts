import { afterEach, describe, expect, it } from "vitest";
import type { AzureSourceConfig } from "../../../src/collectors/azure/config.js";
import { collectAzure } from "../../../src/collectors/azure/index.js";
import type { CollectContext, ProgressEvent } from "../../../src/collectors/types.js";
import {
  type FakeArm,
  type FakeArmOptions,
  type FakeSubscription,
  makeResources,
  makeSubscriptionId,
  startFakeArm,
} from "./fake-arm.js";

let server: FakeArm | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeArmOptions): Promise<FakeArm> {
  server = await startFakeArm(options);
  return server;
}

function contextFor(
  fake: FakeArm,
  events: ProgressEvent[] = [],
  extra: Partial<CollectContext> = {},
): CollectContext {
  return {
    baseDir: ".",
    env: {},
    progress: (event) => events.push(event),
    overrides: { azure: { credential: fake.credential, clientOptions: fake.clientOptions } },
    ...extra,
  };
}

function config(fake: FakeArm, extra: Partial<AzureSourceConfig> = {}): AzureSourceConfig {
  return { subscriptions: "all", endpoint: fake.endpoint, ...extra };
}

function subscriptions(count: number, resourcesEach: (index: number) => number): FakeSubscription[] {
  return Array.from({ length: count }, (_, index) => {
    const subscriptionId = makeSubscriptionId(index + 1);
    return { subscriptionId, resources: makeResources(subscriptionId, resourcesEach(index)) };
  });
}

function expectNoDuplicates(ids: string[]): void {
  expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
}

describe("collectAzure per subscription", () => {
  it("reads every page of every enabled subscription and skips the disabled one, saying why", async () => {
    const tenant = subscriptions(5, (index) => [0, 1, 250, 99, 101][index] ?? 0);
    tenant.push({
      subscriptionId: makeSubscriptionId(99),
      state: "Disabled",
      resources: makeResources("x", 3),
    });
    const fake = await start({ subscriptions: tenant, pageSize: 50, subscriptionPageSize: 2 });
    const events: ProgressEvent[] = [];
    const result = await collectAzure(config(fake), contextFor(fake, events));

    expect(result.resources).toHaveLength(451);
    expectNoDuplicates(result.resources.map((resource) => resource.id));
    expect(result.diagnostics.filter((diagnostic) => diagnostic.level === "error")).toEqual([]);
    const skipped = result.diagnostics.find((diagnostic) => diagnostic.code === "azure-subscription-skipped");
    expect(skipped?.message).toContain(makeSubscriptionId(99));
    expect(skipped?.message).toContain("disabled");
    expect(result.coverage.find((entry) => entry.status === "skipped")?.scope).toEqual({
      subscription: makeSubscriptionId(99),
    });
    for (const [index, count] of [0, 1, 250, 99, 101].entries()) {
      expect(result.coverage).toContainEqual({
        source: "azure",
        scope: { subscription: makeSubscriptionId(index + 1) },
        status: "complete",
        resources: count,
      });
    }
    // 250 resources in pages of 50 take 5 requests; the subscription list took 3 pages of 2.
    const third = makeSubscriptionId(3);
    expect(
      fake.requests.filter((request) => request.path.startsWith(`/subscriptions/${third}/resources`)),
    ).toHaveLength(5);
    expect(fake.requests.filter((request) => request.path.startsWith("/subscriptions?"))).toHaveLength(3);
    expect(events.filter((event) => event.status === "done")).toHaveLength(5);
  });

  it("maps ARM resources to the normalized model", async () => {
    const subscriptionId = makeSubscriptionId(1);
    const fake = await start({
      subscriptions: [
        {
          subscriptionId,
          resources: [
            {
              id: `/subscriptions/${subscriptionId}/resourceGroups/shop/providers/Microsoft.Web/sites/checkout-fn`,
              name: "checkout-fn",
              type: "Microsoft.Web/sites",
              kind: "functionapp,linux",
              location: "West Europe",
              tags: { "data-classification": "confidential" },
            },
            {
              id: `/subscriptions/${subscriptionId}/resourceGroups/shop/providers/Microsoft.Network/dnszones/shop.example`,
              name: "shop.example",
              type: "Microsoft.Network/dnszones",
              location: "global",
            },
          ],
        },
      ],
    });
    const result = await collectAzure(config(fake), contextFor(fake));
    expect(result.resources).toEqual([
      {
        id: `/subscriptions/${subscriptionId}/resourceGroups/shop/providers/Microsoft.Web/sites/checkout-fn`,
        provider: "azure",
        region: "westeurope",
        account: subscriptionId,
        type: "Microsoft.Web/sites",
        name: "checkout-fn",
        kind: "functionapp,linux",
        tags: { "data-classification": "confidential" },
        source: `azure:${subscriptionId}`,
      },
      {
        id: `/subscriptions/${subscriptionId}/resourceGroups/shop/providers/Microsoft.Network/dnszones/shop.example`,
        provider: "azure",
        region: "global",
        account: subscriptionId,
        type: "Microsoft.Network/dnszones",
        name: "shop.example",
        tags: {},
        source: `azure:${subscriptionId}`,
      },
    ]);
  });

  it.each([
    ["retry-after-ms", "retry-after-ms"],
    ["Retry-After in seconds", "retry-after"],
    ["no retry header at all", "none"],
  ] as const)(
    "retries throttled requests (%s) without losing or repeating resources",
    async (_label, header) => {
      const tenant = subscriptions(6, (index) => 40 + index * 13);
      const fake = await start({
        subscriptions: tenant,
        pageSize: 10,
        subscriptionPageSize: 2,
        throttle: { share: 0.5, header, attempts: 2 },
      });
      const result = await collectAzure(config(fake, { concurrency: 3 }), contextFor(fake));
      expect(fake.throttled()).toBeGreaterThan(5);
      expect(result.diagnostics).toEqual([]);
      const expected = tenant
        .flatMap((subscription) => subscription.resources ?? [])
        .map((resource) => resource.id);
      expect(result.resources.map((resource) => resource.id).sort()).toEqual([...expected].sort());
    },
  );

  it("retries transient server errors page by page", async () => {
    const tenant = subscriptions(3, () => 45);
    const fake = await start({
      subscriptions: tenant,
      pageSize: 10,
      throttle: { share: 0.5, status: 500, attempts: 2 },
    });
    const result = await collectAzure(config(fake), contextFor(fake));
    expect(fake.throttled()).toBeGreaterThan(0);
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toHaveLength(135);
    expectNoDuplicates(result.resources.map((resource) => resource.id));
  });

  it("waits out ARM's token bucket instead of failing", async () => {
    const tenant = subscriptions(2, () => 120);
    const fake = await start({
      subscriptions: tenant,
      pageSize: 10,
      rateLimit: { bucket: 4, refillPerSecond: 25 },
    });
    const result = await collectAzure(config(fake, { concurrency: 2 }), contextFor(fake));
    expect(fake.throttled()).toBeGreaterThan(0);
    expect(result.resources).toHaveLength(240);
    expect(result.coverage.every((entry) => entry.status === "complete")).toBe(true);
  });

  it("reports a forbidden subscription as a failed scope and keeps the others, without printing the token", async () => {
    const tenant = subscriptions(3, () => 30);
    const forbidden = tenant[1] as FakeSubscription;
    forbidden.forbidden = true;
    const fake = await start({ subscriptions: tenant, pageSize: 10, token: "secret-bearer-token-4711" });
    const events: ProgressEvent[] = [];
    const result = await collectAzure(config(fake), contextFor(fake, events));

    expect(result.resources).toHaveLength(60);
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: "azure-access-denied",
      scope: { provider: "azure", subscription: forbidden.subscriptionId },
    });
    expect(errors[0]?.message).toContain(forbidden.subscriptionId);
    expect(errors[0]?.hint).toContain("Reader");
    expect(result.coverage).toContainEqual({
      source: "azure",
      scope: { subscription: forbidden.subscriptionId },
      status: "failed",
      resources: 0,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ scope: forbidden.subscriptionId, status: "failed" }),
    );
    expect(JSON.stringify(result)).not.toContain("secret-bearer-token-4711");
  });

  it.each([
    ["truncated JSON", "truncated-json"],
    ["a page without a value array", "no-value"],
  ] as const)("turns %s into an error diagnostic, keeping the pages before it", async (_label, kind) => {
    const tenant = subscriptions(2, () => 35);
    const broken = tenant[0] as FakeSubscription;
    broken.malformedPage = { page: 2, kind };
    const fake = await start({ subscriptions: tenant, pageSize: 10 });
    const result = await collectAzure(config(fake), contextFor(fake));

    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        level: "error",
        code: "azure-malformed-response",
        scope: { provider: "azure", subscription: broken.subscriptionId },
      }),
    ]);
    expect(result.coverage).toContainEqual({
      source: "azure",
      scope: { subscription: broken.subscriptionId },
      status: "partial",
      resources: 10,
    });
    expect(result.resources).toHaveLength(45);
  });

  it("reports entries it cannot read instead of silently dropping them", async () => {
    const tenant = subscriptions(1, () => 25);
    const broken = tenant[0] as FakeSubscription;
    broken.malformedPage = { page: 1, kind: "entry-without-id" };
    const fake = await start({ subscriptions: tenant, pageSize: 10 });
    const result = await collectAzure(config(fake), contextFor(fake));
    expect(result.resources).toHaveLength(25);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ level: "error", code: "azure-malformed-response" }),
    ]);
    expect(result.diagnostics[0]?.message).toContain("1 entry");
    expect(result.coverage[0]?.status).toBe("partial");
  });

  it("reads an explicit subscription list and splits it across shards without overlap", async () => {
    const tenant = subscriptions(12, (index) => index + 1);
    const fake = await start({ subscriptions: tenant });
    const ids = tenant.map((subscription) => subscription.subscriptionId);
    const explicit = config(fake, { subscriptions: [...ids, (ids[0] as string).toUpperCase()] });
    const whole = await collectAzure(explicit, contextFor(fake));
    expect(whole.resources).toHaveLength(78);
    expect(fake.requests.some((request) => request.path.startsWith("/subscriptions?"))).toBe(false);

    const first = await collectAzure(explicit, contextFor(fake, [], { shard: { index: 1, count: 2 } }));
    const second = await collectAzure(explicit, contextFor(fake, [], { shard: { index: 2, count: 2 } }));
    const union = [...first.resources, ...second.resources].map((resource) => resource.id);
    expectNoDuplicates(union);
    expect(union.sort()).toEqual(whole.resources.map((resource) => resource.id).sort());
    expect(first.resources.length).toBeGreaterThan(0);
    expect(second.resources.length).toBeGreaterThan(0);
  });

  it("names a subscription that does not exist", async () => {
    const fake = await start({ subscriptions: [] });
    const result = await collectAzure(config(fake, { subscriptions: ["0000-missing"] }), contextFor(fake));
    expect(result.diagnostics[0]).toMatchObject({ level: "error", code: "azure-subscription-not-found" });
    expect(result.coverage[0]?.status).toBe("failed");
  });

  it("reports a credential that cannot sign in as an error, not a crash", async () => {
    const fake = await start({ subscriptions: subscriptions(1, () => 1) });
    const unavailable = new Error(
      "EnvironmentCredential is unavailable. No underlying credential could be used.",
    );
    unavailable.name = "CredentialUnavailableError";
    const context = contextFor(fake);
    context.overrides = {
      azure: {
        credential: { getToken: () => Promise.reject(unavailable) },
        clientOptions: fake.clientOptions,
      },
    };
    const result = await collectAzure(config(fake), context);
    expect(result.resources).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ level: "error", code: "azure-authentication-failed" });
    expect(result.diagnostics[0]?.hint).toContain("az login");
    expect(result.coverage[0]?.status).toBe("failed");
  });
});

describe("collectAzure through Resource Graph", () => {
  it("queries in batches of at most 1000 subscriptions and pages with $skipToken", async () => {
    const tenant = subscriptions(1200, (index) => (index % 3 === 0 ? 2 : 1));
    const fake = await start({ subscriptions: tenant, subscriptionPageSize: 500 });
    const result = await collectAzure(config(fake, { resourceGraph: true }), contextFor(fake));

    const expected = tenant.flatMap((subscription) => subscription.resources ?? []);
    expect(result.resources).toHaveLength(expected.length);
    expectNoDuplicates(result.resources.map((resource) => resource.id));
    expect(result.diagnostics).toEqual([]);
    const queries = fake.requests.filter((request) => request.method === "POST");
    const batchSizes = queries.map(
      (query) => (query.body as { subscriptions: string[] }).subscriptions.length,
    );
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(1000);
    const queried = new Set(
      queries.flatMap((query) => (query.body as { subscriptions: string[] }).subscriptions),
    );
    expect(queried.size).toBe(1200);
    expect(
      queries.some((query) => (query.body as { options: { $skipToken?: string } }).options.$skipToken),
    ).toBe(true);
    expect(
      queries.every(
        (query) =>
          (query.body as { options: { resultFormat?: string } }).options.resultFormat === "objectArray",
      ),
    ).toBe(true);
    expect(result.coverage).toHaveLength(1200);
    const function0 = result.resources.find((resource) => resource.kind === "functionapp,linux");
    expect(function0?.account).toMatch(/^5ab0c0de-/);
  });

  it("waits for the per-user quota window instead of being throttled", async () => {
    const tenant = subscriptions(3, () => 900);
    const fake = await start({ subscriptions: tenant, resourceGraphQuota: { queries: 2, windowMs: 150 } });
    const result = await collectAzure(
      config(fake, { resourceGraph: true, concurrency: 1 }),
      contextFor(fake),
    );
    expect(result.resources).toHaveLength(2700);
    expect(fake.requests.filter((request) => request.method === "POST")).toHaveLength(3);
    expect(fake.throttled()).toBe(0);
  });

  it("retries throttled queries without a retry header", async () => {
    const tenant = subscriptions(4, () => 600);
    const fake = await start({ subscriptions: tenant, throttle: { share: 0.7, header: "none" } });
    const result = await collectAzure(config(fake, { resourceGraph: true }), contextFor(fake));
    expect(fake.throttled()).toBeGreaterThan(0);
    expect(result.resources).toHaveLength(2400);
    expect(result.diagnostics).toEqual([]);
  });

  it("reads the legacy table result format as well", async () => {
    const tenant = subscriptions(2, () => 7);
    const fake = await start({ subscriptions: tenant, resourceGraphTableFormat: true });
    const result = await collectAzure(config(fake, { resourceGraph: true }), contextFor(fake));
    expect(result.resources).toHaveLength(14);
    expect(result.resources[0]).toMatchObject({ provider: "azure", account: tenant[0]?.subscriptionId });
  });
});
