/**
 * The profile's `terraform:` source and `--terraform-plan FILE`: a plan file as a collector, so the
 * pipeline reads planned resources alongside the current inventory.
 */
import path from "node:path";
import type { DerivedAttribute } from "../../inventory/types.js";
import type { CollectContext, CollectResult } from "../types.js";
import { readTerraformPlan } from "./plan.js";

export {
  planResources,
  readTerraformPlan,
  TERRAFORM_ID_PREFIX,
  type TerraformPlanOptions,
  type TerraformPlanResult,
} from "./plan.js";

/** Options of {@link collectTerraformPlan} beyond the collect context. */
export interface TerraformCollectOptions {
  /** The profile's tag keys, to derive classification and the rest from tags. */
  tagKeys?: Record<DerivedAttribute, string[]>;
}

/**
 * Collects the resources a plan creates or updates. `planFile` resolves against `context.baseDir`.
 * An unreadable or invalid plan throws a LandlordError (exit 2): a plan that cannot be read must
 * never pass the gate as if it planned nothing.
 */
export async function collectTerraformPlan(
  planFile: string,
  context: CollectContext,
  options: TerraformCollectOptions = {},
): Promise<CollectResult> {
  const file = path.resolve(context.baseDir, planFile);
  context.progress({ source: "terraform", scope: planFile, status: "started" });
  const { resources, diagnostics } = await readTerraformPlan(file, {
    displayName: planFile,
    ...(options.tagKeys ? { tagKeys: options.tagKeys } : {}),
  });
  context.progress({ source: "terraform", scope: planFile, status: "done", resources: resources.length });
  return {
    resources,
    diagnostics,
    coverage: [
      {
        source: "terraform",
        scope: { file: planFile },
        status: "complete",
        resources: resources.length,
        note: "planned resources only: what this plan creates or updates (aws, azurerm and google providers)",
      },
    ],
  };
}
