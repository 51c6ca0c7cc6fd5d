/**
 * Terraform plans (SPEC 2.4): `terraform show -json` output in, the resources the plan creates or
 * updates out, so a CI job can judge what is about to be deployed before it exists.
 *
 * Reads the hashicorp aws, azurerm and google providers. Region comes from the planned values, else
 * from the provider configuration the resource uses (its alias included), else an `unknown-region`
 * warning. Tags merge the provider's default tags (labels) with the resource's own.
 */
import type { Diagnostic } from "../../diagnostics.js";
import { LandlordError } from "../../diagnostics.js";
import { parseJson } from "../../input/json.js";
import { readTextFile } from "../../input/yaml.js";
import type { DerivedAttribute, Resource } from "../../inventory/types.js";
import { deriveAttributes } from "./derive.js";
import type { PlanDocument, ProviderConfig, ResourceChange } from "./json-types.js";

/** The major `format_version` landlord reads; a different major changed meaning upstream. */
export const SUPPORTED_PLAN_FORMAT_MAJOR = 1;

/** Prefix of planned resource ids: they have no provider id before they are applied. */
export const TERRAFORM_ID_PREFIX = "terraform:";

/** Terraform provider type (last segment of `provider_name`) to catalog provider id. */
const PROVIDERS: Record<string, string> = {
  aws: "aws",
  azurerm: "azure",
  google: "gcp",
  "google-beta": "gcp",
};

/** Providers that create no cloud resources (randomness, files, time): skipped without a warning. */
const UTILITY_PROVIDERS = new Set([
  "random",
  "null",
  "local",
  "tls",
  "time",
  "archive",
  "http",
  "external",
  "cloudinit",
  "terraform",
]);

/** Resource types that have no region: the service is global. */
const GLOBAL_TYPES = [
  /^aws_iam_/,
  /^aws_route53_(?!resolver)/,
  /^aws_cloudfront_/,
  /^aws_organizations_/,
  /^aws_shield_protection/,
  /^google_service_account/,
  /^google_project/,
  /^google_organization_/,
  /^google_folder/,
  /^google_billing_/,
  /^azurerm_role_/,
  /^azurerm_policy_/,
  /^azurerm_management_group/,
  /^azurerm_subscription/,
];

/** Options of {@link readTerraformPlan}. */
export interface TerraformPlanOptions {
  /**
   * Tag keys per derived attribute (the profile's `tagKeys`). When given, classification, workload,
   * environment, criticality, sector, residency and required certifications are read from the tags.
   */
  tagKeys?: Record<DerivedAttribute, string[]>;
  /** Name to use for the file in resource sources and messages. @default file */
  displayName?: string;
}

/** What a plan contributed: planned resources and the problems met reading them. */
export interface TerraformPlanResult {
  resources: Resource[];
  diagnostics: Diagnostic[];
}

const PLAN_HINT =
  "Write the plan as JSON with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`.";

/** Reads a `terraform show -json` file. Unreadable, malformed or foreign files throw a LandlordError (exit 2). */
export async function readTerraformPlan(
  file: string,
  options: TerraformPlanOptions = {},
): Promise<TerraformPlanResult> {
  const displayName = options.displayName ?? file;
  const text = await readTextFile(file);
  if (text.startsWith("PK")) {
    throw new LandlordError("invalid-terraform-plan", `${displayName} is a binary Terraform plan, not JSON`, {
      details: [
        {
          message: "the file is the zip archive `terraform plan -out` writes",
          location: { file: displayName },
        },
      ],
      hint: PLAN_HINT,
    });
  }
  const document = parseJson(text, displayName, "invalid-terraform-plan", PLAN_HINT);
  return planResources(document, displayName, options);
}

