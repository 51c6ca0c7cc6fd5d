/**
 * Synthetic organisations for the benchmarks: a multicloud estate shaped like real ones, written as
 * JSONL inventories (one resource per line) plus the organisation's `landlord.yaml`.
 *
 * Deterministic: the same size and seed always give the same bytes. Shapes, roughly as large
 * estates look: AWS about 55% of resources, Azure 25%, GCP 12%, then Alibaba, Oracle, KT and the
 * organisation's own data centres; accounts of a few hundred to a few thousand resources; workloads
 * whose sizes follow a long tail; classification tags on about 78% of resources; a few third-party
 * vendors; resource ids and types as each provider spells them, drawn from the types the catalog's
 * lock-in table knows.
 *
 *   npx tsx bench/generate.ts                  # 10k, 100k and 1M into bench/out/
 *   npx tsx bench/generate.ts --sizes 10000    # one size
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Resource } from "../src/inventory/types.js";

/** Mulberry32: a small, fast, seedable PRNG (uniform floats in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

/** Picks from `[value, weight]` pairs. */
function weighted<T>(random: Random, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, weight] of choices) total += weight;
  let point = random() * total;
  for (const [value, weight] of choices) {
    point -= weight;
    if (point < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex(random: Random, length: number): string {
  let text = "";
  while (text.length < length)
    text += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, "0");
  return text.slice(0, length);
}

function digits(random: Random, length: number): string {
  let text = String(1 + Math.floor(random() * 9));
  while (text.length < length) text += String(Math.floor(random() * 10));
  return text;
}

/** Share of resources per provider. */
const PROVIDER_SHARES = [
  ["aws", 55],
  ["azure", 25],
  ["gcp", 12],
  ["alibaba", 3],
  ["oracle", 2.5],
  ["kt", 1],
  ["onprem", 1.5],
] as const;
type ProviderId = (typeof PROVIDER_SHARES)[number][0];

/** Regions per provider, most used first (weights fall off with position). */
const REGIONS: Record<ProviderId, readonly string[]> = {
  aws: [
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
  ],
  azure: [
    "eastus",
    "westeurope",
    "eastus2",
    "northeurope",
    "koreacentral",
    "japaneast",
    "uksouth",
    "centralus",
    "southeastasia",
    "germanywestcentral",
  ],
  gcp: [
    "us-central1",
    "europe-west1",
    "asia-northeast3",
    "us-east1",
    "europe-west4",
    "asia-northeast1",
    "us-west1",
  ],
  alibaba: ["cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1", "cn-hongkong"],
  oracle: ["us-ashburn-1", "ap-seoul-1", "ap-chuncheon-1", "eu-frankfurt-1"],
  kt: ["kr-central-1", "kr-central-2"],
  onprem: ["dc-chicago", "dc-frankfurt"],
};

/** A resource type and how its id is built: `(names) => id`. */
interface TypeShape {
  type: string;
  weight: number;
  id: (at: Placement, random: Random, name: string) => string;
}

interface Placement {
  account: string;
  region: string;
  /** Azure resource group. */
  group: string;
}

const awsArn =
  (service: string, resource: string, global = false) =>
  (at: Placement) =>
    `arn:aws:${service}:${global ? "" : at.region}:${at.account}:${resource}`;

const TYPES: Record<ProviderId, readonly TypeShape[]> = {
  aws: [
    { type: "ec2:instance", weight: 22, id: (at, r) => awsArn("ec2", `instance/i-0${hex(r, 16)}`)(at) },
    { type: "ec2:volume", weight: 14, id: (at, r) => awsArn("ec2", `volume/vol-0${hex(r, 16)}`)(at) },
    { type: "s3:bucket", weight: 10, id: (_at, _r, name) => `arn:aws:s3:::${name}` },
    { type: "lambda:function", weight: 12, id: (at, _r, name) => awsArn("lambda", `function:${name}`)(at) },
    { type: "dynamodb:table", weight: 7, id: (at, _r, name) => awsArn("dynamodb", `table/${name}`)(at) },
    { type: "rds:db", weight: 6, id: (at, _r, name) => awsArn("rds", `db:${name}`)(at) },
    { type: "sqs:queue", weight: 6, id: (at, _r, name) => awsArn("sqs", name)(at) },
    { type: "sns:topic", weight: 4, id: (at, _r, name) => awsArn("sns", name)(at) },
    { type: "eks:cluster", weight: 2, id: (at, _r, name) => awsArn("eks", `cluster/${name}`)(at) },
    {
      type: "elasticloadbalancing:loadbalancer",
      weight: 4,
      id: (at, r, name) => awsArn("elasticloadbalancing", `loadbalancer/app/${name}/${hex(r, 16)}`)(at),
    },
    {
      type: "kms:key",
      weight: 4,
      id: (at, r) =>
        awsArn("kms", `key/${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`)(at),
    },
    { type: "kinesis:stream", weight: 2, id: (at, _r, name) => awsArn("kinesis", `stream/${name}`)(at) },
    {
      type: "states:statemachine",
      weight: 2,
      id: (at, _r, name) => awsArn("states", `stateMachine:${name}`)(at),
    },
    {
      type: "secretsmanager:secret",
      weight: 3,
      id: (at, r, name) => awsArn("secretsmanager", `secret:${name}-${hex(r, 6)}`)(at),
    },
    { type: "ecr:repository", weight: 2, id: (at, _r, name) => awsArn("ecr", `repository/${name}`)(at) },
  ],
  azure: [
    {
      type: "Microsoft.Compute/virtualMachines",
      weight: 20,
      id: azureId("Microsoft.Compute/virtualMachines"),
    },
    { type: "Microsoft.Compute/disks", weight: 16, id: azureId("Microsoft.Compute/disks") },
    {
      type: "Microsoft.Storage/storageAccounts",
      weight: 12,
      id: azureId("Microsoft.Storage/storageAccounts"),
    },
    { type: "Microsoft.Web/sites", weight: 10, id: azureId("Microsoft.Web/sites") },
    { type: "Microsoft.Sql/servers", weight: 7, id: azureId("Microsoft.Sql/servers") },
    {
      type: "Microsoft.DocumentDB/databaseAccounts",
      weight: 5,
      id: azureId("Microsoft.DocumentDB/databaseAccounts"),
    },
    { type: "Microsoft.KeyVault/vaults", weight: 6, id: azureId("Microsoft.KeyVault/vaults") },
    {
      type: "Microsoft.ContainerService/managedClusters",
      weight: 3,
      id: azureId("Microsoft.ContainerService/managedClusters"),
    },
    { type: "Microsoft.ServiceBus/namespaces", weight: 4, id: azureId("Microsoft.ServiceBus/namespaces") },
    { type: "Microsoft.Cache/redis", weight: 3, id: azureId("Microsoft.Cache/redis") },
    { type: "Microsoft.Synapse/workspaces", weight: 1, id: azureId("Microsoft.Synapse/workspaces") },
  ],
  gcp: [
    {
      type: "compute.googleapis.com/Instance",
      weight: 22,
      id: (at, r, name) =>
        `//compute.googleapis.com/projects/${at.account}/zones/${at.region}-${pick(r, ["a", "b", "c"])}/instances/${name}`,
    },
    {
      type: "compute.googleapis.com/Disk",
      weight: 14,
      id: (at, r, name) =>
        `//compute.googleapis.com/projects/${at.account}/zones/${at.region}-${pick(r, ["a", "b", "c"])}/disks/${name}`,
    },
    {
      type: "storage.googleapis.com/Bucket",
      weight: 12,
      id: (_at, _r, name) => `//storage.googleapis.com/${name}`,
    },
    {
      type: "bigquery.googleapis.com/Dataset",
      weight: 8,
      id: (at, _r, name) =>
        `//bigquery.googleapis.com/projects/${at.account}/datasets/${name.replaceAll("-", "_")}`,
    },
    {
      type: "sqladmin.googleapis.com/Instance",
      weight: 6,
      id: (at, _r, name) => `//cloudsql.googleapis.com/projects/${at.account}/instances/${name}`,
    },
    {
      type: "run.googleapis.com/Service",
      weight: 8,
      id: (at, _r, name) =>
        `//run.googleapis.com/projects/${at.account}/locations/${at.region}/services/${name}`,
    },
    {
      type: "pubsub.googleapis.com/Topic",
      weight: 6,
      id: (at, _r, name) => `//pubsub.googleapis.com/projects/${at.account}/topics/${name}`,
    },
    {
      type: "container.googleapis.com/Cluster",
      weight: 2,
      id: (at, _r, name) =>
        `//container.googleapis.com/projects/${at.account}/locations/${at.region}/clusters/${name}`,
    },
    {
      type: "spanner.googleapis.com/Instance",
      weight: 1,
      id: (at, _r, name) => `//spanner.googleapis.com/projects/${at.account}/instances/${name}`,
    },
  ],
  alibaba: [
    {
      type: "ecs:instance",
      weight: 5,
      id: (at, r) => `acs:ecs:${at.region}:${at.account}:instance/i-${hex(r, 20)}`,
    },
    { type: "oss:bucket", weight: 3, id: (at, _r, name) => `acs:oss:${at.region}:${at.account}:${name}` },
    {
      type: "rds:dbinstance",
      weight: 2,
      id: (at, r) => `acs:rds:${at.region}:${at.account}:dbinstance/rm-${hex(r, 16)}`,
    },
  ],
  oracle: [
    { type: "core.instance", weight: 5, id: (at, r) => `ocid1.instance.oc1.${at.region}.${hex(r, 60)}` },
    {
      type: "database.autonomousdatabase",
      weight: 2,
      id: (at, r) => `ocid1.autonomousdatabase.oc1.${at.region}.${hex(r, 60)}`,
    },
    {
      type: "objectstorage.bucket",
      weight: 3,
      id: (at, _r, name) => `ocid1.bucket.oc1.${at.region}.${at.account}.${name}`,
    },
  ],
  kt: [
    { type: "server", weight: 6, id: (at, r) => `kt:${at.account}:${at.region}:server/${hex(r, 12)}` },
    { type: "db", weight: 2, id: (at, r) => `kt:${at.account}:${at.region}:db/${hex(r, 12)}` },
  ],
  onprem: [
    { type: "vmware:vm", weight: 8, id: (at, _r, name) => `onprem:${at.region}/vcenter/vm/${name}` },
    { type: "postgres:database", weight: 2, id: (at, _r, name) => `onprem:${at.region}/postgres/${name}` },
  ],
};

function azureId(type: string): TypeShape["id"] {
  return (at, _r, name) =>
    `/subscriptions/${at.account}/resourceGroups/${at.group}/providers/${type}/${name}`;
}

const WORKLOAD_WORDS = [
  "checkout",
  "pos",
  "inventory",
  "pricing",
  "loyalty",
  "search",
  "catalog",
  "orders",
  "payments",
  "fulfilment",
  "returns",
  "analytics",
  "forecast",
  "supplier",
  "store-ops",
  "hr",
  "payroll",
  "crm",
  "marketing",
  "recommend",
  "fraud",
  "delivery",
  "warehouse",
  "identity",
  "media",
  "mobile-api",
  "web",
  "data-lake",
  "ml-platform",
  "observability",
];
const COMPONENTS = [
  "api",
  "db",
  "cache",
  "queue",
  "worker",
  "events",
  "store",
  "etl",
  "frontend",
  "index",
  "batch",
  "stream",
];
const ENVIRONMENTS = [
  ["prod", 45],
  ["production", 5],
  ["staging", 15],
  ["dev", 25],
  ["test", 10],
] as const;
const CRITICALITY = [
  ["critical", 8],
  ["high", 17],
  ["medium", 40],
  ["low", 35],
] as const;
const CLASSIFICATION = [
  ["confidential", 30],
  ["internal", 35],
  ["public", 15],
  ["restricted", 12],
  ["pii", 8],
] as const;
const TEAMS = [
  "platform",
  "commerce",
  "stores",
  "supply-chain",
  "data",
  "finance",
  "people",
  "security",
  "marketing",
  "mobile",
];
const VENDORS = [
  { name: "Acme Store Analytics", provider: "aws" },
  { name: "Northwind Payroll", provider: "azure" },
  { name: "Globex Loyalty Cloud", provider: "aws" },
  { name: "Initech Forecasting", provider: "gcp" },
  { name: "Hanbit Logistics", provider: "kt" },
] as const;

interface Workload {
  name: string;
  criticality: string;
  team: string;
  /** Share of sensitive data classes in this workload's resources. */
  sensitive: number;
  providers: ProviderId[];
  regions: Map<ProviderId, string[]>;
  vendor?: (typeof VENDORS)[number];
  residency?: string;
  certification?: string;
}

/** What {@link generateOrganisation} builds: accounts per provider and the workload mix. */
export interface OrganisationShape {
  accounts: Record<ProviderId, string[]>;
  workloads: Workload[];
}

function accountsFor(provider: ProviderId, count: number, random: Random): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    switch (provider) {
      case "aws":
        ids.add(digits(random, 12));
        break;
      case "azure":
        ids.add(
          `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`,
        );
        break;
      case "gcp":
        ids.add(`${pick(random, TEAMS)}-${pick(random, WORKLOAD_WORDS)}-${digits(random, 6)}`);
        break;
      case "alibaba":
        ids.add(digits(random, 16));
        break;
      case "oracle":
        ids.add(`ocid1.compartment.oc1..${hex(random, 40)}`);
        break;
      case "kt":
        ids.add(`kt-${digits(random, 8)}`);
        break;
      case "onprem":
        ids.add(pick(random, ["vcenter-chi", "vcenter-fra"]) + `-${ids.size}`);
        break;
    }
  }
  return [...ids];
}

