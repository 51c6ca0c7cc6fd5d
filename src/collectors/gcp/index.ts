/** PLACEHOLDER until the gcp collector lands. */
import { LandlordError } from "../../diagnostics.js";
import type { Collector } from "../types.js";
import type { GcpSourceConfig } from "./config.js";

export const collectGcp: Collector<GcpSourceConfig> = async () => {
  throw new LandlordError("source-unavailable", "the gcp source is not available in this build");
};