/** The resources of a parsed plan document. Pure; `file` names the plan in sources and messages. */
export function planResources(
  document: unknown,
  file: string,
  options: TerraformPlanOptions = {},
): TerraformPlanResult {
  const plan = checkPlan(document, file);
  const diagnostics: Diagnostic[] = [];
  const resources: Resource[] = [];
  const configKeys = configurationProviderKeys(plan);
  const skippedProviders = new Map<string, number>();

  if (plan.complete === false) {
    diagnostics.push({
      level: "warning",
      code: "terraform-plan-incomplete",
      message: `${file}: the plan is incomplete (deferred changes); resources Terraform will only plan later are missing`,
      source: file,
      location: { file },
    });
  }

  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed" || change.deposed) continue;
    const actions = change.change?.actions ?? [];
    if (!actions.includes("create") && !actions.includes("update")) continue;
    const providerType = lastSegment(change.provider_name ?? "");
    const provider = PROVIDERS[providerType];
    if (!provider) {
      skippedProviders.set(
        change.provider_name ?? "(none)",
        (skippedProviders.get(change.provider_name ?? "(none)") ?? 0) + 1,
      );
      continue;
    }
    const after = asRecord(change.change?.after);
    const afterUnknown = asRecord(change.change?.after_unknown);
    const providerConfig = providerConfigFor(plan, change, configKeys);
    const id = `${TERRAFORM_ID_PREFIX}${change.address}`;

    const resource: Resource = {
      id,
      provider,
      type: change.type,
      tags: plannedTags(providerType, after, providerConfig, plan),
      source: `terraform:${file}`,
    };
    const name = knownString(after, afterUnknown, "bucket") ?? knownString(after, afterUnknown, "name");
    if (name !== undefined) resource.name = name;

    const region = plannedRegion(providerType, change.type, after, afterUnknown, providerConfig, plan);
    if (region !== undefined) {
      resource.region = region;
    } else {
      diagnostics.push({
        level: "warning",
        code: "unknown-region",
        message: `${change.address}: the plan does not say where it will be created (no region or location, and none in its provider configuration)`,
        source: `terraform:${file}`,
        location: { file, field: change.address },
        hint: "Set the provider's region as a constant or variable, or the resource's location.",
      });
    }
    const account = plannedAccount(providerType, after, afterUnknown, providerConfig, plan);
    if (account !== undefined) resource.account = account;
    if (options.tagKeys) deriveAttributes(resource, options.tagKeys);
    resources.push(resource);
  }

  for (const [providerName, count] of skippedProviders) {
    const type = lastSegment(providerName);
    diagnostics.push({
      level: UTILITY_PROVIDERS.has(type) ? "info" : "warning",
      code: "unsupported-terraform-provider",
      message: `${file}: ${count} planned resource${count === 1 ? "" : "s"} of provider ${providerName} not evaluated; landlord reads the hashicorp aws, azurerm and google providers`,
      source: `terraform:${file}`,
      location: { file },
    });
  }
  return { resources, diagnostics };
}

/** Why one `resource_changes` entry cannot be read, or undefined when its shape is usable. */
function resourceChangeProblem(change: unknown): string | undefined {
  if (change === null || typeof change !== "object" || Array.isArray(change)) return "not an object";
  const entry = change as Record<string, unknown>;
  for (const key of ["address", "type"]) {
    if (typeof entry[key] !== "string") return `\`${key}\` is not a string`;
  }
  for (const key of ["mode", "provider_name"]) {
    if (entry[key] !== undefined && typeof entry[key] !== "string") return `\`${key}\` is not a string`;
  }
  const body = entry.change;
  if (body === undefined) return undefined;
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "`change` is not an object";
  const actions = (body as Record<string, unknown>).actions;
  if (
    actions !== undefined &&
    (!Array.isArray(actions) || actions.some((action) => typeof action !== "string"))
  )
    return "`change.actions` is not a list of strings";
  return undefined;
}

