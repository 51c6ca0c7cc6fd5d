/**
 * Collection at scale: the real collectors against the local fake cloud servers of their tests,
 * with per account-region rate limits and a share of throttled calls. Measures the throughput the
 * collector reaches against the throughput the rate limits allow at its concurrency, and checks
 * that every resource was collected exactly once.
 *
 *   npx tsx bench/collect.ts                                  # AWS: 300 accounts x 3 regions
 *   npx tsx bench/collect.ts --all                            # AWS, then Azure (300 subscriptions), then GCP (300 projects)
 *   npx tsx bench/collect.ts --gcp                            # GCP alone: 300 projects in 10 folders
 *   npx tsx bench/collect.ts --gcp --gcp-hint retry-info      # its 429s say when to come back
 *   npx tsx bench/collect.ts --accounts 100 --regions 8 --concurrency 64
 *
 * The fake server runs in its own process so that it does not compete with the collector for the
 * event loop. A provider plugs in as one {@link CollectTarget}: AWS, Azure and GCP are wired.
 *
 * The collectors are the built library (dist/, built first as `npm run build` does; `--no-build`
 * reuses it), run in a plain Node process of their own (`collect-child.mjs`) as the CLI runs them:
 * not the sources transpiled on load by tsx, and not under tsx's module hooks. The timed region
 * starts before the collector's module is imported, so its loading, and the SDK imports it makes
 * itself, are timed as a `landlord collect` pays for them.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FakeAccount, FakeAwsOptions, FakeAwsStats } from "../test/collectors/aws/fake-aws.js";
import type { FakeArmOptions } from "../test/collectors/azure/fake-arm.js";
import type { FakeGoogleOptions, FakeRetryHint } from "../test/collectors/gcp/fake-google.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The shape of one benchmark organisation. */
export interface CollectScale {
  accounts: number;
  regions: number;
  /** Resources per account-region. */
  resourcesPerScope: number;
  /** Resources per page the server returns (small pages mean many calls per scope). */
  pageSize: number;
  /** Calls per second per account-region the server allows. */
  ratePerSecond: number;
  /**
   * The collector's own `requestsPerSecond`: the server's rate, since the collector's bucket never
   * puts more than that many calls in any one-second window of the server.
   */
  clientRatePerSecond: number;
  /** Share of first attempts the server throttles regardless of rate. */
  throttleShare: number;
  /** Account-regions the collector reads at once. */
  concurrency: number;
  /**
   * The SDK retry mode, when not the collector's own choice (`adaptive`). Set through the
   * programmatic client overrides, to measure what the choice costs; not a user setting.
   */
  retryMode?: "standard" | "adaptive";
  /** What the fake Google server's 429s say about when to come back. @default "none" */
  gcpHint?: FakeRetryHint;
}

/** One provider's benchmark: the server to start and how to collect from it. */
export interface CollectTarget {
  name: string;
  /**
   * Scopes (account-regions, subscriptions, projects), the resource ids the server holds, and how
   * the server limits the calls of one scope.
   */
  plan(scale: CollectScale): {
    scopes: number;
    pagesPerScope: number;
    expectedIds: string[];
    limit: ScopeLimit;
  };
  /**
   * The settings the collector process (`collect-child.mjs`) configures the target's collector
   * with; it collects from the running server and answers the resource ids and error diagnostics.
   */
  collector(scale: CollectScale): Record<string, unknown>;
  /** Calls that read resource pages, and throttled answers, from the server's final stats. */
  counts(stats: ServerStats): { calls: number; throttled: number };
  /** Module and options the server process starts. */
  server(scale: CollectScale): { module: string; options: unknown };
  /** How the results table names the scopes, the limit, the concurrency and the retry; AWS's when absent. */
  describe?(scale: CollectScale): { scopes: string; pacing: string; concurrency: number; retry: string };
}

const AWS_REGIONS = [
  "us-east-1",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
  "ap-northeast-2",
  "ap-northeast-1",
  "ap-southeast-1",
  "us-east-2",
  "ca-central-1",
  "sa-east-1",
  "ap-south-1",
  "eu-west-2",
  "eu-north-1",
  "ap-southeast-2",
  "us-west-1",
  "eu-west-3",
  "ap-northeast-3",
];
const MANAGEMENT = "100000000000";

