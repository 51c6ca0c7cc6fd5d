/**
 * Generates the inventory of the bundled example organisation, Harbor & Vine Markets: a US grocery
 * and retail chain on AWS, Azure and Google Cloud, with a Korean subsidiary that serves public
 * schools. Deterministic: the same seed writes the same files.
 *
 * Run: npx tsx scripts/generate-example.ts
 * Writes: examples/retailer-multicloud/inventory.json and korea-public.csv
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { seededRandom } from "../bench/generate.js";
import type { Resource as InventoryResource } from "../src/inventory/types.js";

const outDir = path.resolve(import.meta.dirname, "../examples/retailer-multicloud");

// A seeded PRNG, so the example never changes between runs.
const random = seededRandom(20170616);
const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Every generated resource sets these fields of the inventory format. */
type Resource = Required<
  Pick<InventoryResource, "id" | "provider" | "region" | "account" | "type" | "name" | "tags">
>;
const resources: Resource[] = [];

const AWS_PROD = "314159265358";
const AWS_DEV = "271828182845";
const AWS_KR = "161803398874";
const AZ_SUB = "5f0c2a4e-8b1d-4c6e-9a37-2d9e1f4b7c10";
const AZ_SUB_EU = "a8e3d9b2-6f4c-4e1a-b5d7-3c2f8e9a0b41";

interface Spec {
  workload: string;
  environment: string;
  criticality?: string;
  classification?: string;
  extraTags?: Record<string, string>;
}

function tags(spec: Spec, more: Record<string, string> = {}): Record<string, string> {
  const result: Record<string, string> = {
    app: spec.workload,
    env: spec.environment,
    owner: `${spec.workload}-team`,
  };
  if (spec.criticality) result["criticality"] = spec.criticality;
  if (spec.classification) result["data-classification"] = spec.classification;
  return { ...result, ...spec.extraTags, ...more };
}

function aws(
  spec: Spec,
  account: string,
  region: string,
  service: string,
  kind: string,
  name: string,
  more: Record<string, string> = {},
) {
  const arnResource: Record<string, string> = {
    "ec2:instance": `instance/i-0${hex(16)}`,
    "ec2:volume": `volume/vol-0${hex(16)}`,
    "rds:db": `db:${name}`,
    "dynamodb:table": `table/${name}`,
    "lambda:function": `function:${name}`,
    "s3:bucket": name,
    "eks:cluster": `cluster/${name}`,
    "elasticache:cluster": `cluster:${name}`,
    "sqs:queue": name,
    "kinesis:stream": `stream/${name}`,
    "cloudfront:distribution": `distribution/E${hex(13).toUpperCase()}`,
    "redshift:cluster": `cluster:${name}`,
    "sagemaker:endpoint": `endpoint/${name}`,
  };
  const type = `${service}:${kind}`;
  const regionPart = service === "s3" || service === "cloudfront" ? "" : region;
  const accountPart = service === "s3" ? "" : account;
  resources.push({
    id: `arn:aws:${service}:${regionPart}:${accountPart}:${arnResource[type]}`,
    provider: "aws",
    region: service === "cloudfront" ? "global" : region,
    account,
    type,
    name,
    tags: tags(spec, more),
  });
}

function azure(
  spec: Spec,
  subscription: string,
  region: string,
  type: string,
  name: string,
  more: Record<string, string> = {},
) {
  const group = `rg-${spec.workload}-${spec.environment}`;
  resources.push({
    id: `/subscriptions/${subscription}/resourceGroups/${group}/providers/${type}/${name}`,
    provider: "azure",
    region,
    account: subscription,
    type,
    name,
    tags: tags(spec, more),
  });
}

function gcp(
  spec: Spec,
  project: string,
  region: string,
  type: string,
  path: string,
  name: string,
  more: Record<string, string> = {},
) {
  const service = type.split("/")[0]!;
  resources.push({
    id: `//${service}/projects/${project}/${path}/${name}`,
    provider: "gcp",
    region,
    account: project,
    type,
    name,
    tags: Object.fromEntries(Object.entries(tags(spec, more)).map(([k, v]) => [k, v.toLowerCase()])),
  });
}

