import { afterEach, describe, expect, it } from "vitest";
import { collectGcp } from "../../../src/collectors/gcp/index.js";
import { ScopePacer } from "../../../src/collectors/gcp/pacing.js";
import {
  type FakeGoogle,
  type FakeGoogleOptions,
  makeOrganisation,
  startFakeGoogle,
  staticAuthClient,
} from "./fake-google.js";

const TOKEN = "quota-token";
let server: FakeGoogle | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function search(fake: FakeGoogle, projectId: string, pageToken?: string) {
  const url = new URL(`/v1/projects/${projectId}:searchAllResources`, fake.url);
  if (pageToken) url.searchParams.set("pageToken", pageToken);
  const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await response.json()) as {
    nextPageToken?: string;
    error?: { code: number; status: string; details: Array<Record<string, unknown>> };
  };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body };
}

function start(options: FakeGoogleOptions): Promise<FakeGoogle> {
  const organisation = makeOrganisation({ projects: 4, projectsPerFolder: 2, resourcesPerProject: 6 });
  return startFakeGoogle({ ...organisation, accessToken: TOKEN, searchPageSize: 2, ...options });
}

describe("fake Google's per-project search quota", () => {
  it("answers 429 RESOURCE_EXHAUSTED past a project's bucket, and only for that project", async () => {
    // A refill of one token per 1,000 s: nothing refills during the test.
    server = await start({ projectRateLimit: { requestsPerSecond: 0.001, burst: 2 } });
    const first = await search(server, "team-0-0");
    const second = await search(server, "team-0-0", first.body.nextPageToken);
    const third = await search(server, "team-0-0", second.body.nextPageToken);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.body.error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
    expect(third.body.error?.details[0]).toMatchObject({ reason: "RATE_LIMIT_EXCEEDED" });
    // Cloud Asset's quota errors say nothing about when to come back.
    expect(third.retryAfter).toBeNull();
    expect((await search(server, "team-0-1")).status).toBe(200);
    expect(server.searchStats()).toEqual({ calls: 4, throttled: 1 });
  });

  it("says when to come back only when asked to", async () => {
    server = await start({ projectRateLimit: { requestsPerSecond: 0.001, burst: 1, hint: "retry-info" } });
    await search(server, "team-1-0");
    const throttled = await search(server, "team-1-0");
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.details).toContainEqual(
      expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.RetryInfo" }),
    );
  });

  it("throttles the given share of first attempts, and lets their retries through", async () => {
    server = await start({ throttleFirstAttempts: { share: 0.5 } });
    const answers = [];
    for (const projectId of ["team-0-0", "team-0-1", "team-1-0", "team-1-1"]) {
      answers.push((await search(server, projectId)).status);
    }
    expect(answers).toEqual([200, 429, 200, 429]);
    expect((await search(server, "team-0-1")).status).toBe(200);
  });
});

describe("collectGcp against per-project search quotas", () => {
  it("collects every resource exactly once through throttled and forced 429s", async () => {
    const shape = { projects: 12, projectsPerFolder: 4, resourcesPerProject: 6 };
    const organisation = makeOrganisation(shape);
    server = await startFakeGoogle({
      ...organisation,
      accessToken: TOKEN,
      searchPageSize: 2,
      projectRateLimit: { requestsPerSecond: 20, burst: 2 },
      throttleFirstAttempts: { share: 0.2 },
    });
    const result = await collectGcp(
      { organization: "1", concurrency: 8, retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 50 } },
      {
        baseDir: "/",
        env: {},
        progress: () => {},
        overrides: { gcp: { authClient: staticAuthClient(TOKEN), clientOptions: server.clientOptions() } },
      },
    );
    const expected = Object.values(organisation.assets).flatMap((assets) =>
      assets.map((asset) => asset.name),
    );
    const ids = result.resources.map((resource) => resource.id);
    expect(result.diagnostics).toEqual([]);
    expect(ids.sort()).toEqual(expected.sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(server.searchStats().throttled).toBeGreaterThan(0);
  });
});

