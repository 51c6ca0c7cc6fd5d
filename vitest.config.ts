import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // The JSON results let CI print one plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      // Tests never reach a real cloud: fake keys, no instance-metadata probes, no Node 20 nag.
      AWS_ACCESS_KEY_ID: "AKIDLANDLORDTEST",
      AWS_SECRET_ACCESS_KEY: "landlord-test-secret",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      NO_COLOR: "1",
    },
  },
});