/** Builds the organisation: accounts and workloads scaled to `resources`. */
export function organisationShape(resources: number, random: Random): OrganisationShape {
  // Real estates run a few hundred to a few thousand resources per account.
  const totalAccounts = Math.max(12, Math.round(resources / 450));
  const accounts = {} as Record<ProviderId, string[]>;
  for (const [provider, share] of PROVIDER_SHARES) {
    accounts[provider] = accountsFor(
      provider,
      Math.max(1, Math.round((totalAccounts * share) / 100)),
      random,
    );
  }
  const workloadCount = Math.max(20, Math.round(resources / 250));
  const workloads: Workload[] = [];
  for (let index = 0; index < workloadCount; index++) {
    const primary = weighted(random, PROVIDER_SHARES);
    const providers: ProviderId[] = [primary];
    // A fifth of workloads span a second provider (DR copies, analytics exports).
    if (random() < 0.2) {
      const second = weighted(random, PROVIDER_SHARES);
      if (second !== primary) providers.push(second);
    }
    const regions = new Map<ProviderId, string[]>();
    for (const provider of providers) {
      const all = REGIONS[provider];
      const count = weighted(random, [
        [1, 45],
        [2, 40],
        [3, 15],
      ] as const);
      const chosen = new Set<string>();
      while (chosen.size < Math.min(count, all.length)) {
        // Earlier regions are the popular ones.
        chosen.add(all[Math.floor(all.length * random() * random())]!);
      }
      regions.set(provider, [...chosen]);
    }
    const workload: Workload = {
      name: `${pick(random, WORKLOAD_WORDS)}-${index.toString(36)}`,
      criticality: weighted(random, CRITICALITY),
      team: pick(random, TEAMS),
      sensitive: random() * random(),
      providers,
      regions,
    };
    if (random() < 0.03) workload.vendor = pick(random, VENDORS);
    if (providers.includes("kt") || random() < 0.04) workload.residency = pick(random, ["KR", "DE,FR", "US"]);
    if (providers.includes("kt") && random() < 0.5) workload.certification = "csap-medium";
    workloads.push(workload);
  }
  return { accounts, workloads };
}

