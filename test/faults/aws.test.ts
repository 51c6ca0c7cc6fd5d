/**
 * Faults between the real AWS SDK and the fake AWS: every fault is either retried to the complete
 * inventory, or reported as an `error` diagnostic naming the account and region it cost. The
 * inventory is never silently smaller: counts are checked against what the fake holds.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CollectResult } from "../../src/collectors/types.js";
import { type FakeAws, startFakeAws, syntheticResources } from "../collectors/aws/fake-aws.js";
import { collect, ids } from "../collectors/aws/helpers.js";
import { type FaultPlan, type FaultProxy, faultCount, startFaultProxy } from "./fault-proxy.js";
import { recordFaults } from "./tally.js";

const ACCOUNT = "100000000000";
const REGIONS = ["eu-west-1", "us-east-1", "ap-northeast-2"];
const PER_REGION = 23;

let fake: FakeAws | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  proxy = undefined;
  fake = undefined;
});

const tally = { injected: 0, survived: 0, reported: 0 };
afterAll(() => recordFaults("aws", tally));

async function start(plan: FaultPlan): Promise<{ fake: FakeAws; proxy: FaultProxy }> {
  fake = await startFakeAws({
    callerAccount: ACCOUNT,
    accounts: [
      {
        id: ACCOUNT,
        resources: Object.fromEntries(
          REGIONS.map((region) => [region, syntheticResources(ACCOUNT, region, PER_REGION)]),
        ),
      },
    ],
    regions: REGIONS.map((name) => ({ name })),
    pageSize: 5,
  });
  proxy = await startFaultProxy(fake.url, plan);
  return { fake, proxy };
}

const isGetResources = (headers: Record<string, unknown>): boolean =>
  String(headers["x-amz-target"] ?? "").endsWith(".GetResources");
const attemptOf = (headers: Record<string, unknown>): number =>
  Number(/attempt=(\d+)/.exec(String(headers["amz-sdk-request"] ?? ""))?.[1] ?? 1);
const regionOf = (headers: Record<string, unknown>): string =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(headers.authorization ?? ""))?.[1] ?? "";

function errors(result: CollectResult) {
  return result.diagnostics.filter((diagnostic) => diagnostic.level === "error");
}

/** The result is the whole inventory, with no error. */
function expectComplete(result: CollectResult, server: FakeAws, through: FaultProxy): void {
  expect(errors(result)).toEqual([]);
  expect(ids(result)).toEqual(server.expectedArns());
  expect(result.resources).toHaveLength(REGIONS.length * PER_REGION);
  expect(faultCount(through)).toBeGreaterThan(0);
  tally.injected += faultCount(through);
  tally.survived += faultCount(through);
}

/** Exactly `region` failed with `code`; every other region is complete. */
function expectRegionLost(
  result: CollectResult,
  server: FakeAws,
  through: FaultProxy,
  region: string,
  code: string | RegExp,
): void {
  const failures = errors(result);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ scope: { provider: "aws", account: ACCOUNT, region } });
  expect(failures[0]?.code).toMatch(code);
  expect(failures[0]?.message).toContain(region);
  const others = REGIONS.filter((name) => name !== region);
  // Pages read before the failure may be kept; nothing from the healthy regions is lost.
  for (const arn of server.expectedArns({ regions: others })) expect(ids(result)).toContain(arn);
  expect(result.coverage.find((entry) => entry.scope.region === region)?.status).toMatch(/failed|partial/);
  tally.injected += faultCount(through);
  tally.reported += 1;
}