// Point of sale: critical, all in us-east-1 on AWS, with proprietary services (DynamoDB, Lambda).
const pos: Spec = {
  workload: "pos",
  environment: "prod",
  criticality: "critical",
  classification: "confidential",
};
for (let i = 1; i <= 24; i++)
  aws(pos, AWS_PROD, "us-east-1", "ec2", "instance", `pos-api-${String(i).padStart(2, "0")}`);
for (let i = 1; i <= 24; i++)
  aws(pos, AWS_PROD, "us-east-1", "ec2", "volume", `pos-api-${String(i).padStart(2, "0")}-root`);
aws(pos, AWS_PROD, "us-east-1", "rds", "db", "pos-ledger-primary");
aws(pos, AWS_PROD, "us-east-1", "rds", "db", "pos-ledger-replica");
for (const table of ["pos-carts", "pos-receipts", "pos-price-overrides", "pos-store-config"]) {
  aws(pos, AWS_PROD, "us-east-1", "dynamodb", "table", table);
}
for (const fn of [
  "pos-receipt-render",
  "pos-tax-calc",
  "pos-refund-webhook",
  "pos-eod-close",
  "pos-coupon-validate",
]) {
  aws(pos, AWS_PROD, "us-east-1", "lambda", "function", fn);
}
aws(pos, AWS_PROD, "us-east-1", "s3", "bucket", "hv-pos-exports", { "data-classification": "restricted" });
aws(pos, AWS_PROD, "us-east-1", "s3", "bucket", "hv-pos-card-batches", { "data-classification": "pii" });
aws(pos, AWS_PROD, "us-east-1", "sqs", "queue", "pos-events");
aws(pos, AWS_PROD, "us-east-1", "kinesis", "stream", "pos-transactions");

// Online shop: high criticality, two AWS regions plus a CDN.
const shop: Spec = {
  workload: "ecommerce-web",
  environment: "prod",
  criticality: "high",
  classification: "internal",
};
for (const region of ["us-east-1", "us-west-2"]) {
  aws(shop, AWS_PROD, region, "eks", "cluster", `shop-web-${region}`);
  for (let i = 1; i <= 18; i++) aws(shop, AWS_PROD, region, "ec2", "instance", `shop-node-${region}-${i}`);
  aws(shop, AWS_PROD, region, "rds", "db", `shop-catalog-${region}`, {
    "data-classification": "confidential",
  });
  aws(shop, AWS_PROD, region, "elasticache", "cluster", `shop-sessions-${region}`);
}
aws(shop, AWS_PROD, "us-east-1", "s3", "bucket", "hv-shop-media");
aws(shop, AWS_PROD, "us-east-1", "cloudfront", "distribution", "shop-cdn");

// Marketing site: public content, low criticality.
const marketing: Spec = {
  workload: "marketing-site",
  environment: "prod",
  criticality: "low",
  classification: "public",
};
aws(marketing, AWS_PROD, "us-east-1", "s3", "bucket", "hv-www-static");
aws(marketing, AWS_PROD, "us-east-1", "cloudfront", "distribution", "www-cdn");
aws(marketing, AWS_PROD, "us-east-1", "lambda", "function", "www-newsletter-signup");

// Development and staging accounts: not production; some carry no classification tag at all.
const dev: Spec = { workload: "ecommerce-web", environment: "dev" };
for (let i = 1; i <= 30; i++)
  aws(dev, AWS_DEV, pick(["us-east-1", "us-east-2"]), "ec2", "instance", `dev-box-${i}`);
