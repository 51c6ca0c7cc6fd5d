import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectGcp } from "../../../src/collectors/gcp/index.js";
import type { ProgressEvent } from "../../../src/collectors/types.js";
import {
  type FakeAsset,
  type FakeGoogle,
  type FakeProject,
  startFakeGoogle,
  staticAuthClient,
} from "./fake-google.js";

/** 120 projects in 12 folders, 0-60 resources each, 15% of requests throttled. */
function largeOrganisation() {
  const folders = Array.from({ length: 12 }, (_, index) => ({
    name: `folders/${9000 + index}`,
    parent: index < 3 ? "organizations/1" : `folders/${9000 + (index % 3)}`,
  }));
  const projects: FakeProject[] = [];
  const assets: Record<string, FakeAsset[]> = {};
  for (let index = 0; index < 120; index++) {
    const projectId = `team-${index}`;
    projects.push({
      name: `projects/${50_000 + index}`,
      projectId,
      parent: folders[index % 12]!.name,
      labels: { team: `t${index}` },
    });
    assets[projectId] = Array.from({ length: (index * 7) % 61 }, (_, n) => ({
      name: `//storage.googleapis.com/${projectId}-bucket-${n}`,
      assetType: "storage.googleapis.com/Bucket",
      project: `projects/${50_000 + index}`,
      location: n % 2 ? "US" : "asia-northeast3",
    }));
  }
  return { organizations: [{ name: "organizations/1" }], folders, projects, assets };
}

describe("collectGcp over many projects", () => {
  let server: FakeGoogle;
  beforeAll(async () => {
    server = await startFakeGoogle({
      ...largeOrganisation(),
      maxPageSize: 50,
      throttle: { share: 0.15, seed: 3 },
    });
  });
  afterAll(() => server.close());

  it("reads every project once, with progress for each, despite throttling", async () => {
    const events: ProgressEvent[] = [];
    const result = await collectGcp(
      { organization: "1", concurrency: 16, retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 10 } },
      {
        baseDir: "/",
        env: {},
        progress: (event) => events.push(event),
        overrides: { gcp: { authClient: staticAuthClient(), clientOptions: server.clientOptions() } },
      },
    );
    const expected = largeOrganisation().projects.flatMap((project) =>
      server.assetsIn(`projects/${project.projectId}`),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toHaveLength(expected.length);
    expect(new Set(result.resources.map((resource) => resource.id)).size).toBe(expected.length);
    expect(result.coverage).toHaveLength(120);
    expect(events.filter((event) => event.status === "done")).toHaveLength(120);
    expect(server.answered(429)).toBeGreaterThan(0);
  });
});

describe("collectGcp under a server-side rate limit", () => {
  it("backs off on 429 with Retry-After and still reads everything", async () => {
    const organisation = largeOrganisation();
    const projects = organisation.projects.slice(0, 30);
    const server = await startFakeGoogle({
      ...organisation,
      projects,
      rateLimit: { requestsPerSecond: 200, burst: 8 },
    });
    try {
      const result = await collectGcp(
        { organization: "1", concurrency: 16, retry: { attempts: 12, baseDelayMs: 5, maxDelayMs: 40 } },
        {
          baseDir: "/",
          env: {},
          progress: () => {},
          overrides: { gcp: { authClient: staticAuthClient(), clientOptions: server.clientOptions() } },
        },
      );
      const expected = projects.flatMap((project) => server.assetsIn(`projects/${project.projectId}`));
      expect(result.diagnostics).toEqual([]);
      expect(result.resources).toHaveLength(expected.length);
      expect(server.answered(429)).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
