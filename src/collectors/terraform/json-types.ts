/**
 * The parts of Terraform's plan JSON (`terraform show -json`, format 1.x) landlord reads. Every field
 * is optional and unknown keys are accepted: the format grows within a major version.
 */

/** One entry of `resource_changes`. */
export interface ResourceChange {
  /** `module.x.aws_s3_bucket.b[0]`. */
  address: string;
  module_address?: string;
  mode?: "managed" | "data";
  type: string;
  name?: string;
  /** `registry.terraform.io/hashicorp/aws`. */
  provider_name?: string;
  /** Set for a deposed object (an old instance waiting to be destroyed). */
  deposed?: string;
  change?: {
    actions?: string[];
    before?: unknown;
    after?: unknown;
    /** `true` (or nested `true`s) for values known only after apply. */
    after_unknown?: unknown;
  };
}

/** One entry of `configuration.provider_config`, keyed `aws`, `aws.alias` or `module.x:aws`. */
export interface ProviderConfig {
  name?: string;
  alias?: string;
  module_address?: string;
  /** Argument expressions: `{ constant_value }` or `{ references: ["var.region"] }`; blocks are lists. */
  expressions?: Record<string, unknown>;
}

/** A plan document, as far as landlord reads it. */
export interface PlanDocument {
  format_version?: unknown;
  terraform_version?: string;
  variables?: Record<string, { value?: unknown }>;
  planned_values?: unknown;
  resource_changes?: ResourceChange[];
  configuration?: {
    provider_config?: Record<string, ProviderConfig>;
    root_module?: unknown;
  };
  complete?: boolean;
  errored?: boolean;
}