function checkPlan(document: unknown, file: string): PlanDocument {
  const fail = (message: string, hint = PLAN_HINT): never => {
    throw new LandlordError("invalid-terraform-plan", `${file} is not a Terraform plan`, {
      details: [{ message, location: { file } }],
      hint,
    });
  };
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return fail("expected the JSON object `terraform show -json` writes");
  }
  const plan = document as PlanDocument;
  if (typeof plan.format_version !== "string") {
    return fail("no `format_version`: this is not `terraform show -json` output");
  }
  const major = Number(plan.format_version.split(".")[0]);
  if (major !== SUPPORTED_PLAN_FORMAT_MAJOR) {
    throw new LandlordError(
      "unsupported-terraform-plan-format",
      `${file} has plan format_version ${plan.format_version}; landlord reads format ${SUPPORTED_PLAN_FORMAT_MAJOR}.x`,
      {
        details: [
          { message: `format_version ${plan.format_version}`, location: { file, field: "format_version" } },
        ],
        hint: "Use a Terraform version whose `terraform show -json` writes format 1.x, or upgrade landlord.",
      },
    );
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    return fail("`resource_changes` is not a list");
  }
  for (const [index, change] of (plan.resource_changes ?? []).entries()) {
    const problem = resourceChangeProblem(change);
    if (problem !== undefined) return fail(`resource_changes[${index}]: ${problem}`);
  }
  if (plan.resource_changes === undefined && plan.planned_values === undefined) {
    // `terraform show -json` of a state file has `values` but no changes: nothing is planned.
    return fail(
      "no `resource_changes`: this looks like state, not a plan",
      `${PLAN_HINT} Pass the plan file, not the state.`,
    );
  }
  if (plan.errored === true) {
    throw new LandlordError("terraform-plan-errored", `${file}: Terraform reported errors while planning`, {
      details: [
        { message: "`errored` is true: the plan is partial and cannot be judged", location: { file } },
      ],
      hint: "Fix the errors `terraform plan` printed, then write the plan again.",
    });
  }
  return plan;
}

/** Provider configuration key of every configured resource, by its module-and-resource address without instance keys. */
function configurationProviderKeys(plan: PlanDocument): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (module: unknown, prefix: string): void => {
    const record = asRecord(module);
    for (const entry of Array.isArray(record["resources"]) ? record["resources"] : []) {
      const resource = asRecord(entry);
      if (typeof resource["address"] === "string" && typeof resource["provider_config_key"] === "string") {
        keys.set(prefix + resource["address"], resource["provider_config_key"]);
      }
    }
    for (const [name, call] of Object.entries(asRecord(record["module_calls"]))) {
      walk(asRecord(call)["module"], `${prefix}module.${name}.`);
    }
  };
  walk(plan.configuration?.root_module, "");
  return keys;
}

/** The provider configuration a resource change uses (alias and module aware), if the plan has it. */
function providerConfigFor(
  plan: PlanDocument,
  change: ResourceChange,
  configKeys: Map<string, string>,
): ProviderConfig | undefined {
  const configs = plan.configuration?.provider_config ?? {};
  const providerType = lastSegment(change.provider_name ?? "");
  const configAddress = stripInstanceKeys(change.address);
  const key = configKeys.get(configAddress);
  if (key !== undefined) {
    if (configs[key]) return configs[key];
    // Older Terraform writes `module.x:aws` for a provider inherited from the root.
    const withoutModule = key.includes(":") ? key.slice(key.lastIndexOf(":") + 1) : undefined;
    if (withoutModule && configs[withoutModule]) return configs[withoutModule];
  }
  // The default (unaliased) configuration of the resource's module, then of the root.
  const modulePrefix = change.module_address ? stripInstanceKeys(change.module_address) : undefined;
  if (modulePrefix && configs[`${modulePrefix}:${providerType}`])
    return configs[`${modulePrefix}:${providerType}`];
  if (key === undefined) {
    if (configs[providerType]) return configs[providerType];
  }
  return undefined;
}

