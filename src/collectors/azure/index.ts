/** PLACEHOLDER until the azure collector lands. */
import { LandlordError } from "../../diagnostics.js";
import type { Collector } from "../types.js";
import type { AzureSourceConfig } from "./config.js";

export const collectAzure: Collector<AzureSourceConfig> = async () => {
  throw new LandlordError("source-unavailable", "the azure source is not available in this build");
};