/** Yields `count` resources of the organisation `seed` describes, in a stable order. */
export function* generateOrganisation(count: number, seed = 20261121): Generator<Resource> {
  const random = seededRandom(seed);
  const shape = organisationShape(count, random);
  const { workloads } = shape;
  // Each workload lives in a handful of accounts of each of its providers.
  const workloadAccounts = workloads.map((workload) =>
    workload.providers.map((provider) => {
      const pool = shape.accounts[provider];
      const start = Math.floor(random() * pool.length);
      const width = Math.min(pool.length, 1 + Math.floor(random() * 3));
      return Array.from({ length: width }, (_, offset) => pool[(start + offset) % pool.length]!);
    }),
  );
  const typeWeights = Object.fromEntries(
    Object.entries(TYPES).map(([provider, shapes]) => [provider, shapes.map((s) => [s, s.weight] as const)]),
  ) as Record<ProviderId, (readonly [TypeShape, number])[]>;
  for (let index = 0; index < count; index++) {
    // Long tail of workload sizes: squaring the draw puts most resources in the first workloads.
    const workloadIndex = Math.floor(workloads.length * random() * random());
    const workload = workloads[workloadIndex]!;
    const providerIndex = workload.providers.length > 1 && random() < 0.3 ? 1 : 0;
    const provider = workload.providers[providerIndex]!;
    const account = pick(random, workloadAccounts[workloadIndex]![providerIndex]!);
    const region = pick(random, workload.regions.get(provider)!);
    const shapeOfType = weighted(random, typeWeights[provider]);
    const environment = weighted(random, ENVIRONMENTS);
    // The index makes names (and so S3 and storage bucket names) unique across the organisation.
    const name = `${workload.name}-${pick(random, COMPONENTS)}-${environment}-${index.toString(36)}`;
    const placement: Placement = { account, region, group: `rg-${workload.name}-${environment}` };
    const tags: Record<string, string> = {
      app: workload.name,
      env: environment,
      owner: `${workload.team}@example.com`,
      "cost-center": `cc-${1000 + (workloadIndex % 400)}`,
    };
    // Criticality tags are set on most workloads, classification on about 78% of resources.
    if (random() < 0.9) tags["criticality"] = workload.criticality;
    if (random() < 0.78) {
      tags["data-classification"] =
        random() < workload.sensitive
          ? weighted(random, [
              ["confidential", 5],
              ["restricted", 3],
              ["pii", 2],
            ] as const)
          : weighted(random, CLASSIFICATION);
    }
    if (workload.residency) tags["data-residency"] = workload.residency;
    if (workload.certification) tags["required-certification"] = workload.certification;
    if (random() < 0.3) tags["managed-by"] = pick(random, ["terraform", "cloudformation", "bicep", "manual"]);
    const resource: Resource = {
      id: shapeOfType.id(placement, random, name),
      provider,
      region,
      account,
      type: shapeOfType.type,
      name,
      tags,
    };
    if (workload.vendor && workload.vendor.provider === provider && random() < 0.5) {
      resource.vendor = workload.vendor.name;
    }
    yield resource;
  }
}

