import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectTerraformPlan } from "../../../src/collectors/terraform/index.js";
import { planResources, readTerraformPlan } from "../../../src/collectors/terraform/plan.js";
import { LandlordError } from "../../../src/diagnostics.js";
import { resolveProfile } from "../../../src/profile/load.js";
import { profileSchema } from "../../../src/profile/schema.js";
import { sharedPath } from "../../gate/shared-reference.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const retailerPlan = path.join(fixtures, "retailer-plan-confidential-bucket", "plan.json");
const recorded = sharedPath("fixtures", "recorded", "terraform", "checkov", "tests", "terraform");
if (!recorded)
  console.warn("recorded Terraform plans skipped: ../shared/fixtures/recorded/terraform not found");

const tagKeys = resolveProfile(
  profileSchema.parse({ organization: { name: "x", jurisdiction: "US" } }),
).tagKeys;

function recordedPlan(...parts: string[]): string {
  return path.join(recorded!, ...parts);
}

async function rejection(promise: Promise<unknown>): Promise<LandlordError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LandlordError);
  return error as LandlordError;
}

async function writePlan(text: string, name = "plan.json"): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "landlord-plan-"));
  const file = path.join(folder, name);
  await writeFile(file, text);
  return file;
}

/** A minimal plan around some resource changes and provider configurations. */
function plan(
  resourceChanges: unknown[],
  providerConfig: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    format_version: "1.2",
    resource_changes: resourceChanges,
    configuration: { provider_config: providerConfig },
    ...extra,
  };
}

function change(
  address: string,
  provider: string,
  after: Record<string, unknown>,
  actions = ["create"],
  extra = {},
) {
  const type = address.split(".").at(-2)!.replace(/\[.*$/, "");
  return {
    address,
    mode: "managed",
    type,
    name: "x",
    provider_name: `registry.terraform.io/hashicorp/${provider}`,
    change: { actions, before: null, after, after_unknown: {} },
    ...extra,
  };
}

describe("readTerraformPlan on the retailer scenario", () => {
  it("reads the confidential bucket with region from the provider variable and default tags merged", async () => {
    const { resources, diagnostics } = await readTerraformPlan(retailerPlan, { tagKeys });
    expect(resources.map((resource) => resource.id)).toEqual([
      "terraform:aws_s3_bucket.pos_exports",
      "terraform:aws_s3_bucket_public_access_block.pos_exports",
    ]);
    expect(resources[0]).toMatchObject({
      provider: "aws",
      region: "us-east-1",
      type: "aws_s3_bucket",
      name: "example-retail-pos-exports",
      classification: "confidential",
      workload: "pos-exports",
      environment: "production",
      tags: {
        app: "pos-exports",
        "data-classification": "confidential",
        env: "production",
        "cost-center": "retail-analytics",
        "managed-by": "terraform",
      },
      source: `terraform:${retailerPlan}`,
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ level: "info", code: "unsupported-terraform-provider" }),
    ]);
    expect(diagnostics[0]?.message).toContain("registry.terraform.io/hashicorp/random");
  });

  it("serves the profile's terraform source with a coverage entry, resolving the path against the profile folder", async () => {
    const events: string[] = [];
    const result = await collectTerraformPlan(
      "plan.json",
      { baseDir: path.dirname(retailerPlan), env: {}, progress: (event) => events.push(event.status) },
      { tagKeys },
    );
    expect(result.resources).toHaveLength(2);
    expect(result.resources[0]?.source).toBe("terraform:plan.json");
    expect(result.coverage).toEqual([
      expect.objectContaining({
        source: "terraform",
        scope: { file: "plan.json" },
        status: "complete",
        resources: 2,
      }),
    ]);
    expect(events).toEqual(["started", "done"]);
  });
});

