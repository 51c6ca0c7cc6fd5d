/**
 * Faults between the real Google clients (REST transport) and the fake Google: every fault is
 * either retried to the complete inventory, or reported as an `error` diagnostic naming the project
 * it cost. Counts are checked against what the fake holds.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { collectGcp } from "../../src/collectors/gcp/index.js";
import type { CollectResult } from "../../src/collectors/types.js";
import {
  type FakeAsset,
  type FakeGoogle,
  startFakeGoogle,
  staticAuthClient,
} from "../collectors/gcp/fake-google.js";
import { type FaultPlan, type FaultProxy, faultCount, startFaultProxy } from "./fault-proxy.js";
import { recordFaults } from "./tally.js";

const TOKEN = "ya29.fault-injection-token";
const PROJECTS = ["shop-prod", "pos-prod", "lake-prod"];
const PER_PROJECT = 31;
const VICTIM = "pos-prod";

let fake: FakeGoogle | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  proxy = undefined;
  fake = undefined;
});

const tally = { injected: 0, survived: 0, reported: 0 };
afterAll(() => recordFaults("gcp", tally));

function assets(projectId: string, number: number): FakeAsset[] {
  return Array.from({ length: PER_PROJECT }, (_, index) => ({
    name: `//compute.googleapis.com/projects/${projectId}/zones/europe-west4-b/instances/vm-${index}`,
    assetType: "compute.googleapis.com/Instance",
    project: `projects/${number}`,
    displayName: `vm-${index}`,
    location: "europe-west4-b",
  }));
}

async function start(plan: FaultPlan): Promise<{ fake: FakeGoogle; proxy: FaultProxy }> {
  fake = await startFakeGoogle({
    accessToken: TOKEN,
    maxPageSize: 10,
    projects: PROJECTS.map((projectId, index) => ({
      name: `projects/${1000 + index}`,
      projectId,
      parent: "organizations/100",
    })),
    assets: Object.fromEntries(
      PROJECTS.map((projectId, index) => [projectId, assets(projectId, 1000 + index)]),
    ),
  });
  proxy = await startFaultProxy(fake.url, plan);
  return { fake, proxy };
}

async function collect(server: FakeGoogle, through: FaultProxy, timeoutMs?: number): Promise<CollectResult> {
  const port = Number(new URL(through.url).port);
  return collectGcp(
    {
      projects: PROJECTS,
      retry: { attempts: 4, baseDelayMs: 2, maxDelayMs: 20 },
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
    {
      baseDir: "/",
      env: {},
      progress: () => {},
      overrides: {
        gcp: { authClient: staticAuthClient(TOKEN), clientOptions: { ...server.clientOptions(), port } },
      },
    },
  );
}

const searches = (url: string): boolean => url.includes(":searchAllResources");
const ofVictim = (url: string): boolean => url.includes(VICTIM) || url.includes("1001");
const googleError = (code: number, status: string, message: string) =>
  JSON.stringify({ error: { code, status, message } });

function errors(result: CollectResult) {
  return result.diagnostics.filter((diagnostic) => diagnostic.level === "error");
}

function expectComplete(result: CollectResult, through: FaultProxy): void {
  expect(errors(result)).toEqual([]);
  expect(result.resources).toHaveLength(PROJECTS.length * PER_PROJECT);
  expect(new Set(result.resources.map((resource) => resource.id)).size).toBe(result.resources.length);
  expect(faultCount(through)).toBeGreaterThan(0);
  tally.injected += faultCount(through);
  tally.survived += faultCount(through);
}

function expectProjectLost(result: CollectResult, through: FaultProxy): void {
  const failures = errors(result);
  expect(failures.length).toBeGreaterThanOrEqual(1);
  for (const failure of failures) expect(JSON.stringify(failure)).toContain(VICTIM);
  for (const healthy of PROJECTS.filter((id) => id !== VICTIM)) {
    expect(result.resources.filter((resource) => resource.account === healthy)).toHaveLength(PER_PROJECT);
  }
  expect(result.resources.filter((resource) => resource.account === VICTIM).length).toBeLessThan(PER_PROJECT);
  tally.injected += faultCount(through);
  tally.reported += failures.length;
}

describe("GCP collector under faults", () => {
  it("rides out a storm of 429 RESOURCE_EXHAUSTED to the complete inventory", async () => {
    const seen = new Map<string, number>();
    const { fake, proxy } = await start(({ url }) => {
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      return count <= 2
        ? { kind: "respond", status: 429, body: googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.") }
        : undefined;
    });
    expectComplete(await collect(fake, proxy), proxy);
  });

  it("retries 500/503 bursts and connections reset before or during the answer", async () => {
    const seen = new Map<string, number>();
    const { fake, proxy } = await start(({ url }) => {
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      if (count === 1)
        return { kind: "respond", status: 503, body: googleError(503, "UNAVAILABLE", "Try again.") };
      if (count === 2) return { kind: "reset" };
      if (count === 3 && searches(url)) return { kind: "reset-mid-body" };
      return undefined;
    });
    expectComplete(await collect(fake, proxy), proxy);
  });

  it("reports a project that stays throttled past every retry and keeps the others", async () => {
    const { fake, proxy } = await start(({ url }) =>
      searches(url) && ofVictim(url)
        ? { kind: "respond", status: 429, body: googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.") }
        : undefined,
    );
    expectProjectLost(await collect(fake, proxy), proxy);
  });

  it("reports a project whose search never answers, at the per-call timeout", async () => {
    const { fake, proxy } = await start(({ url }) =>
      searches(url) && ofVictim(url) ? { kind: "hang" } : undefined,
    );
    expectProjectLost(await collect(fake, proxy, 300), proxy);
  });

  it("reports a page truncated in transit, and one that is an HTML error page", async () => {
    let pages = 0;
    const { fake, proxy } = await start(({ url }) => {
      if (!searches(url) || !ofVictim(url)) return undefined;
      pages++;
      if (pages < 2) return undefined;
      return pages % 2 === 0
        ? { kind: "truncate" }
        : { kind: "replace-body", body: "<html>Gateway says hi</html>" };
    });
    expectProjectLost(await collect(fake, proxy), proxy);
  });

  it("reports the projects still unread once the token is rejected mid-scan", async () => {
    let calls = 0;
    const { fake, proxy } = await start(({ url }) => {
      if (!searches(url)) return undefined;
      calls++;
      return calls > 3
        ? {
            kind: "respond",
            status: 401,
            body: googleError(
              401,
              "UNAUTHENTICATED",
              `Request had invalid authentication credentials: ${TOKEN}`,
            ),
          }
        : undefined;
    });
    const result = await collect(fake, proxy);
    const failures = errors(result);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) expect(JSON.stringify(failure)).not.toContain(TOKEN);
    for (const project of PROJECTS) {
      const read = result.resources.filter((resource) => resource.account === project).length;
      if (read < PER_PROJECT)
        expect(failures.some((failure) => JSON.stringify(failure).includes(project))).toBe(true);
    }
    expect(result.resources.length).toBeLessThan(PROJECTS.length * PER_PROJECT);
    tally.injected += faultCount(proxy);
    tally.reported += failures.length;
  });
});
