/**
 * The collector side of `bench/collect.ts`, in a process of its own that runs plain Node, as
 * `landlord collect` does. The benchmark itself runs under tsx, whose module hooks resolve every
 * import on a loader thread: importing the built collectors and their SDKs there took 0.97 s
 * against 0.54 s in plain Node, a cost no user pays.
 *
 * Receives `{ target, server, scale }` over IPC, collects with the built library (dist/), and
 * answers `{ ids, errors, seconds, cpu }`. The clock starts after the source's settings are
 * validated (as loading the profile does) and before the collector's module is imported, so its
 * loading and the SDK imports it makes are timed as a `landlord collect` pays for them.
 */
import path from "node:path";

const DIST = path.resolve(import.meta.dirname, "..", "dist");

/** @param {string} modulePath */
const built = (modulePath) => import(path.join(DIST, modulePath));

/** Resources and error diagnostics of a collector's result. */
function outcome(result) {
  return {
    ids: result.resources.map((resource) => resource.id),
    errors: result.diagnostics.filter((diagnostic) => diagnostic.level === "error").length,
  };
}

/** The context every collector gets: no environment, no progress output. */
function context(overrides) {
  return { baseDir: path.join(import.meta.dirname, "out"), env: {}, progress: () => {}, overrides };
}

/**
 * How each target's collector is configured and run, by target name. `config` validates the
 * source's settings with its schema, as loading the profile does before `landlord collect` starts
 * collecting (untimed); `collect` imports the collector and runs it (timed).
 */
const TARGETS = {
  aws: {
    async config({ url }, scale) {
      const { awsSourceSchema } = await built("collectors/aws/config.js");
      return awsSourceSchema.parse({
        endpoint: url,
        regions: scale.awsRegions,
        organization: { roleName: "OrganizationAccountAccessRole" },
        concurrency: scale.concurrency,
        requestsPerSecond: scale.clientRatePerSecond,
      });
    },
    async collect(config, _server, scale) {
      const { collectAws } = await built("collectors/aws/index.js");
      const credentials = { accessKeyId: "AKIDLANDLORDCALLER", secretAccessKey: "bench-secret" };
      const clientConfig = scale.retryMode ? { retryMode: scale.retryMode } : undefined;
      return outcome(await collectAws(config, context({ aws: { credentials, clientConfig } })));
    },
  },

  azure: {
    async config({ url }, scale) {
      const { azureSourceSchema } = await built("collectors/azure/config.js");
      return azureSourceSchema.parse({ subscriptions: "all", endpoint: url, concurrency: scale.concurrency });
    },
    async collect(config, { ca, token }) {
      const https = await import("node:https");
      const { collectAzure } = await built("collectors/azure/index.js");
      const agent = new https.Agent({ ca, keepAlive: true });
      const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
      try {
        return outcome(
          await collectAzure(config, context({ azure: { credential, clientOptions: { agent } } })),
        );
      } finally {
        agent.destroy();
      }
    },
  },

  gcp: {
    async config({ url }, scale) {
      const { gcpSourceSchema } = await built("collectors/gcp/config.js");
      return gcpSourceSchema.parse({ organization: "1", endpoint: url, concurrency: scale.concurrency });
    },
    async collect(config, { token }) {
      const { collectGcp } = await built("collectors/gcp/index.js");
      // The fake's token as an auth client, as `staticAuthClient` of the tests builds it (google-gax
      // loads this library anyway).
      const { OAuth2Client } = await import("google-auth-library");
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: token ?? null, expiry_date: Date.now() + 3_600_000 });
      return outcome(await collectGcp(config, context({ gcp: { authClient } })));
    },
  },
};

process.once("message", async ({ target, server, scale }) => {
  const config = await TARGETS[target].config(server, scale);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { ids, errors } = await TARGETS[target].collect(config, server, scale);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  process.send({ ids, errors, seconds, cpu }, () => process.disconnect());
});