describe("planResources", () => {
  it("keeps creates, updates and replacements; drops deletes, no-ops, reads, data sources and deposed objects", () => {
    const { resources } = planResources(
      plan(
        [
          change("aws_s3_bucket.created", "aws", { bucket: "a" }),
          change("aws_s3_bucket.updated", "aws", { bucket: "b" }, ["update"]),
          change("aws_s3_bucket.replaced", "aws", { bucket: "c" }, ["delete", "create"]),
          change("aws_s3_bucket.deleted", "aws", {}, ["delete"]),
          change("aws_s3_bucket.unchanged", "aws", { bucket: "d" }, ["no-op"]),
          change("aws_s3_bucket.old", "aws", { bucket: "e" }, ["delete", "create"], { deposed: "00000001" }),
          { ...change("data.aws_s3_bucket.read", "aws", {}, ["read"]), mode: "data" },
        ],
        { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" } } } },
      ),
      "plan.json",
    );
    expect(resources.map((resource) => resource.name)).toEqual(["a", "b", "c"]);
    expect(resources.every((resource) => resource.region === "eu-west-1")).toBe(true);
  });

  it("uses the provider alias a resource is configured with, also inside modules", () => {
    const document = plan(
      [
        change("aws_s3_bucket.replica", "aws", { bucket: "replica" }),
        change('module.logs["eu"].aws_s3_bucket.this[0]', "aws", { bucket: "logs" }, ["create"], {
          module_address: 'module.logs["eu"]',
        }),
      ],
      {
        aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } },
        "aws.frankfurt": {
          name: "aws",
          alias: "frankfurt",
          expressions: { region: { constant_value: "eu-central-1" } },
        },
      },
      {
        configuration: {
          provider_config: {
            aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } },
            "aws.frankfurt": {
              name: "aws",
              alias: "frankfurt",
              expressions: { region: { constant_value: "eu-central-1" } },
            },
          },
          root_module: {
            resources: [{ address: "aws_s3_bucket.replica", provider_config_key: "aws.frankfurt" }],
            module_calls: {
              logs: {
                module: { resources: [{ address: "aws_s3_bucket.this", provider_config_key: "logs:aws" }] },
              },
            },
          },
        },
      },
    );
    const { resources } = planResources(document, "plan.json");
    expect(resources.map((resource) => [resource.id, resource.region])).toEqual([
      ["terraform:aws_s3_bucket.replica", "eu-central-1"],
      ['terraform:module.logs["eu"].aws_s3_bucket.this[0]', "us-east-1"],
    ]);
  });

  it("prefers a resource's own region and marks global services as global", () => {
    const { resources } = planResources(
      plan(
        [
          change("aws_sqs_queue.q", "aws", { name: "q", region: "ap-northeast-2" }),
          change("aws_iam_role.r", "aws", { name: "r" }),
        ],
        { aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } } },
      ),
      "plan.json",
    );
    expect(resources.map((resource) => resource.region)).toEqual(["ap-northeast-2", "global"]);
  });

  it("reads azurerm locations and google regions, zones, labels and projects", () => {
    const { resources, diagnostics } = planResources(
      plan(
        [
          change("azurerm_storage_account.sa", "azurerm", {
            name: "sa",
            location: "Korea Central",
            tags: { "data-classification": "pii" },
          }),
          change("google_storage_bucket.b", "google", {
            name: "b",
            location: "ASIA-NORTHEAST3",
            labels: { env: "prod" },
          }),
          change("google_compute_instance.vm", "google-beta", {
            name: "vm",
            zone: "europe-west2-c",
            tags: ["web"],
          }),
          change("google_pubsub_topic.t", "google", { name: "t" }),
        ],
        {
          google: {
            name: "google",
            expressions: {
              project: { constant_value: "shop-prod" },
              region: { constant_value: "us-central1" },
              default_labels: { constant_value: { team: "checkout" } },
            },
          },
          "google-beta": { name: "google-beta", expressions: { project: { constant_value: "shop-beta" } } },
        },
      ),
      "plan.json",
    );
    expect(resources.map((resource) => [resource.provider, resource.region, resource.account])).toEqual([
      ["azure", "koreacentral", undefined],
      ["gcp", "asia-northeast3", "shop-prod"],
      ["gcp", "europe-west2", "shop-beta"],
      ["gcp", "us-central1", "shop-prod"],
    ]);
    expect(resources[0]?.tags).toEqual({ "data-classification": "pii" });
    expect(resources[1]?.tags).toEqual({ team: "checkout", env: "prod" });
    expect(resources[2]?.tags).toEqual({});
    expect(diagnostics).toEqual([]);
  });

  it("warns when a resource's region cannot be known before apply", () => {
    const computed = change("aws_s3_bucket.b", "aws", { bucket: "b" });
    computed.change.after_unknown = { region: true };
    const { resources, diagnostics } = planResources(
      plan([computed], { aws: { name: "aws", expressions: { region: { references: ["var.region"] } } } }),
      "plan.json",
    );
    expect(resources[0]?.region).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        level: "warning",
        code: "unknown-region",
        location: { file: "plan.json", field: "aws_s3_bucket.b" },
      }),
    ]);
  });

  it("reports resources of providers landlord does not read, once per provider", () => {
    const { resources, diagnostics } = planResources(
      plan([
        change("oci_core_instance.a", "oci", {}, ["create"], {
          provider_name: "registry.terraform.io/oracle/oci",
        }),
        change("oci_core_instance.b", "oci", {}, ["create"], {
          provider_name: "registry.terraform.io/oracle/oci",
        }),
      ]),
      "plan.json",
    );
    expect(resources).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ level: "warning", code: "unsupported-terraform-provider" });
    expect(diagnostics[0]?.message).toContain(
      "2 planned resources of provider registry.terraform.io/oracle/oci",
    );
  });
});

