/**
 * Faults between the real Azure SDK clients and the fake ARM: every fault is either retried to the
 * complete inventory, or reported as an `error` diagnostic naming the subscription it cost.
 * The inventory is never silently smaller: counts are checked against what the fake holds.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { AzureSourceConfig } from "../../src/collectors/azure/config.js";
import { collectAzure } from "../../src/collectors/azure/index.js";
import type { CollectResult } from "../../src/collectors/types.js";
import {
  type FakeArm,
  makeResources,
  makeSubscriptionId,
  startFakeArm,
  testCertificate,
} from "../collectors/azure/fake-arm.js";
import { type FaultPlan, type FaultProxy, faultCount, startFaultProxy } from "./fault-proxy.js";
import { recordFaults } from "./tally.js";

const SUBSCRIPTIONS = [1, 2, 3].map(makeSubscriptionId);
const PER_SUBSCRIPTION = 37;
const VICTIM = SUBSCRIPTIONS[1] as string;

let fake: FakeArm | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  proxy = undefined;
  fake = undefined;
});

const tally = { injected: 0, survived: 0, reported: 0 };
afterAll(() => recordFaults("azure", tally));

async function start(plan: FaultPlan): Promise<{ fake: FakeArm; proxy: FaultProxy }> {
  fake = await startFakeArm({
    subscriptions: SUBSCRIPTIONS.map((subscriptionId) => ({
      subscriptionId,
      resources: makeResources(subscriptionId, PER_SUBSCRIPTION),
    })),
    pageSize: 10,
  });
  proxy = await startFaultProxy(fake.endpoint, plan, testCertificate());
  return { fake, proxy };
}

async function collect(
  server: FakeArm,
  through: FaultProxy,
  extra: Partial<AzureSourceConfig> = {},
): Promise<CollectResult> {
  return collectAzure(
    { subscriptions: "all", endpoint: through.url, ...extra },
    {
      baseDir: ".",
      env: {},
      progress: () => {},
      overrides: { azure: { credential: server.credential, clientOptions: server.clientOptions } },
    },
  );
}

const listsResources = (url: string): boolean => /\/subscriptions\/[^/]+\/resources\?/.test(url);
const ofVictim = (url: string): boolean => url.includes(VICTIM);
const armError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

function errors(result: CollectResult) {
  return result.diagnostics.filter((diagnostic) => diagnostic.level === "error");
}

function expectComplete(result: CollectResult, through: FaultProxy): void {
  expect(errors(result)).toEqual([]);
  expect(result.resources).toHaveLength(SUBSCRIPTIONS.length * PER_SUBSCRIPTION);
  expect(new Set(result.resources.map((resource) => resource.id.toLowerCase())).size).toBe(
    result.resources.length,
  );
  expect(faultCount(through)).toBeGreaterThan(0);
  tally.injected += faultCount(through);
  tally.survived += faultCount(through);
}

function expectSubscriptionLost(result: CollectResult, through: FaultProxy, code: string | RegExp): void {
  const failures = errors(result);
  expect(failures).toHaveLength(1);
  expect(failures[0]?.scope).toEqual({ provider: "azure", subscription: VICTIM });
  expect(failures[0]?.code).toMatch(code);
  for (const healthy of SUBSCRIPTIONS.filter((id) => id !== VICTIM)) {
    expect(result.resources.filter((resource) => resource.account === healthy)).toHaveLength(
      PER_SUBSCRIPTION,
    );
  }
  const coverage = result.coverage.find((entry) => entry.scope.subscription === VICTIM);
  expect(coverage?.status).toMatch(/failed|partial/);
  tally.injected += faultCount(through);
  tally.reported += 1;
}

describe("Azure collector under faults", () => {
  it("rides out a throttling storm (429 with and without retry headers) to the complete inventory", async () => {
    const seen = new Map<string, number>();
    const { fake, proxy } = await start(({ url }) => {
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      if (count > 3) return undefined;
      return {
        kind: "respond",
        status: 429,
        headers: count === 2 ? {} : { "retry-after-ms": "2" },
        body: armError("SubscriptionRequestsThrottled", "Number of 'read' requests exceeded."),
      };
    });
    const result = await collect(fake, proxy);
    expectComplete(result, proxy);
    expect(proxy.injected.respond).toBeGreaterThanOrEqual(3 * 13);
  });

  it("reports a subscription that stays throttled past every retry and keeps the others", async () => {
    const { fake, proxy } = await start(({ url }) =>
      listsResources(url) && ofVictim(url)
        ? {
            kind: "respond",
            status: 429,
            headers: { "retry-after-ms": "1" },
            body: armError("SubscriptionRequestsThrottled", "Number of 'read' requests exceeded."),
          }
        : undefined,
    );
    expectSubscriptionLost(await collect(fake, proxy), proxy, "azure-throttled");
  });

  it("retries a burst of 500, 502 and 503 answers to the complete inventory", async () => {
    const seen = new Map<string, number>();
    const { fake, proxy } = await start(({ url }) => {
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      const status = [500, 502, 503][count - 1];
      return status === undefined || !listsResources(url)
        ? undefined
        : { kind: "respond", status, body: armError("InternalServerError", "Transient failure.") };
    });
    expectComplete(await collect(fake, proxy), proxy);
  });

  it("retries connections reset before the answer and in the middle of a page", async () => {
    const seen = new Map<string, number>();
    const { fake, proxy } = await start(({ url }) => {
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      if (count === 1) return { kind: "reset" };
      if (count === 2 && listsResources(url)) return { kind: "reset-mid-body" };
      return undefined;
    });
    expectComplete(await collect(fake, proxy), proxy);
  });

  it("waits out slow answers", async () => {
    const { fake, proxy } = await start(({ index }) =>
      index % 3 === 0 ? { kind: "delay", ms: 120 } : undefined,
    );
    expectComplete(await collect(fake, proxy), proxy);
  });

  it("reports a subscription whose listing never answers, within the per-call timeout", async () => {
    const { fake, proxy } = await start(({ url }) =>
      listsResources(url) && ofVictim(url) && url.includes("skiptoken") ? { kind: "hang" } : undefined,
    );
    const result = await collect(fake, proxy, { timeoutMs: 400 });
    expectSubscriptionLost(result, proxy, /^azure-/);
    expect(errors(result)[0]?.message).toMatch(/400 ms|did not answer|timed out/i);
  });

  it("reports the subscriptions of a Resource Graph query that never answers, within the per-call timeout", async () => {
    const { fake, proxy } = await start(({ url, method }) =>
      method === "POST" && url.toLowerCase().includes("microsoft.resourcegraph")
        ? { kind: "hang" }
        : undefined,
    );
    const started = Date.now();
    const result = await collect(fake, proxy, { resourceGraph: true, timeoutMs: 400 });
    // Retries included, the scan goes on: nowhere near the default one-minute deadline.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.resources).toEqual([]);
    expect(errors(result)[0]?.message).toMatch(/did not answer within 400 ms/);
    expect(result.coverage.map((entry) => entry.status)).toEqual(["failed", "failed", "failed"]);
    tally.injected += faultCount(proxy);
    tally.reported += faultCount(proxy);
  });

  it("reports a page truncated in transit", async () => {
    const { fake, proxy } = await start(({ url }) =>
      listsResources(url) && ofVictim(url) && url.includes("skiptoken") ? { kind: "truncate" } : undefined,
    );
    expectSubscriptionLost(await collect(fake, proxy), proxy, "azure-malformed-response");
  });

  it("reports a page that is an HTML error page with status 200", async () => {
    const { fake, proxy } = await start(({ url }) =>
      listsResources(url) && ofVictim(url) && url.includes("skiptoken")
        ? { kind: "replace-body", body: "<html><body>Gateway says hi</body></html>" }
        : undefined,
    );
    expectSubscriptionLost(await collect(fake, proxy), proxy, /^azure-/);
  });

  it("reports a page without its value list instead of taking it as the last page", async () => {
    const { fake, proxy } = await start(({ url }) =>
      listsResources(url) && ofVictim(url) && url.includes("skiptoken")
        ? { kind: "replace-body", body: JSON.stringify({ nextLink: null }) }
        : undefined,
    );
    expectSubscriptionLost(await collect(fake, proxy), proxy, "azure-malformed-response");
  });

  it("reports the subscriptions still unread once the token stops working mid-scan", async () => {
    let calls = 0;
    const { fake, proxy } = await start(({ url }) => {
      if (!listsResources(url)) return undefined;
      calls++;
      return calls > 5
        ? {
            kind: "respond",
            status: 401,
            headers: {
              "www-authenticate": 'Bearer error="invalid_token", error_description="The token is expired"',
            },
            body: armError(
              "ExpiredAuthenticationToken",
              "The access token expiry UTC time is earlier than current UTC time.",
            ),
          }
        : undefined;
    });
    const result = await collect(fake, proxy, { concurrency: 1 });
    const failures = errors(result);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) {
      expect(failure.code).toBe("azure-authentication-failed");
      expect(failure.scope).toMatchObject({ provider: "azure", subscription: expect.any(String) });
    }
    const failed = new Set(failures.map((failure) => failure.scope?.subscription));
    for (const subscription of SUBSCRIPTIONS) {
      const read = result.resources.filter((resource) => resource.account === subscription).length;
      if (read < PER_SUBSCRIPTION) expect(failed).toContain(subscription);
    }
    expect(result.resources.length).toBeLessThan(SUBSCRIPTIONS.length * PER_SUBSCRIPTION);
    tally.injected += faultCount(proxy);
    tally.reported += failures.length;
  });
});