describe("ScopePacer", () => {
  const RTT = 10;

  /** A pacer on an injected clock, and a server keeping a token bucket per scope on the same clock. */
  function world(bucket: { burst: number; refillMs: number }) {
    const clock = { now: 0 };
    const pacer = new ScopePacer(
      {},
      () => clock.now,
      async (ms) => {
        clock.now += ms;
      },
    );
    const buckets = new Map<string, { tokens: number; at: number }>();
    const take = (scope: string): boolean => {
      const state = buckets.get(scope) ?? { tokens: bucket.burst, at: clock.now };
      state.tokens = Math.min(bucket.burst, state.tokens + (clock.now - state.at) / bucket.refillMs);
      state.at = clock.now;
      buckets.set(scope, state);
      if (state.tokens < 1) return false;
      state.tokens -= 1;
      return true;
    };
    /**
     * Reads `pages` pages of `scope` one after another; `refuse` lists attempts refused at random;
     * `roundTrip` gives each attempt's round trip (a cold start's first ones are long).
     */
    const read = async (
      scope: string,
      pages: number,
      refuse: number[] = [],
      roundTrip: (attempt: number) => number = () => RTT,
    ) => {
      const sends: number[] = [];
      let throttled = 0;
      for (let done = 0; done < pages; ) {
        await pacer.turn(scope);
        sends.push(clock.now);
        const trip = roundTrip(sends.length - 1);
        clock.now += trip / 2;
        const ok = !refuse.includes(sends.length - 1) && take(scope);
        clock.now += trip / 2;
        if (ok) {
          pacer.succeeded(scope);
          done++;
        } else {
          pacer.throttled(scope);
          throttled++;
        }
      }
      pacer.forget(scope);
      return { sends, throttled, took: clock.now - (sends[0] ?? 0) };
    };
    return { pacer, read, clock };
  }

  it("learns a bucket's burst and refill, then sends a fresh scope's burst back to back", async () => {
    const { pacer, read } = world({ burst: 2, refillMs: 500 });
    for (let index = 0; index < 10; index++) await read(`learn-${index}`, 6);
    expect(pacer.burst).toBe(2);
    // Never below the refill (the upper bound is proven), and within a few round trips of it.
    expect(pacer.interval).toBeGreaterThanOrEqual(500);
    expect(pacer.interval).toBeLessThan(500 + RTT * 2);
    const fresh = await read("fresh", 6);
    expect(fresh.throttled).toBe(0);
    // The first two pages go back to back; the other four wait one refill each.
    expect(fresh.sends[1]! - fresh.sends[0]!).toBe(RTT);
    expect(fresh.took).toBeLessThan(2_000 + 6 * RTT + 4 * RTT);
  });

  it("learns a burst of three as well", async () => {
    const { pacer, read } = world({ burst: 3, refillMs: 250 });
    for (let index = 0; index < 10; index++) await read(`learn-${index}`, 8);
    expect(pacer.burst).toBe(3);
    const fresh = await read("fresh", 8);
    expect(fresh.throttled).toBe(0);
    expect(fresh.sends[2]! - fresh.sends[0]!).toBe(2 * RTT);
  });

  it("retries a random refusal at once, and it moves neither the burst nor the interval", async () => {
    const { pacer, read } = world({ burst: 2, refillMs: 500 });
    for (let index = 0; index < 10; index++) await read(`learn-${index}`, 6);
    const interval = pacer.interval;
    // The first page, then the third (the first paced one), are refused at random.
    const unlucky = await read("unlucky", 6, [0, 3]);
    expect(unlucky.throttled).toBe(2);
    expect(unlucky.sends[1]! - unlucky.sends[0]!).toBe(RTT);
    expect(unlucky.sends[4]! - unlucky.sends[3]!).toBe(RTT);
    expect(pacer.burst).toBe(2);
    expect(pacer.interval).toBe(interval);
    const next = await read("next", 6);
    expect(next.throttled).toBe(0);
    expect(next.sends[1]! - next.sends[0]!).toBe(RTT);
  });

  it("found empty at its proven token, tries again at the bound counted from its first answer, not a whole interval later", async () => {
    const { pacer, read, clock } = world({ burst: 2, refillMs: 500 });
    for (let index = 0; index < 10; index++) await read(`learn-${index}`, 6);
    const upper = pacer.interval;
    // A fresh scope whose first call took 50 ms to answer: the server's bucket started draining
    // somewhere in those 50 ms, when the call arrived.
    const sentAt = clock.now;
    const step = async (answer: "ok" | "429", trip = RTT) => {
      await pacer.turn("slow-start");
      const sent = clock.now;
      clock.now += trip;
      if (answer === "ok") pacer.succeeded("slow-start");
      else pacer.throttled("slow-start");
      return sent;
    };
    await step("ok", 50);
    await step("ok");
    // Its third call is refused twice in a row (a surprise, then empty), and then once more at the
    // proven bound counted from when the first call was sent.
    await step("429");
    await step("429");
    expect(await step("429")).toBeGreaterThanOrEqual(sentAt + upper);
    // It tries again at the bound counted from the first answer, which the server's token cannot
    // be later than; before, it waited a whole interval.
    const refusedAt = clock.now;
    const retried = await step("ok");
    expect(retried).toBe(Math.max(refusedAt, sentAt + 50 + upper));
    expect(retried - refusedAt).toBeLessThan(upper / 2);
    // Refused again after that success (a surprise), then empty at both bounds (the quota
    // tightened): then it waits a whole interval.
    for (let refusal = 0; refusal < 4; refusal++) await step("429");
    const emptyAgainAt = clock.now;
    expect((await step("ok")) - emptyAgainAt).toBeGreaterThan(upper / 2);
  });

  it("keeps reading every page when the quota tightens, and learns the tighter bucket's burst", async () => {
    const bucket = { burst: 2, refillMs: 250 };
    const { pacer, read } = world(bucket);
    for (let index = 0; index < 10; index++) await read(`loose-${index}`, 6);
    expect(pacer.interval).toBeLessThan(250 + RTT * 2);
    bucket.refillMs = 500;
    bucket.burst = 1;
    const throttled: number[] = [];
    for (let index = 0; index < 20; index++) throttled.push((await read(`tight-${index}`, 6)).throttled);
    expect(pacer.burst).toBe(1);
    expect(throttled).toHaveLength(20);
  });

  it("comes down to the refill after a cold start whose slow round trips made the first bursts look larger", async () => {
    const { pacer, read } = world({ burst: 2, refillMs: 500 });
    // The first wave's first four calls take 300 ms each (connections opening, code not yet
    // optimised): a refill comes in during each, so these scopes see bursts of 4 and more.
    for (let index = 0; index < 8; index++)
      await read(`cold-${index}`, 6, [], (attempt) => (attempt < 4 ? 300 : RTT));
    expect(pacer.interval).toBeGreaterThan(1_000);
    // Then round trips are short again, and Google refuses the odd call at random.
    for (let index = 0; index < 20; index++) await read(`warm-${index}`, 6, index % 3 ? [] : [2]);
    expect(pacer.burst).toBe(2);
    expect(pacer.interval).toBeGreaterThanOrEqual(500);
    expect(pacer.interval).toBeLessThan(500 + RTT * 2);
  });
});