for (let i = 1; i <= 6; i++) aws(dev, AWS_DEV, "us-east-2", "s3", "bucket", `hv-dev-scratch-${i}`);
const staging: Spec = { workload: "pos", environment: "staging", classification: "internal" };
for (let i = 1; i <= 8; i++) aws(staging, AWS_DEV, "us-east-2", "ec2", "instance", `pos-staging-${i}`);
aws(staging, AWS_DEV, "us-east-2", "dynamodb", "table", "pos-carts-staging");

// Loyalty programme on Azure: US members in East US, EU members in West Europe.
const loyalty: Spec = {
  workload: "loyalty",
  environment: "prod",
  criticality: "critical",
  classification: "pii",
};
azure(loyalty, AZ_SUB, "eastus", "Microsoft.DocumentDB/databaseAccounts", "hv-loyalty-members");
azure(loyalty, AZ_SUB, "eastus", "Microsoft.Web/sites", "hv-loyalty-api");
azure(loyalty, AZ_SUB, "eastus", "Microsoft.Web/serverFarms", "hv-loyalty-plan");
azure(loyalty, AZ_SUB, "eastus", "Microsoft.KeyVault/vaults", "hv-loyalty-kv");
for (let i = 1; i <= 10; i++)
  azure(loyalty, AZ_SUB, "eastus", "Microsoft.Compute/virtualMachines", `loyalty-worker-${i}`);
for (let i = 1; i <= 10; i++)
  azure(loyalty, AZ_SUB, "eastus", "Microsoft.Compute/disks", `loyalty-worker-${i}-osdisk`);
const loyaltyEu: Spec = { ...loyalty, extraTags: { "data-residency": "DE,NL,FR,IE" } };
azure(loyaltyEu, AZ_SUB_EU, "westeurope", "Microsoft.DocumentDB/databaseAccounts", "hv-loyalty-members-eu");
azure(loyaltyEu, AZ_SUB_EU, "westeurope", "Microsoft.Web/sites", "hv-loyalty-api-eu");
azure(loyaltyEu, AZ_SUB_EU, "northeurope", "Microsoft.Sql/servers", "hv-loyalty-eu-sql");
// A backup copy of EU member data that landed in the US: the residency rule must catch it.
azure(loyaltyEu, AZ_SUB_EU, "eastus2", "Microsoft.Storage/storageAccounts", "hvloyaltyeubackup");
for (let i = 1; i <= 8; i++)
  azure(loyaltyEu, AZ_SUB_EU, "westeurope", "Microsoft.Compute/virtualMachines", `loyalty-eu-worker-${i}`);

// Finance and HR on Azure.
const finance: Spec = {
  workload: "finance",
  environment: "prod",
  criticality: "high",
  classification: "confidential",
};
azure(finance, AZ_SUB, "eastus2", "Microsoft.Sql/servers", "hv-finance-sql");
azure(finance, AZ_SUB, "centralus", "Microsoft.Sql/servers", "hv-finance-sql-dr");
azure(finance, AZ_SUB, "eastus2", "Microsoft.Storage/storageAccounts", "hvfinancereports");
for (let i = 1; i <= 6; i++)
  azure(finance, AZ_SUB, "eastus2", "Microsoft.Compute/virtualMachines", `fin-app-${i}`);

// Supply chain on Google Cloud, with BigQuery for forecasting.
const supply: Spec = {
  workload: "supply-chain",
  environment: "prod",
  criticality: "high",
  classification: "confidential",
};
gcp(
  supply,
  "hv-supply-prod",
  "us-central1",
  "container.googleapis.com/Cluster",
  "locations/us-central1/clusters",
  "supply-gke",
);
for (let i = 1; i <= 16; i++) {
  gcp(
    supply,
    "hv-supply-prod",
    pick(["us-central1", "us-east4"]),
    "compute.googleapis.com/Instance",
    "zones/us-central1-a/instances",
    `supply-node-${i}`,
  );
}
gcp(
  supply,
  "hv-supply-prod",
  "us-central1",
  "sqladmin.googleapis.com/Instance",
  "instances",
  "supply-orders-pg",
);
gcp(
  supply,
  "hv-supply-prod",
  "us-east4",
  "sqladmin.googleapis.com/Instance",
  "instances",
  "supply-orders-pg-dr",
);
gcp(supply, "hv-supply-prod", "us-central1", "pubsub.googleapis.com/Topic", "topics", "shipment-events");
gcp(supply, "hv-supply-prod", "us", "bigquery.googleapis.com/Dataset", "datasets", "demand_forecast");