describe("AWS collector under faults", () => {
  it("rides out a throttling storm: three throttles per call, retried to the complete inventory", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && attemptOf(headers) <= 3
        ? {
            kind: "respond",
            status: 400,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
          }
        : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 4 });
    expectComplete(result, fake, proxy);
    expect(proxy.injected.respond).toBeGreaterThanOrEqual(3 * 15);
  });

  it("reports a region that stays throttled past every retry, and keeps the other regions", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && regionOf(headers) === "us-east-1"
        ? {
            kind: "respond",
            status: 400,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
          }
        : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 3 });
    expectRegionLost(result, fake, proxy, "us-east-1", "aws-throttled");
  });

  it("retries a burst of 500 and 503 answers to the complete inventory", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && attemptOf(headers) <= 2
        ? {
            kind: "respond",
            status: attemptOf(headers) === 1 ? 500 : 503,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({ __type: "InternalFailure", message: "We encountered an internal error." }),
          }
        : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 4 });
    expectComplete(result, fake, proxy);
  });

  it("reports a region whose endpoint answers 503 on every attempt", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && regionOf(headers) === "ap-northeast-2"
        ? { kind: "respond", status: 503, body: "<html>Service Unavailable</html>" }
        : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 3 });
    expectRegionLost(result, fake, proxy, "ap-northeast-2", /^aws-/);
  });

  it("retries connections reset before the answer to the complete inventory", async () => {
    const { fake, proxy } = await start(({ headers, index }) =>
      isGetResources(headers) && attemptOf(headers) === 1 && index % 2 === 0 ? { kind: "reset" } : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 4 });
    expectComplete(result, fake, proxy);
  });

  it("never returns a smaller inventory when connections drop in the middle of a page", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && attemptOf(headers) === 1 ? { kind: "reset-mid-body" } : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 4 });
    expectComplete(result, fake, proxy);
  });

  it("cuts off a region that never answers at the per-call timeout and reports it", async () => {
    const { fake, proxy } = await start(({ headers }) =>
      isGetResources(headers) && regionOf(headers) === "eu-west-1" ? { kind: "hang" } : undefined,
    );
    const result = await collect(
      fake,
      { endpoint: proxy.url, regions: REGIONS, timeoutMs: 300 },
      { maxAttempts: 2 },
    );
    expectRegionLost(result, fake, proxy, "eu-west-1", "aws-timeout");
    expect(errors(result)[0]?.message).toMatch(/300 ms/);
  });

  it("waits out a slow answer that stays inside the timeout", async () => {
    const { fake, proxy } = await start(({ headers, index }) =>
      isGetResources(headers) && index % 4 === 0 ? { kind: "delay", ms: 150 } : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS, timeoutMs: 5000 });
    expectComplete(result, fake, proxy);
  });

  it("reports a page truncated in transit instead of ending the listing early", async () => {
    let pages = 0;
    const { fake, proxy } = await start(({ headers }) => {
      if (!isGetResources(headers) || regionOf(headers) !== "eu-west-1") return undefined;
      pages++;
      return pages >= 2 ? { kind: "truncate" } : undefined;
    });
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 2 });
    expectRegionLost(result, fake, proxy, "eu-west-1", /^aws-/);
  });

  it("reports a page that is not JSON at all (a proxy's HTML error page with status 200)", async () => {
    let pages = 0;
    const { fake, proxy } = await start(({ headers }) => {
      if (!isGetResources(headers) || regionOf(headers) !== "us-east-1") return undefined;
      pages++;
      return pages === 2
        ? { kind: "replace-body", body: "<html><body>Gateway says hi</body></html>" }
        : undefined;
    });
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 1 });
    expectRegionLost(result, fake, proxy, "us-east-1", /^aws-/);
  });

  it("reports a page without its resource list instead of taking it as the last page", async () => {
    let pages = 0;
    const { fake, proxy } = await start(({ headers }) => {
      if (!isGetResources(headers) || regionOf(headers) !== "us-east-1") return undefined;
      pages++;
      return pages === 2
        ? { kind: "replace-body", body: JSON.stringify({ PaginationToken: "" }) }
        : undefined;
    });
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 1 });
    expectRegionLost(result, fake, proxy, "us-east-1", /^aws-/);
    expect(errors(result)[0]?.message).toMatch(/malformed|cannot read|without/i);
  });

  it("reports a page whose entries lack an ARN instead of dropping them", async () => {
    let pages = 0;
    const { fake, proxy } = await start(({ headers }) => {
      if (!isGetResources(headers) || regionOf(headers) !== "ap-northeast-2") return undefined;
      pages++;
      return pages === 1
        ? {
            kind: "replace-body",
            body: JSON.stringify({ PaginationToken: "", ResourceTagMappingList: [{ Tags: [] }] }),
          }
        : undefined;
    });
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 1 });
    expectRegionLost(result, fake, proxy, "ap-northeast-2", /^aws-/);
  });

  it("reports a pagination token that repeats instead of stopping quietly", async () => {
    const { fake, proxy } = await start(({ headers, body }) =>
      isGetResources(headers) && regionOf(headers) === "eu-west-1" && body.includes("PaginationToken")
        ? {
            kind: "respond",
            status: 200,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({
              PaginationToken: "same-token",
              ResourceTagMappingList: [{ ResourceARN: `arn:aws:sqs:eu-west-1:${ACCOUNT}:loop`, Tags: [] }],
            }),
          }
        : undefined,
    );
    const result = await collect(fake, { endpoint: proxy.url, regions: REGIONS }, { maxAttempts: 1 });
    expectRegionLost(result, fake, proxy, "eu-west-1", /^aws-/);
  });

  it("reports every region once the credentials expire mid-scan, naming the scope", async () => {
    let calls = 0;
    const { fake, proxy } = await start(({ headers }) => {
      if (!isGetResources(headers)) return undefined;
      calls++;
      return calls > 4
        ? {
            kind: "respond",
            status: 400,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({
              __type: "ExpiredTokenException",
              message: "The security token included in the request is expired",
            }),
          }
        : undefined;
    });
    const result = await collect(
      fake,
      { endpoint: proxy.url, regions: REGIONS, concurrency: 1 },
      { maxAttempts: 2 },
    );
    const failures = errors(result);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const failure of failures) {
      expect(failure.code).toBe("aws-credentials");
      expect(failure.scope).toMatchObject({ provider: "aws", account: ACCOUNT, region: expect.any(String) });
    }
    // What was read before the expiry is kept, and every region that lost pages says so.
    expect(result.resources.length).toBeLessThan(REGIONS.length * PER_REGION);
    const failedRegions = new Set(failures.map((failure) => failure.scope?.region));
    for (const region of REGIONS) {
      const read = result.resources.filter((resource) => resource.region === region).length;
      if (read < PER_REGION) expect(failedRegions).toContain(region);
    }
    tally.injected += faultCount(proxy);
    tally.reported += failures.length;
  });
});
