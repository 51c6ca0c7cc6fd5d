/** PLACEHOLDER until the aws collector lands. */
import { LandlordError } from "../../diagnostics.js";
import type { Collector } from "../types.js";
import type { AwsSourceConfig } from "./config.js";

export const collectAws: Collector<AwsSourceConfig> = async () => {
  throw new LandlordError("source-unavailable", "the aws source is not available in this build");
};
