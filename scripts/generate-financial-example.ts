/**
 * Generates the inventory of the bundled financial-services example organisation, Rheinmark Bank
 * AG: a German bank (fictional) on AWS, Azure, Google Cloud, OVHcloud and SAP, with ICT vendors in
 * a vendors manifest. Deterministic: no randomness, the same run writes the same file.
 *
 * Run: npx tsx scripts/generate-financial-example.ts
 * Writes: examples/financial-services/inventory.json
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Resource as InventoryResource } from "../src/inventory/types.js";

const outFile = path.resolve(import.meta.dirname, "../examples/financial-services/inventory.json");

/** Every generated resource sets these fields of the inventory format. */
type Resource = Required<
  Pick<InventoryResource, "id" | "provider" | "region" | "account" | "type" | "name" | "tags">
>;
const resources: Resource[] = [];

interface Workload {
  app: string;
  env: string;
  criticality: string;
  classification: string;
}

function tags(workload: Workload): Record<string, string> {
  return {
    app: workload.app,
    env: workload.env,
    criticality: workload.criticality,
    "data-classification": workload.classification,
    "cost-center": `cc-${workload.app}`,
  };
}

const AWS_PROD = "402938475610";
const AWS_DEV = "402938475611";
const AZ_PROD = "7c1d9e42-3b5a-4f8e-a6d1-0e9b2c4f7a13";
const AZ_DEV = "7c1d9e42-3b5a-4f8e-a6d1-0e9b2c4f7a14";
const GCP_PROD = "rheinmark-analytics-prod";
const OVH_PROJECT = "8f3a1c2e9b7d4e60";
const SAP_SUBACCOUNT = "rheinmark-finance-prod";

const ARN_PATH: Record<string, string> = {
  "ec2:instance": "instance/i-",
  "ec2:volume": "volume/vol-",
  "rds:db": "db:",
  "rds:cluster": "cluster:",
  "dynamodb:table": "table/",
  "lambda:function": "function:",
  "eks:cluster": "cluster/",
  "sqs:queue": "",
  "kms:key": "key/",
  "kinesis:stream": "stream/",
  "apigateway:restapis": "/restapis/",
  "cognito-idp:userpool": "userpool/",
  "elasticloadbalancing:loadbalancer": "loadbalancer/app/",
  "secretsmanager:secret": "secret:",
};

/** `count` resources of one type, numbered from 1. */
function aws(workload: Workload, account: string, region: string, type: string, base: string, count = 1) {
  const [service] = type.split(":");
  for (let index = 1; index <= count; index++) {
    const name = count === 1 ? base : `${base}-${String(index).padStart(2, "0")}`;
    const id =
      type === "s3:bucket"
        ? `arn:aws:s3:::${name}`
        : `arn:aws:${service}:${region}:${account}:${ARN_PATH[type] ?? ""}${name}`;
    resources.push({ id, provider: "aws", region, account, type, name, tags: tags(workload) });
  }
}

function azure(
  workload: Workload,
  subscription: string,
  region: string,
  type: string,
  base: string,
  count = 1,
) {
  for (let index = 1; index <= count; index++) {
    const name = count === 1 ? base : `${base}-${String(index).padStart(2, "0")}`;
    const group = `rg-${workload.app}-${workload.env}`;
    resources.push({
      id: `/subscriptions/${subscription}/resourceGroups/${group}/providers/${type}/${name}`,
      provider: "azure",
      region,
      account: subscription,
      type,
      name,
      tags: tags(workload),
    });
  }
}

function gcp(workload: Workload, project: string, region: string, type: string, base: string, count = 1) {
  const [service, kind] = type.split("/");
  for (let index = 1; index <= count; index++) {
    const name = count === 1 ? base : `${base}-${String(index).padStart(2, "0")}`;
    resources.push({
      id: `//${service}/projects/${project}/locations/${region}/${kind!.toLowerCase()}s/${name}`,
      provider: "gcp",
      region,
      account: project,
      type,
      name,
      tags: tags(workload),
    });
  }
}

