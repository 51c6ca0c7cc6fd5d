/** Loading the profile for a command: `--config`, `landlord.yaml` in the working directory, or defaults. */
import { displayPath } from "../collectors/index.js";
import { LandlordError } from "../diagnostics.js";
import { defaultProfile, findProfile, loadProfile, type Profile } from "../profile/load.js";
import type { CliContext } from "./context.js";

/**
 * The profile for this run. Without a profile file, `--inventory` scans still work with a default
 * organisation (nothing competes with it); anything else needs a profile.
 */
export async function profileFor(
  context: CliContext,
  options: { config?: string; inventoryGiven: boolean },
): Promise<Profile> {
  const file = await findProfile(context.cwd, options.config);
  if (file !== undefined) return loadProfile(file, displayPath(file, context.cwd));
  if (options.inventoryGiven) return defaultProfile(context.cwd);
  throw new LandlordError("no-profile", `no landlord.yaml in ${context.cwd}`, {
    hint: "Pass --config FILE, run `landlord init` to write one, or scan files directly with --inventory FILE.",
  });
}