function awsAccounts(scale: CollectScale): FakeAccount[] {
  const ids = Array.from({ length: scale.accounts }, (_, index) =>
    index === 0 ? MANAGEMENT : String(200000000000 + index * 7919),
  );
  return ids.map((id) => ({
    id,
    resources: Object.fromEntries(
      AWS_REGIONS.slice(0, scale.regions).map((region) => [
        region,
        Array.from({ length: scale.resourcesPerScope }, (_, index) => ({
          arn: `arn:aws:ec2:${region}:${id}:instance/i-${index.toString(16).padStart(17, "0")}`,
          tags: { app: `app-${index % 13}`, env: index % 3 ? "prod" : "dev" },
        })),
      ]),
    ),
  }));
}

export const AWS_TARGET: CollectTarget = {
  name: "aws",
  plan(scale) {
    const expectedIds = awsAccounts(scale).flatMap((account) =>
      Object.values(account.resources ?? {}).flatMap((resources) =>
        resources.map((resource) => resource.arn),
      ),
    );
    return {
      scopes: scale.accounts * scale.regions,
      pagesPerScope: Math.max(1, Math.ceil(scale.resourcesPerScope / scale.pageSize)),
      expectedIds,
      // The fake counts served calls in a sliding one-second window per account-region.
      limit: { window: scale.ratePerSecond },
    };
  },
  server(scale) {
    const options: FakeAwsOptions = {
      callerAccount: MANAGEMENT,
      accounts: awsAccounts(scale),
      regions: AWS_REGIONS.slice(0, scale.regions).map((name) => ({ name })),
      pageSize: scale.pageSize,
      accountsPageSize: 20,
      rateLimitPerSecond: scale.ratePerSecond,
      throttleShare: scale.throttleShare,
    };
    return { module: "../test/collectors/aws/fake-aws.js", options };
  },
  counts(stats) {
    const aws = stats as unknown as FakeAwsStats;
    return { calls: aws.calls["GetResources"] ?? 0, throttled: aws.throttled };
  },
  collector(scale) {
    return {
      awsRegions: AWS_REGIONS.slice(0, scale.regions),
      concurrency: scale.concurrency,
      clientRatePerSecond: scale.clientRatePerSecond,
      retryMode: scale.retryMode,
    };
  },
};

/** What the server process reports once it listens. */
export interface ServerInfo {
  url: string;
  /** PEM of a self-signed certificate the client must trust (HTTPS fakes). */
  ca?: string;
  /** Bearer token the server accepts. */
  token?: string;
}

/** The server's counters, whatever their shape. */
export type ServerStats = Record<string, unknown>;

/**
 * The plan of a target whose server keeps one token bucket per scope (one second's worth of calls,
 * full at the start); the server process fills the expected ids from the same generator.
 */
function bucketPlan(scale: CollectScale): ReturnType<CollectTarget["plan"]> {
  return {
    scopes: scale.accounts,
    pagesPerScope: Math.max(1, Math.ceil(scale.resourcesPerScope / scale.pageSize)),
    expectedIds: [],
    limit: { burst: scale.ratePerSecond, perSecond: scale.ratePerSecond },
  };
}

/**
 * Azure: subscriptions listed from the tenant, each read through `resources.list` (ARM's limit is
 * per subscription, so a subscription is the scope; `regions` does not apply).
 */
export const AZURE_TARGET: CollectTarget = {
  name: "azure",
  // The fake ARM keeps a token bucket per subscription, full at the start.
  plan: bucketPlan,
  server(scale) {
    return {
      module: "../test/collectors/azure/fake-arm.js",
      options: {
        subscriptionCount: scale.accounts,
        resourcesPerSubscription: scale.resourcesPerScope,
        pageSize: scale.pageSize,
        rateLimit: { bucket: scale.ratePerSecond, refillPerSecond: scale.ratePerSecond },
        throttleShare: scale.throttleShare,
      },
    };
  },
  counts(stats) {
    return { calls: Number(stats["calls"] ?? 0), throttled: Number(stats["throttled"] ?? 0) };
  },
  collector(scale) {
    return { concurrency: Math.min(64, scale.concurrency) };
  },
};

/** Projects in one GCP folder of the benchmark organisation. */
const GCP_PROJECTS_PER_FOLDER = 30;
/** The most projects the GCP source reads at once (its schema's maximum). */
const GCP_CONCURRENCY_MAX = 64;

/** What the fake Google server's 429s say about when to come back (`--gcp-hint`). */
function gcpHint(argv: readonly string[]): FakeRetryHint {
  const hint = argv[argv.indexOf("--gcp-hint") + 1];
  return argv.includes("--gcp-hint") && (hint === "retry-after" || hint === "retry-info") ? hint : "none";
}

