import { describe, expect, it } from "vitest";
import { enrichResources, typeFromArn, typeFromAzureId } from "../../src/catalog/index.js";
import type { Resource } from "../../src/inventory/types.js";
import { builtinCatalog } from "./helpers.js";

const scanTime = new Date("2026-11-21T00:00:00Z");

async function lockIn(provider: string, type: string | undefined, extra: Partial<Resource> = {}) {
  const catalog = await builtinCatalog();
  const resource: Resource = {
    id: extra.id ?? "r-1",
    provider,
    tags: {},
    ...(type ? { type } : {}),
    ...extra,
  };
  return enrichResources([resource], catalog, { scanTime }).resources[0]?.lockIn;
}

describe("lock-in matching", () => {
  it.each([
    ["dynamodb:table", "Amazon DynamoDB", "proprietary"],
    ["lambda:function", "AWS Lambda", "proprietary"],
    ["s3:bucket", "Amazon S3", "portable"],
    ["ec2:instance", "Amazon EC2 instance", "portable"],
    ["rds:db", "Amazon RDS", "portable"],
    ["rds:cluster", "Amazon Aurora / DocumentDB / Neptune cluster", "moderate"],
    ["eks:cluster", "Amazon EKS", "portable"],
    ["sqs", "Amazon SQS", "proprietary"],
    ["AWS::DynamoDB::Table", "Amazon DynamoDB", "proprietary"],
    ["aws_dynamodb_table", "Amazon DynamoDB", "proprietary"],
  ])("AWS type %s is %s (%s)", async (type, service, lockInClass) => {
    expect(await lockIn("aws", type)).toMatchObject({ service, class: lockInClass });
  });

  it("derives the AWS type from an ARN when the inventory gives none", async () => {
    expect(typeFromArn("arn:aws:lambda:us-east-1:123456789012:function:checkout")).toBe("lambda:function");
    expect(typeFromArn("arn:aws:s3:::pos-exports")).toBe("s3");
    expect(typeFromArn("arn:aws:apigateway:us-east-1::/restapis/a1b2")).toBe("apigateway:restapis");
    expect(typeFromArn("arn:aws-cn:dynamodb:cn-north-1:1:table/orders")).toBe("dynamodb:table");
    expect(await lockIn("aws", undefined, { id: "arn:aws:sqs:us-east-1:123456789012:orders" })).toMatchObject(
      {
        service: "Amazon SQS",
      },
    );
    expect(await lockIn("aws", undefined, { id: "arn:aws:s3:::pos-exports" })).toMatchObject({
      service: "Amazon S3",
    });
  });

  it.each([
    ["Microsoft.DocumentDB/databaseAccounts", undefined, "Azure Cosmos DB", "proprietary"],
    ["microsoft.documentdb/databaseaccounts", undefined, "Azure Cosmos DB", "proprietary"],
    ["Microsoft.Web/sites", "functionapp,linux", "Azure Functions", "proprietary"],
    ["Microsoft.Web/sites", "app", "Azure App Service", "moderate"],
    ["Microsoft.Web/sites", undefined, "Azure App Service", "moderate"],
    ["Microsoft.Sql/servers/databases", undefined, "Azure SQL Database / Managed Instance", "moderate"],
    ["Microsoft.ContainerService/managedClusters", undefined, "Azure Kubernetes Service", "portable"],
    ["azurerm_cosmosdb_account", undefined, "Azure Cosmos DB", "proprietary"],
  ])("Azure type %s (kind %s) is %s", async (type, kind, service, lockInClass) => {
    expect(await lockIn("azure", type, kind ? { kind } : {})).toMatchObject({ service, class: lockInClass });
  });

  it("derives the Azure type from a resource id", async () => {
    const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/orders";
    expect(typeFromAzureId(id)).toBe("microsoft.documentdb/databaseaccounts");
    expect(await lockIn("azure", undefined, { id })).toMatchObject({ service: "Azure Cosmos DB" });
  });

  it.each([
    ["bigquery.googleapis.com/Dataset", "BigQuery", "proprietary"],
    ["cloudfunctions.googleapis.com/Function", "Cloud Run functions (Cloud Functions)", "proprietary"],
    ["cloudfunctions.googleapis.com/CloudFunction", "Cloud Run functions (Cloud Functions)", "proprietary"],
    ["container.googleapis.com/Cluster", "Google Kubernetes Engine", "portable"],
    ["sqladmin.googleapis.com/Instance", "Cloud SQL", "portable"],
    ["google_bigquery_dataset", "BigQuery", "proprietary"],
  ])("GCP type %s is %s", async (type, service, lockInClass) => {
    expect(await lockIn("gcp", type)).toMatchObject({ service, class: lockInClass });
  });

  it("never lets two services of one provider claim the same type", async () => {
    const catalog = await builtinCatalog();
    const seen = new Map<string, string>();
    for (const service of catalog.services) {
      for (const match of service.match) {
        const key =
          typeof match === "string" ? match.toLowerCase() : `${match.type.toLowerCase()} kind=${match.kind}`;
        const owner = seen.get(`${service.provider} ${key}`);
        expect(owner, `${key} is claimed by ${owner} and ${service.id}`).toBeUndefined();
        seen.set(`${service.provider} ${key}`, service.id);
      }
    }
    expect(seen.size).toBeGreaterThan(150);
  });

  it("gives equivalents and a source, and leaves unknown types unclassified", async () => {
    const dynamo = await lockIn("aws", "dynamodb:table");
    expect(dynamo?.equivalents).toMatchObject({ azure: "Cosmos DB" });
    expect(dynamo?.source).toBeTruthy();
    expect(await lockIn("aws", "ec2:security-group")).toBeUndefined();
    // A type is matched only on its own provider: MinIO on premises is not Amazon S3.
    expect(await lockIn("onprem", "s3:bucket")).toBeUndefined();
  });
});