function other(
  provider: string,
  workload: Workload,
  account: string,
  region: string,
  type: string,
  base: string,
  count = 1,
) {
  for (let index = 1; index <= count; index++) {
    const name = count === 1 ? base : `${base}-${String(index).padStart(2, "0")}`;
    resources.push({
      id: `${provider}:${account}/${region}/${type}/${name}`,
      provider,
      region,
      account,
      type,
      name,
      tags: tags(workload),
    });
  }
}

const workload = (app: string, criticality: string, classification: string, env = "prod"): Workload => ({
  app,
  env,
  criticality,
  classification,
});

// Core banking: accounts and ledgers on Azure in Frankfurt, replicated to Amsterdam.
const core = workload("core-banking", "critical", "confidential");
for (const region of ["germanywestcentral", "westeurope"]) {
  const suffix = region === "germanywestcentral" ? "gwc" : "weu";
  azure(core, AZ_PROD, region, "Microsoft.Compute/virtualMachines", `vm-core-${suffix}`, 16);
  azure(core, AZ_PROD, region, "Microsoft.Compute/disks", `disk-core-${suffix}`, 16);
  azure(core, AZ_PROD, region, "Microsoft.Sql/managedInstances", `sqlmi-ledger-${suffix}`, 2);
  azure(core, AZ_PROD, region, "Microsoft.KeyVault/vaults", `kv-core-${suffix}`);
  azure(core, AZ_PROD, region, "Microsoft.Storage/storageAccounts", `stcore${suffix}`, 3);
  azure(core, AZ_PROD, region, "Microsoft.ServiceBus/namespaces", `sb-core-${suffix}`);
}

// Online and mobile banking front ends: Azure Kubernetes and App Service.
const online = workload("online-banking", "critical", "pii");
azure(online, AZ_PROD, "germanywestcentral", "Microsoft.ContainerService/managedClusters", "aks-online", 2);
azure(online, AZ_PROD, "germanywestcentral", "Microsoft.Web/sites", "app-online-portal", 4);
azure(online, AZ_PROD, "germanywestcentral", "Microsoft.Cache/redis", "redis-sessions", 2);
azure(online, AZ_PROD, "germanywestcentral", "Microsoft.Network/applicationGateways", "agw-online");
azure(online, AZ_PROD, "germanywestcentral", "Microsoft.ApiManagement/service", "apim-open-banking");

// Payments (SEPA instant, cards): AWS Frankfurt, fully serverless around DynamoDB.
const payments = workload("payments", "critical", "restricted");
aws(payments, AWS_PROD, "eu-central-1", "eks:cluster", "payments-eks", 2);
aws(payments, AWS_PROD, "eu-central-1", "ec2:instance", "payments-node", 18);
aws(payments, AWS_PROD, "eu-central-1", "ec2:volume", "payments-vol", 18);
aws(payments, AWS_PROD, "eu-central-1", "dynamodb:table", "payments-ledger", 6);
aws(payments, AWS_PROD, "eu-central-1", "lambda:function", "payments-fn", 14);
aws(payments, AWS_PROD, "eu-central-1", "sqs:queue", "payments-queue", 6);
aws(payments, AWS_PROD, "eu-central-1", "kinesis:stream", "payments-events", 2);
aws(payments, AWS_PROD, "eu-central-1", "kms:key", "payments-key", 4);
aws(payments, AWS_PROD, "eu-central-1", "rds:cluster", "payments-aurora", 2);
aws(payments, AWS_PROD, "eu-central-1", "s3:bucket", "rheinmark-payments-archive", 3);
aws(payments, AWS_PROD, "eu-central-1", "elasticloadbalancing:loadbalancer", "payments-alb", 2);

// Mobile app back end: AWS Frankfurt with a disaster-recovery copy in Ireland.
const mobile = workload("mobile-app", "critical", "pii");
for (const region of ["eu-central-1", "eu-west-1"]) {
  aws(mobile, AWS_PROD, region, "apigateway:restapis", `mobile-api-${region}`);
  aws(mobile, AWS_PROD, region, "lambda:function", `mobile-fn-${region}`, 10);
  aws(mobile, AWS_PROD, region, "dynamodb:table", `mobile-state-${region}`, 3);
  aws(mobile, AWS_PROD, region, "cognito-idp:userpool", `mobile-users-${region}`);
  aws(mobile, AWS_PROD, region, "secretsmanager:secret", `mobile-secret-${region}`, 2);
}