/** The profile the benchmark scans with: a US retailer with the builtin rule pack. */
export function benchProfileYaml(inventory: string): string {
  return `# Generated by bench/generate.ts (npx tsx bench/generate.ts); do not edit.
organization:
  name: Bench Retail Group
  segments: [retail, grocery, e-commerce]
  jurisdiction: US
  competitors: [amazon]
  distrustedJurisdictions: [CN, RU]
tags:
  classification: [data-classification]
  workload: [app]
  environment: [env]
  criticality: [criticality]
sources:
  - file: ./${inventory}
`;
}

/** Writes `org-<label>.jsonl` and `landlord-<label>.yaml` into `folder`; returns the inventory path. */
export async function writeOrganisation(
  folder: string,
  size: number,
  seed?: number,
): Promise<{ inventory: string; profile: string; bytes: number }> {
  await mkdir(folder, { recursive: true });
  const label = sizeLabel(size);
  const inventory = path.join(folder, `org-${label}.jsonl`);
  const profile = path.join(folder, `landlord-${label}.yaml`);
  const stream = createWriteStream(inventory);
  let chunk = "";
  let bytes = 0;
  for (const resource of generateOrganisation(size, seed)) {
    chunk += JSON.stringify(resource) + "\n";
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) await once(stream, "drain");
      chunk = "";
    }
  }
  bytes += Buffer.byteLength(chunk);
  stream.end(chunk);
  await once(stream, "finish");
  await writeFile(profile, benchProfileYaml(path.basename(inventory)));
  return { inventory, profile, bytes };
}

/** `10k`, `100k`, `1m`. */
export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}m`;
  if (size >= 1000 && size % 1000 === 0) return `${size / 1000}k`;
  return String(size);
}

/** The benchmark's output folder (gitignored). */
export const OUT_DIR = path.resolve(import.meta.dirname, "out");

/** Sizes given as `--sizes 10000,100000` or the default three. */
export function sizesFromArgs(argv: readonly string[], fallback = [10_000, 100_000, 1_000_000]): number[] {
  const at = argv.indexOf("--sizes");
  if (at < 0 || argv[at + 1] === undefined) return fallback;
  return argv[at + 1]!.split(",").map((text) => Number(text.replace(/k$/i, "000").replace(/m$/i, "000000")));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const size of sizesFromArgs(process.argv.slice(2))) {
    const started = performance.now();
    const { inventory, bytes } = await writeOrganisation(OUT_DIR, size);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${path.relative(process.cwd(), inventory)}: ${size} resources, ${(bytes / 1e6).toFixed(0)} MB in ${seconds} s`,
    );
  }
}