describe("plans that cannot be judged", () => {
  it("rejects another major format_version", () => {
    expect(() => planResources({ format_version: "2.0", resource_changes: [] }, "plan.json")).toThrow(
      /format_version 2\.0; landlord reads format 1\.x/,
    );
  });

  it("rejects JSON that is not a plan, and state instead of a plan", () => {
    expect(() => planResources({ version: "2.1.0", runs: [] }, "x.json")).toThrow(LandlordError);
    expect(() => planResources({ format_version: "1.0", values: {} }, "state.json")).toThrow(
      /not a Terraform plan/,
    );
  });

  it("rejects a plan Terraform reported as errored", () => {
    expect(() =>
      planResources({ format_version: "1.2", resource_changes: [], errored: true }, "plan.json"),
    ).toThrow(/reported errors while planning/);
  });

  it("is exit 2 with line and column for malformed JSON, and says so for a binary plan or a missing file", async () => {
    const malformed = await rejection(
      readTerraformPlan(await writePlan('{\n  "format_version": "1.2",\n  "resource_changes": [\n}\n')),
    );
    expect(malformed).toMatchObject({ code: "invalid-terraform-plan", exitCode: 2 });
    expect(malformed.details[0]?.location).toMatchObject({ line: 4, column: 1 });
    const binary = await rejection(readTerraformPlan(await writePlan("PK\u0003\u0004binary", "plan.out")));
    expect(binary.message).toContain("binary Terraform plan");
    expect(binary.hint).toContain("terraform show -json");
    const missing = await rejection(readTerraformPlan("/nonexistent/landlord/plan.json"));
    expect(missing).toMatchObject({ code: "file-not-readable", exitCode: 2 });
  });
});

describe.skipIf(!recorded)("recorded plans from real Terraform runs", () => {
  it("reads every recorded plan without errors", async () => {
    const files: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name.endsWith(".json")) files.push(full);
      }
    };
    await walk(recorded!);
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const { resources } = await readTerraformPlan(file);
      for (const resource of resources) {
        expect(resource.id).toMatch(/^terraform:/);
        expect(["aws", "azure", "gcp"]).toContain(resource.provider);
      }
    }
  });

  it("reads nested child modules (TF 1.2) with the root provider's region", async () => {
    const { resources, diagnostics } = await readTerraformPlan(
      recordedPlan("runner", "resources", "plan_nested_child_modules_with_connections", "tfplan.json"),
    );
    expect(resources).toHaveLength(9);
    expect(
      resources.find((resource) => resource.id === "terraform:module.s3_bucket.aws_s3_bucket.this[0]"),
    ).toMatchObject({
      provider: "aws",
      region: "us-west-2",
      type: "aws_s3_bucket",
      name: "my-s3-bucket",
    });
    expect(resources.every((resource) => resource.region === "us-west-2")).toBe(true);
    expect(diagnostics).toEqual([]);
  });

  it("reads an aliased provider's region and warns where the default provider has none", async () => {
    const { resources, diagnostics } = await readTerraformPlan(
      recordedPlan("runner", "resources", "plan_root_module_resources_no_values", "tfplan_route53.json"),
    );
    const regions = Object.fromEntries(resources.map((resource) => [resource.type, resource.region]));
    expect(regions).toEqual({
      aws_cloudwatch_log_group: "us-east-1",
      aws_cloudwatch_log_resource_policy: "us-east-1",
      aws_route53_query_log: "global",
      aws_route53_zone: "global",
    });
    expect(diagnostics).toEqual([]);
  });

  it("merges provider default_tags into planned IAM resources (format 1.2) and skips data sources", async () => {
    const { resources } = await readTerraformPlan(
      recordedPlan("checks", "data", "aws", "example_GithubActionsOIDCTrustPolicy", "tfplan.json"),
    );
    expect(resources).toHaveLength(5);
    expect(
      resources.every(
        (resource) => resource.tags["managed_by"] === "terraform" && resource.region === "global",
      ),
    ).toBe(true);
  });

  it("reads azurerm locations and google zones from real plans", async () => {
    const azure = await readTerraformPlan(
      recordedPlan("runner", "resources", "plan_with_resource_reference", "tfplan_extra_ref.json"),
    );
    expect(
      azure.resources
        .filter((resource) => resource.region === "canadacentral")
        .map((resource) => resource.type),
    ).toEqual(["azurerm_network_security_group", "azurerm_network_security_group", "azurerm_resource_group"]);
    // The security rule has no location of its own: it is reported, not guessed.
    expect(azure.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.location?.field])).toEqual([
      ["unknown-region", "azurerm_network_security_rule.pass"],
    ]);
    const google = await readTerraformPlan(
      recordedPlan("parser", "resources", "plan_booleans", "tfplan.json"),
    );
    expect(google.resources.map((resource) => [resource.type, resource.region, resource.account])).toEqual([
      ["google_compute_instance", "us-central1", "test"],
      ["google_service_account", "global", "test"],
    ]);
  });

  it("keeps updates and replacements from real plans", async () => {
    const updates = await readTerraformPlan(
      recordedPlan("runner", "resources", "plan_change_keys", "tfplan.json"),
    );
    expect(updates.resources.map((resource) => resource.type)).toEqual([
      "aws_security_group_rule",
      "aws_security_group_rule",
    ]);
    const replaced = await readTerraformPlan(
      recordedPlan("runner", "resources", "plan_with_deleted_resources", "tfplan.json"),
    );
    expect(replaced.resources.map((resource) => [resource.id, resource.region])).toEqual([
      ["terraform:aws_secretsmanager_secret.default", "us-west-2"],
    ]);
  });
});
