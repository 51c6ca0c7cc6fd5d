/** Shared setup for the AWS collector tests: the real collector pointed at a fake AWS. */
import { ConfiguredRetryStrategy } from "@smithy/util-retry";
import type { AwsSourceConfig } from "../../../src/collectors/aws/config.js";
import { awsSourceSchema } from "../../../src/collectors/aws/config.js";
import { collectAws } from "../../../src/collectors/aws/index.js";
import type { CollectResult, ProgressEvent, Shard } from "../../../src/collectors/types.js";
import type { FakeAws } from "./fake-aws.js";

/** The static keys of the caller account (the fake server maps unknown keys to its caller account). */
export const CALLER_CREDENTIALS = {
  accessKeyId: "AKIDLANDLORDCALLER",
  secretAccessKey: "caller-secret-value",
};

/** Runs `collectAws` with the YAML-shaped source `source` against `fake`. */
export async function collect(
  fake: FakeAws,
  source: Record<string, unknown>,
  options: { maxAttempts?: number; shard?: Shard } = {},
): Promise<CollectResult & { progress: ProgressEvent[] }> {
  const config: AwsSourceConfig = awsSourceSchema.parse({ endpoint: fake.url, ...source });
  const progress: ProgressEvent[] = [];
  const result = await collectAws(config, {
    baseDir: "/",
    env: {},
    progress: (event) => progress.push(event),
    ...(options.shard ? { shard: options.shard } : {}),
    overrides: {
      aws: {
        credentials: CALLER_CREDENTIALS,
        clientConfig: { retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? 4, () => 0) },
      },
    },
  });
  return { ...result, progress };
}

/** Sorted resource ids, failing on duplicates by keeping them. */
export function ids(result: CollectResult): string[] {
  return result.resources.map((resource) => resource.id).sort();
}
