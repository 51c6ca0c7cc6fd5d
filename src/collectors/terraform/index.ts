/** PLACEHOLDER until the Terraform plan reader lands. */
import type { Diagnostic } from "../../diagnostics.js";
import { LandlordError } from "../../diagnostics.js";
import type { Resource } from "../../inventory/types.js";

export async function readTerraformPlan(
  _file: string,
  _options: { displayName?: string } = {},
): Promise<{ resources: Resource[]; diagnostics: Diagnostic[] }> {
  throw new LandlordError("source-unavailable", "Terraform plans are not available in this build");
}