/**
 * GCP: organisation -> folders -> projects discovered through Resource Manager, each project read
 * through Cloud Asset `searchAllResources`; the fake keeps a token bucket per project (the scope),
 * so `regions` does not apply.
 */
export const GCP_TARGET: CollectTarget = {
  name: "gcp",
  // The fake's per-project bucket holds one second's worth of calls and starts full.
  plan: bucketPlan,
  server(scale) {
    return {
      module: "../test/collectors/gcp/fake-google.js",
      options: {
        projects: scale.accounts,
        projectsPerFolder: GCP_PROJECTS_PER_FOLDER,
        resourcesPerProject: scale.resourcesPerScope,
        searchPageSize: scale.pageSize,
        projectRateLimit: { requestsPerSecond: scale.ratePerSecond, hint: scale.gcpHint ?? "none" },
        throttleFirstAttempts: { share: scale.throttleShare, hint: scale.gcpHint ?? "none" },
      },
    };
  },
  counts(stats) {
    return { calls: Number(stats["calls"] ?? 0), throttled: Number(stats["throttled"] ?? 0) };
  },
  describe(scale) {
    return {
      scopes: `${scale.accounts} projects in ${Math.ceil(scale.accounts / GCP_PROJECTS_PER_FOLDER)} folders`,
      pacing: `${scale.ratePerSecond}/s per project (429 hint: ${scale.gcpHint ?? "none"})`,
      concurrency: Math.min(GCP_CONCURRENCY_MAX, scale.concurrency),
      retry: "landlord's own (searches paced per project at a learned interval)",
    };
  },
  collector(scale) {
    return { concurrency: Math.min(GCP_CONCURRENCY_MAX, scale.concurrency) };
  },
};

/**
 * How a server limits the calls of one scope: at most `window` calls in any one second (a sliding
 * window), or a token bucket of `burst` tokens refilled at `perSecond`, full at the start.
 */
export type ScopeLimit = { window: number } | { burst: number; perSecond: number };

/**
 * The least time one scope's `pages` sequential calls take under `limit`, round trips aside: in a
 * sliding window of `w` calls per second the k-th call (from 0) starts no sooner than `floor(k / w)`
 * seconds after the first; from a full bucket, no sooner than `(k - burst + 1) / perSecond` seconds.
 * The first calls are free either way: counting every call at the steady rate (`pages / rate`, the
 * formula of earlier runs) made the floor half again too long for 6 pages at 2 per second.
 */
export function scopeSeconds(pages: number, limit: ScopeLimit): number {
  const last = Math.max(0, pages - 1);
  if ("window" in limit) return Math.floor(last / Math.max(1, Math.floor(limit.window)));
  return Math.max(0, last - limit.burst + 1) / limit.perSecond;
}

/**
 * The time the rate limits allow: `scopes` scopes, at most `concurrency` read at once. A scope is
 * read start to end by one of the `concurrency` slots, so some slot reads `ceil(scopes /
 * concurrency)` of them one after another, whatever the order; none can take less than
 * {@link scopeSeconds}.
 */
export function rateLimitedMakespan(
  scopes: number,
  pages: number,
  limit: ScopeLimit,
  concurrency: number,
): number {
  const perSlot = Math.ceil(scopes / Math.max(1, Math.min(concurrency, scopes)));
  return perSlot * scopeSeconds(pages, limit);
}

/**
 * The time the sustained rate allows, first calls not free: every call of a scope at `rate` per
 * second, `concurrency` scopes at once. The literal reading of "the throughput the rate limits
 * allow" (2 calls per second per scope); {@link rateLimitedMakespan} is the stricter one, an ideal
 * client that also spends each window's or bucket's free first calls.
 */
export function sustainedMakespan(scopes: number, pages: number, rate: number, concurrency: number): number {
  return Math.ceil(scopes / Math.max(1, Math.min(concurrency, scopes))) * (pages / rate);
}

// ---------------------------------------------------------------------------------------------

interface ServerMessage {
  info?: ServerInfo;
  stats?: ServerStats;
  expectedIds?: string[];
}

