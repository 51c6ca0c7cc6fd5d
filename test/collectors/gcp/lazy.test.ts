import { expect, it, vi } from "vitest";

const loaded = vi.hoisted(() => [] as string[]);
vi.mock("@google-cloud/asset", () => {
  loaded.push("@google-cloud/asset");
  return {};
});
vi.mock("@google-cloud/resource-manager", () => {
  loaded.push("@google-cloud/resource-manager");
  return {};
});
vi.mock("google-auth-library", () => {
  loaded.push("google-auth-library");
  return {};
});

it("loading the GCP collector does not load the Google SDKs (an offline scan never pays for them)", async () => {
  const module = await import("../../../src/collectors/gcp/index.js");
  expect(typeof module.collectGcp).toBe("function");
  expect(loaded).toEqual([]);
});