// Development accounts: not critical, synthetic data.
const dev = workload("payments", "low", "internal", "dev");
aws(dev, AWS_DEV, "eu-central-1", "ec2:instance", "payments-dev-node", 8);
aws(dev, AWS_DEV, "eu-central-1", "rds:db", "payments-dev-db", 2);
const coreDev = workload("core-banking", "low", "internal", "dev");
azure(coreDev, AZ_DEV, "germanywestcentral", "Microsoft.Compute/virtualMachines", "vm-core-dev", 6);

// Credit risk and regulatory reporting: BigQuery in Frankfurt.
const risk = workload("credit-risk", "high", "confidential");
gcp(risk, GCP_PROD, "europe-west3", "bigquery.googleapis.com/Dataset", "risk_dataset", 8);
gcp(risk, GCP_PROD, "europe-west3", "dataflow.googleapis.com/Job", "risk-pipeline", 4);
gcp(risk, GCP_PROD, "europe-west3", "storage.googleapis.com/Bucket", "rheinmark-risk-landing", 4);
gcp(risk, GCP_PROD, "europe-west3", "compute.googleapis.com/Instance", "risk-worker", 6);
const reporting = workload("regulatory-reporting", "critical", "confidential");
gcp(reporting, GCP_PROD, "europe-west3", "bigquery.googleapis.com/Dataset", "finrep_dataset", 4);
gcp(reporting, GCP_PROD, "europe-west3", "run.googleapis.com/Service", "finrep-api", 2);

// Anti-money-laundering model training, partly in Iowa for GPU capacity: a third-country location.
const aml = workload("aml-screening", "critical", "restricted");
gcp(aml, GCP_PROD, "europe-west3", "aiplatform.googleapis.com/Endpoint", "aml-endpoint", 2);
gcp(aml, GCP_PROD, "us-central1", "aiplatform.googleapis.com/Model", "aml-model", 3);
gcp(aml, GCP_PROD, "us-central1", "storage.googleapis.com/Bucket", "rheinmark-aml-training", 2);

// Document archive and backups on OVHcloud in France: an EU provider for the long-term copies.
const archive = workload("document-archive", "high", "confidential");
other("ovh", archive, OVH_PROJECT, "GRA11", "instance", "archive-node", 6);
other("ovh", archive, OVH_PROJECT, "GRA11", "volume", "archive-vol", 6);
other("ovh", archive, OVH_PROJECT, "SBG5", "object-storage", "archive-objects", 4);
const backup = workload("backup", "high", "confidential");
other("ovh", backup, OVH_PROJECT, "SBG5", "object-storage", "backup-vault", 6);

// Finance and HR on SAP: S/4HANA Cloud and SuccessFactors, BTP integration in Frankfurt.
const finance = workload("general-ledger", "critical", "confidential");
other("sap", finance, SAP_SUBACCOUNT, "eu10", "s4hana-cloud", "s4-finance", 3);
other("sap", finance, SAP_SUBACCOUNT, "eu10", "btp-integration-suite", "cpi-finance", 2);
other("sap", finance, SAP_SUBACCOUNT, "eu10", "hana-cloud", "hana-finance", 2);
const hr = workload("hr", "medium", "pii");
other("sap", hr, SAP_SUBACCOUNT, "eu20", "successfactors", "sf-employee-central", 2);

// Public website: Azure, public data.
const web = workload("website", "low", "public");
azure(web, AZ_PROD, "westeurope", "Microsoft.Web/sites", "app-website", 2);
azure(web, AZ_PROD, "westeurope", "Microsoft.Cdn/profiles", "cdn-website");

resources.sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
writeFileSync(
  outFile,
  `${JSON.stringify(
    {
      generatedBy:
        "scripts/generate-financial-example.ts (regenerate with: npx tsx scripts/generate-financial-example.ts)",
      resources,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${resources.length} resources to ${path.relative(process.cwd(), outFile)}`);