/** Runs in the server process: starts the fake a target names, answers with its address, then stats. */
async function serverProcess(): Promise<void> {
  const request = await new Promise<{ module: string; options: Record<string, unknown> }>((resolve) =>
    process.once("message", (message) =>
      resolve(message as { module: string; options: Record<string, unknown> }),
    ),
  );
  let info: ServerInfo;
  let stats: () => ServerStats;
  let expectedIds: string[] | undefined;
  let close: () => Promise<void>;
  if (request.module.includes("fake-arm")) {
    const arm = await import("../test/collectors/azure/fake-arm.js");
    const options = request.options as {
      subscriptionCount: number;
      resourcesPerSubscription: number;
      pageSize: number;
      rateLimit: { bucket: number; refillPerSecond: number };
      throttleShare: number;
    };
    const subscriptions = Array.from({ length: options.subscriptionCount }, (_, index) => {
      const subscriptionId = arm.makeSubscriptionId(index + 1);
      return {
        subscriptionId,
        resources: arm.makeResources(subscriptionId, options.resourcesPerSubscription),
      };
    });
    const armOptions: FakeArmOptions = {
      subscriptions,
      pageSize: options.pageSize,
      rateLimit: options.rateLimit,
      ...(options.throttleShare > 0 ? { throttle: { share: options.throttleShare } } : {}),
    };
    const fake = await arm.startFakeArm(armOptions);
    expectedIds = subscriptions.flatMap((subscription) =>
      subscription.resources.map((resource) => resource.id),
    );
    info = { url: fake.endpoint, ca: fake.ca, token: "fake-arm-token" };
    stats = () => ({
      calls: fake.requests.filter((entry) => (entry.path.split("?")[0] ?? "").endsWith("/resources")).length,
      throttled: fake.throttled(),
    });
    close = () => fake.close();
  } else if (request.module.includes("fake-google")) {
    const google = await import("../test/collectors/gcp/fake-google.js");
    const { projects, projectsPerFolder, resourcesPerProject, ...limits } = request.options as {
      projects: number;
      projectsPerFolder: number;
      resourcesPerProject: number;
    } & Pick<FakeGoogleOptions, "searchPageSize" | "projectRateLimit" | "throttleFirstAttempts">;
    const organisation = google.makeOrganisation({ projects, projectsPerFolder, resourcesPerProject });
    const fake = await google.startFakeGoogle({
      ...organisation,
      ...limits,
      accessToken: "fake-google-token",
    });
    expectedIds = Object.values(organisation.assets).flatMap((assets) => assets.map((asset) => asset.name));
    info = { url: fake.url, token: "fake-google-token" };
    stats = () => fake.searchStats();
    close = () => fake.close();
  } else {
    const aws = await import("../test/collectors/aws/fake-aws.js");
    const fake = await aws.startFakeAws(request.options as unknown as FakeAwsOptions);
    info = { url: fake.url };
    stats = () => fake.stats as unknown as ServerStats;
    close = () => fake.close();
  }
  process.send?.({ info, ...(expectedIds ? { expectedIds } : {}) } satisfies ServerMessage);
  process.once("message", async () => {
    process.send?.({ stats: stats() } satisfies ServerMessage);
    await close();
    process.disconnect();
  });
}

/** What the collector process answers. */
interface CollectorAnswer {
  ids: string[];
  errors: number;
  seconds: number;
  cpu: NodeJS.CpuUsage;
}

function next(child: ChildProcess): Promise<ServerMessage> {
  return new Promise((resolve) => child.once("message", (message) => resolve(message as ServerMessage)));
}

function argument(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? Number(argv[at + 1]) : fallback;
}

