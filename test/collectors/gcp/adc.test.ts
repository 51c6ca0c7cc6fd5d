import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { collectGcp } from "../../../src/collectors/gcp/index.js";
import { type FakeGoogle, startFakeGoogle } from "./fake-google.js";

let server: FakeGoogle | undefined;
let home: string | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

describe("Application Default Credentials", () => {
  it("are used when no auth client is injected (here: the metadata server path)", async () => {
    server = await startFakeGoogle({
      accessToken: "metadata-token",
      metadataServer: true,
      projects: [{ name: "projects/7", projectId: "adc-project", labels: { env: "prod" } }],
      assets: {
        "adc-project": [
          {
            name: "//run.googleapis.com/projects/adc-project/locations/us-east1/services/api",
            location: "us-east1",
          },
        ],
      },
    });
    // No key file and no gcloud user credentials: the chain falls through to the metadata server,
    // which GCE_METADATA_HOST points at the fake server.
    home = mkdtempSync(path.join(tmpdir(), "landlord-adc-"));
    vi.stubEnv("HOME", home);
    vi.stubEnv("CLOUDSDK_CONFIG", path.join(home, "gcloud"));
    vi.stubEnv("GOOGLE_APPLICATION_CREDENTIALS", undefined);
    // Without a project in the environment the auth library asks a local `gcloud` for one.
    vi.stubEnv("GOOGLE_CLOUD_PROJECT", "adc-project");
    vi.stubEnv("GCE_METADATA_HOST", `127.0.0.1:${server.port}`);

    const { authClient: _none, ...clientOptions } = { ...server.clientOptions(), authClient: undefined };
    const result = await collectGcp(
      { projects: ["adc-project"], retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } },
      { baseDir: "/", env: {}, progress: () => {}, overrides: { gcp: { clientOptions } } },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toEqual([
      expect.objectContaining({ account: "adc-project", region: "us-east1", tags: { env: "prod" } }),
    ]);
    expect(server.requests.some((request) => request.path.endsWith("/service-accounts/default/token"))).toBe(
      true,
    );
  });
});