// Analytics on Google Cloud: customer data in BigQuery and Cloud Storage.
const analytics: Spec = {
  workload: "analytics",
  environment: "prod",
  criticality: "medium",
  classification: "pii",
};
gcp(analytics, "hv-analytics-prod", "us", "bigquery.googleapis.com/Dataset", "datasets", "customer_360");
gcp(analytics, "hv-analytics-prod", "us", "storage.googleapis.com/Bucket", "buckets", "hv-clickstream-raw");
gcp(
  analytics,
  "hv-analytics-prod",
  "us-central1",
  "aiplatform.googleapis.com/Endpoint",
  "locations/us-central1/endpoints",
  "basket-recs",
);

// Store systems in our own data centre: they count, but under our own name, not a provider's.
const storeSystems: Spec = {
  workload: "store-inventory",
  environment: "prod",
  criticality: "high",
  classification: "confidential",
};
for (let i = 1; i <= 10; i++) {
  resources.push({
    id: `onprem:dc-columbus/vmware/store-inv-${String(i).padStart(2, "0")}`,
    provider: "onprem",
    region: "dc-columbus",
    account: "datacentre",
    type: "vmware:virtualMachine",
    name: `store-inv-${String(i).padStart(2, "0")}`,
    tags: tags(storeSystems),
  });
}

// Resources nobody tagged yet: they count, but carry no classification.
for (let i = 1; i <= 14; i++) {
  resources.push({
    id: `arn:aws:ec2:us-east-1:${AWS_PROD}:instance/i-0${hex(16)}`,
    provider: "aws",
    region: "us-east-1",
    account: AWS_PROD,
    type: "ec2:instance",
    name: `unnamed-${i}`,
    tags: {},
  });
}

writeFileSync(path.join(outDir, "inventory.json"), `${JSON.stringify({ resources }, null, 2)}\n`);

// The Korean subsidiary serves public schools (sector public): CSAP applies.
const korea: string[][] = [
  [
    "id",
    "provider",
    "region",
    "account",
    "type",
    "name",
    "vendor",
    "tag:app",
    "tag:env",
    "tag:criticality",
    "tag:data-classification",
    "tag:sector",
    "tag:required-certification",
    "tag:data-residency",
  ],
];
for (let i = 1; i <= 6; i++) {
  korea.push([
    `arn:aws:ec2:ap-northeast-2:${AWS_KR}:instance/i-0${hex(16)}`,
    "aws",
    "ap-northeast-2",
    AWS_KR,
    "ec2:instance",
    `school-meals-api-${i}`,
    "",
    "school-meals",
    "prod",
    "high",
    "confidential",
    "public",
    "csap-low",
    "KR",
  ]);
}
korea.push([
  `arn:aws:rds:ap-northeast-2:${AWS_KR}:db:school-meals-orders`,
  "aws",
  "ap-northeast-2",
  AWS_KR,
  "rds:db",
  "school-meals-orders",
  "",
  "school-meals",
  "prod",
  "high",
  "pii",
  "public",
  "csap-low",
  "KR",
]);
for (let i = 1; i <= 4; i++) {
  korea.push([
    `kt:kr-central/school-menu-${i}`,
    "kt",
    "kr-central",
    "hv-korea",
    "server",
    `school-menu-${i}`,
    "",
    "school-menu",
    "prod",
    "medium",
    "internal",
    "public",
    "csap-low",
    "KR",
  ]);
}
writeFileSync(path.join(outDir, "korea-public.csv"), stringify(korea));
console.log(`wrote ${resources.length} resources and ${korea.length - 1} CSV rows to ${outDir}`);
