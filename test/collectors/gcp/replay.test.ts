import { afterEach, describe, expect, it } from "vitest";
import { collectGcp } from "../../../src/collectors/gcp/index.js";
import { type FakeGoogle, startFakeGoogle, staticAuthClient } from "./fake-google.js";
import { loadRecordedGcp, recordedGcpRoot } from "./recorded.js";

const root = recordedGcpRoot();
let server: FakeGoogle | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.skipIf(!root)("replay of recorded Google responses (../shared/fixtures/recorded/gcp)", () => {
  it("collects the recorded projects and resources through the real clients", async () => {
    const recorded = loadRecordedGcp(root as string);
    server = await startFakeGoogle(recorded.options);
    const result = await collectGcp(
      {
        organization: recorded.organization,
        projects: recorded.projects,
        retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      },
      {
        baseDir: "/",
        env: {},
        progress: () => {},
        overrides: { gcp: { authClient: staticAuthClient(), clientOptions: server.clientOptions() } },
      },
    );

    // Every readable project's resources, nothing more.
    const scanned = result.coverage
      .filter((entry) => entry.scope["project"])
      .map((entry) => entry.scope["project"] ?? "");
    const expected = scanned.flatMap((project) =>
      project === recorded.disabledProject
        ? []
        : server!.assetsIn(`projects/${project}`).map((asset) => asset.name),
    );
    expect(result.resources.map((resource) => resource.id).sort()).toEqual(expected.sort());
    expect(result.resources).toHaveLength(5);
    // The project pending deletion in the recorded folder is left out; its live siblings are not.
    expect(scanned).toContain("c7n-test-target");
    expect(scanned).not.toContain("hautomation");
    expect(scanned).toHaveLength(recorded.projects.length + 2);

    const disk = result.resources.find((resource) => resource.type === "compute.googleapis.com/Disk");
    expect(disk).toMatchObject({
      provider: "gcp",
      account: "cloudasset1-test-project",
      region: "us-central1",
      name: "gl7-ilb-mig-a-27j7",
      hierarchy: ["organizations/11112222", "folders/37663766", "folders/9898989"],
    });
    const instance = result.resources.find((resource) => resource.type === "compute.googleapis.com/Instance");
    expect(instance).toMatchObject({
      account: "cloud-custodian",
      region: "us-central1",
      tags: { quarantined: "testing" },
    });

    // The recorded 403 "API has not been used ... or it is disabled" becomes one actionable error.
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.level === "error");
    expect(errors).toEqual([
      expect.objectContaining({
        code: "gcp-api-disabled",
        scope: { provider: "gcp", project: recorded.disabledProject },
        hint: expect.stringContaining(
          "gcloud services enable appengine.googleapis.com --project 123456789123",
        ),
      }),
    ]);
    // Folders the recordings do not include are warnings: their projects were still scanned.
    expect(
      result.diagnostics
        .filter((diagnostic) => diagnostic.level === "warning")
        .every((d) => d.code === "gcp-not-found"),
    ).toBe(true);
  });
});

describe.skipIf(root)("replay of recorded Google responses", () => {
  it.skip("skipped: ../shared/fixtures/recorded/gcp is not present next to the repository", () => {});
});