function plannedRegion(
  providerType: string,
  type: string,
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown>,
  providerConfig: ProviderConfig | undefined,
  plan: PlanDocument,
): string | undefined {
  if (GLOBAL_TYPES.some((pattern) => pattern.test(type))) return "global";
  if (providerType === "azurerm") {
    const location = knownString(after, afterUnknown, "location");
    return location === undefined ? undefined : normalizeAzureLocation(location);
  }
  if (providerType === "aws") {
    return knownString(after, afterUnknown, "region") ?? configString(providerConfig, "region", plan);
  }
  // google / google-beta
  const own =
    knownString(after, afterUnknown, "region") ??
    knownString(after, afterUnknown, "location") ??
    zoneRegion(knownString(after, afterUnknown, "zone"));
  const region =
    own ??
    configString(providerConfig, "region", plan) ??
    zoneRegion(configString(providerConfig, "zone", plan));
  return region?.toLowerCase();
}

function plannedAccount(
  providerType: string,
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown>,
  providerConfig: ProviderConfig | undefined,
  plan: PlanDocument,
): string | undefined {
  if (providerType === "google" || providerType === "google-beta") {
    return knownString(after, afterUnknown, "project") ?? configString(providerConfig, "project", plan);
  }
  if (providerType === "azurerm") return configString(providerConfig, "subscription_id", plan);
  return undefined;
}

function plannedTags(
  providerType: string,
  after: Record<string, unknown>,
  providerConfig: ProviderConfig | undefined,
  plan: PlanDocument,
): Record<string, string> {
  const tags: Record<string, string> = {};
  const merge = (value: unknown): void => {
    for (const [key, tag] of Object.entries(asRecord(value))) {
      if (typeof tag === "string" || typeof tag === "number" || typeof tag === "boolean")
        tags[key] = String(tag);
    }
  };
  if (providerType === "aws") {
    const defaults = providerConfig?.expressions?.["default_tags"];
    const block = Array.isArray(defaults) ? asRecord(defaults[0]) : asRecord(defaults);
    merge(expressionValue(block["tags"], plan));
    merge(after["tags_all"]);
    merge(after["tags"]);
  } else if (providerType === "azurerm") {
    merge(after["tags"]);
  } else {
    merge(expressionValue(providerConfig?.expressions?.["default_labels"], plan));
    merge(after["terraform_labels"]);
    merge(after["labels"]);
  }
  return tags;
}

/** A provider configuration argument: a constant, or a `var.x` whose value the plan recorded. */
function configString(
  providerConfig: ProviderConfig | undefined,
  name: string,
  plan: PlanDocument,
): string | undefined {
  const value = expressionValue(providerConfig?.expressions?.[name], plan);
  return typeof value === "string" && value !== "" ? value : undefined;
}

function expressionValue(expression: unknown, plan: PlanDocument): unknown {
  const record = asRecord(expression);
  if ("constant_value" in record) return record["constant_value"];
  const references = Array.isArray(record["references"]) ? record["references"] : [];
  for (const reference of references) {
    const variable =
      typeof reference === "string" ? /^var\.([A-Za-z0-9_-]+)$/.exec(reference)?.[1] : undefined;
    if (variable !== undefined) return plan.variables?.[variable]?.value;
  }
  return undefined;
}

/** A string attribute of the planned values that is known now (not computed at apply time). */
function knownString(
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown>,
  key: string,
): string | undefined {
  if (afterUnknown[key] === true) return undefined;
  const value = after[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `East US 2` and `eastus2` are the same Azure region; the API's code is the latter. */
function normalizeAzureLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** `us-central1-c` to `us-central1`. */
function zoneRegion(zone: string | undefined): string | undefined {
  if (zone === undefined) return undefined;
  const match = /^(.+-[a-z]+\d+)-[a-z]$/i.exec(zone);
  return match ? match[1] : undefined;
}

/** `module.a["x"].aws_s3_bucket.b[0]` to `module.a.aws_s3_bucket.b`. */
function stripInstanceKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, "");
}

function lastSegment(providerName: string): string {
  return providerName.slice(providerName.lastIndexOf("/") + 1);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