async function main(argv: readonly string[]): Promise<void> {
  // As bin/landlord.js does: the SDK's Node 20 end-of-support notice is not the benchmark's concern.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const ratePerSecond = argument(argv, "rate", 2);
  const scale: CollectScale = {
    accounts: argument(argv, "accounts", 300),
    regions: argument(argv, "regions", 3),
    resourcesPerScope: argument(argv, "resources", 24),
    pageSize: argument(argv, "page-size", 4),
    ratePerSecond,
    clientRatePerSecond: argument(argv, "client-rate", ratePerSecond),
    throttleShare: argument(argv, "throttle-share", 0.05),
    concurrency: argument(argv, "concurrency", 96),
  };
  if (argv.includes("--gcp-hint")) scale.gcpHint = gcpHint(argv);
  const retryMode = argv[argv.indexOf("--retry-mode") + 1];
  if (argv.includes("--retry-mode") && (retryMode === "standard" || retryMode === "adaptive")) {
    scale.retryMode = retryMode;
  }
  if (!argv.includes("--no-build")) {
    // As `npm run build`: the compiler, then the builtin catalog's snapshot.
    execFileSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });
  }
  const rows: string[] = [];
  const targets = argv.includes("--azure")
    ? [AZURE_TARGET]
    : argv.includes("--gcp")
      ? [GCP_TARGET]
      : argv.includes("--all")
        ? [AWS_TARGET, AZURE_TARGET, GCP_TARGET]
        : [AWS_TARGET];
  for (const target of targets) {
    const plan = target.plan(scale);
    const child = fork(import.meta.filename, ["--server"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.send(target.server(scale));
    const { info, expectedIds } = await next(child);
    if (!info) throw new Error("the fake server did not start");
    if (expectedIds) plan.expectedIds = expectedIds;
    // The collector runs in a plain Node process, as `landlord collect` does (see collect-child.mjs).
    const collector = fork(path.join(import.meta.dirname, "collect-child.mjs"), [], {
      execArgv: ["--cpu-prof", "--cpu-prof-dir", "/tmp/cp2"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    collector.send({ target: target.name, server: info, scale: target.collector(scale) });
    const { ids, errors, seconds, cpu } = await new Promise<CollectorAnswer>((resolve, reject) => {
      collector.once("message", (message) => resolve(message as CollectorAnswer));
      collector.once("exit", (code) => reject(new Error(`the ${target.name} collector exited (${code})`)));
    });
    const collected = { ids, errors };
    child.send("stop");
    const { stats } = await next(child);
    const { calls, throttled } = target.counts(stats ?? {});
    const described = target.describe?.(scale);
    const scopes =
      described?.scopes ??
      (target === AZURE_TARGET ? `${scale.accounts} subscriptions` : `${scale.accounts} x ${scale.regions}`);
    const azure = target === AZURE_TARGET;
    const pacing =
      described?.pacing ??
      (azure
        ? `${scale.ratePerSecond}/s per subscription (no client pacing; waits out retry-after)`
        : `${scale.ratePerSecond}/s per account-region (client ${scale.clientRatePerSecond}/s)`);
    const concurrency =
      described?.concurrency ?? (azure ? Math.min(64, scale.concurrency) : scale.concurrency);
    const retry =
      described?.retry ??
      (azure ? "landlord's own (retry-after)" : (scale.retryMode ?? "adaptive (default)"));
    const needed = plan.scopes * plan.pagesPerScope;
    const ideal = rateLimitedMakespan(plan.scopes, plan.pagesPerScope, plan.limit, concurrency);
    const sustained = sustainedMakespan(plan.scopes, plan.pagesPerScope, scale.ratePerSecond, concurrency);
    const counts = new Map<string, number>();
    for (const id of collected.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicates = [...counts.values()].filter((count) => count > 1).length;
    const missing = plan.expectedIds.filter((id) => !counts.has(id)).length;
    const extra = collected.ids.length - (plan.expectedIds.length - missing) - duplicates;
    const achieved = needed / seconds;
    const allowed = needed / ideal;
    rows.push(
      `| ${target.name} | ${scopes} | ${plan.expectedIds.length} | ${collected.ids.length} | ${missing} / ${duplicates} / ${extra} | ${collected.errors} | ${needed} | ${calls} | ${throttled} | ${pacing} | ${concurrency} | ${retry} | ${seconds.toFixed(1)} | ${ideal.toFixed(1)} | ${achieved.toFixed(0)} | ${allowed.toFixed(0)} | ${((100 * achieved) / allowed).toFixed(0)}% | ${sustained.toFixed(1)} | ${((100 * sustained) / seconds).toFixed(0)}% | ${(cpu.user / 1e6 + cpu.system / 1e6).toFixed(1)} |`,
    );
    console.log(
      `${target.name}: ${collected.ids.length}/${plan.expectedIds.length} resources, missing ${missing}, duplicated ${duplicates}, errors ${collected.errors}; ${calls} page calls (${needed} pages, ${throttled} throttled) in ${seconds.toFixed(1)} s; rate limits allow ${ideal.toFixed(1)} s -> ${((100 * achieved) / allowed).toFixed(0)}% (${((100 * sustained) / seconds).toFixed(0)}% of the sustained rate, ${sustained.toFixed(1)} s)`,
    );
  }
  const table = [
    `<!-- Generated by \`npx tsx bench/collect.ts\` on ${new Date().toISOString().slice(0, 10)} (${os.availableParallelism()} CPUs, Node ${process.version}); rerun to refresh. -->`,
    "",
    "| provider | scopes | resources | collected | missing / duplicated / unexpected | error diagnostics | pages needed | calls made | throttled answers | limit per scope | concurrency | SDK retry mode | wall s | rate-limit floor s | pages/s achieved | pages/s allowed | share of allowed | sustained-rate floor s | share of the sustained rate | collector CPU s |",
    "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
  await writeFile(path.join(import.meta.dirname, "collect-results.md"), table);
  console.log(`\n${table}`);
}

if (process.argv.includes("--server")) {
  await serverProcess();
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv.slice(2));
}
