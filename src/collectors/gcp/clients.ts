/**
 * The Google clients the collector uses, loaded on demand so that a scan without a `gcp:` source
 * never loads the Google SDKs.
 */
import type { AssetServiceClient } from "@google-cloud/asset";
import type { FoldersClient, ProjectsClient } from "@google-cloud/resource-manager";
import type { CloudOverrides } from "../types.js";

/** The options every Google client constructor takes (google-gax `ClientOptions`). */
type GoogleClientOptions = NonNullable<ConstructorParameters<typeof ProjectsClient>[0]>;

/** Resource Manager v3 and Cloud Asset v1 clients sharing one transport configuration. */
export interface GcpClients {
  folders: FoldersClient;
  projects: ProjectsClient;
  /**
   * The Cloud Asset client, loaded on first use: the collector asks for it once the hierarchy walk
   * has sent its first calls, so that the SDK loads while they are in flight.
   */
  assets(): Promise<AssetServiceClient>;
  close(): Promise<void>;
}

/** Client options derived from the source's `endpoint` URL: host, port and protocol. */
export function endpointOptions(endpoint: string | undefined): Record<string, unknown> {
  if (!endpoint) return {};
  const url = new URL(endpoint);
  const protocol = url.protocol.replace(/:$/, "");
  const port = url.port ? Number(url.port) : protocol === "http" ? 80 : 443;
  return { apiEndpoint: url.hostname.replace(/^\[|\]$/g, ""), port, protocol };
}

/**
 * Builds the clients. The REST transport (`fallback: true`) is the default: plain HTTPS/1.1 goes
 * through corporate proxies and private endpoints where HTTP/2 gRPC often does not, and the
 * collector retries by itself anyway. Credentials are Application Default Credentials unless
 * `overrides.authClient` is given; `overrides.clientOptions` is applied last.
 */
export async function createGcpClients(
  endpoint: string | undefined,
  overrides: CloudOverrides["gcp"] | undefined,
): Promise<GcpClients> {
  const resourceManager = await import("@google-cloud/resource-manager");
  // The auth client and extra options come from the embedding program untyped (CloudOverrides).
  const options = {
    fallback: true,
    ...endpointOptions(endpoint),
    ...(overrides?.authClient ? { authClient: overrides.authClient } : {}),
    ...overrides?.clientOptions,
  } as GoogleClientOptions;
  const clients = {
    folders: new resourceManager.FoldersClient(options),
    projects: new resourceManager.ProjectsClient(options),
  };
  let assets: Promise<AssetServiceClient> | undefined;
  return {
    ...clients,
    assets() {
      assets ??= import("@google-cloud/asset").then((asset) => {
        const client = new asset.AssetServiceClient(options);
        // Its transport is built now rather than on the first search, while the walk still waits.
        client.initialize().catch(() => {});
        return client;
      });
      return assets;
    },
    async close() {
      const all = [...Object.values(clients), ...(assets ? [await assets.catch(() => undefined)] : [])];
      await Promise.allSettled(all.map((client) => client?.close()));
    },
  };
}
