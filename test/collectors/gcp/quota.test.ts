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
  function pacer() {
    let now = 0;
    const waits: number[] = [];
    const paced = new ScopePacer(
      {},
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    return { paced, waits, advance: (ms: number) => (now += ms) };
  }

  it("raises the interval once when many scopes are throttled at the same interval", async () => {
    const { paced } = pacer();
    const scopes = ["a", "b", "c", "d"];
    for (const scope of scopes) await paced.turn(scope);
    for (const scope of scopes) paced.throttled(scope);
    expect(paced.interval).toBe(100);
  });

  it("keeps its interval through one throttled answer among many that went through", async () => {
    const { paced, advance } = pacer();
    for (const scope of ["a", "b"]) await paced.turn(scope);
    for (const scope of ["a", "b"]) paced.throttled(scope);
    const raised = paced.interval;
    for (let index = 0; index < 30; index++) {
      const scope = `s${index}`;
      await paced.turn(scope);
      paced.succeeded(scope);
      advance(1);
    }
    await paced.turn("odd");
    paced.throttled("odd");
    expect(paced.interval).toBeLessThan(raised);
  });

  it("spaces a scope's attempts by the interval, a retry after a throttled answer included", async () => {
    const { paced, waits } = pacer();
    for (const scope of ["a", "b"]) await paced.turn(scope);
    for (const scope of ["a", "b"]) paced.throttled(scope);
    await paced.turn("a");
    paced.succeeded("a");
    await paced.turn("a");
    // The retry waits out the raised interval, and so does the page after it.
    expect(waits).toEqual([100, 100]);
  });
});
