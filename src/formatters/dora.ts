/**
 * `--format dora`: the DORA register of information, a folder of CSV templates and a README
 * (`doraRegister`), so it needs `--output DIR` instead of standard output.
 */
import { doraRegister } from "../compliance/dora/register.js";
import { LandlordError } from "../diagnostics.js";
import type { Report } from "../report/types.js";

/** The register's files by name, to be written into `folder`; refuses standard output. */
export function formatDoraFiles(report: Report, folder: string | undefined): Record<string, string> {
  if (folder === undefined) {
    throw new LandlordError(
      "dora-needs-folder",
      "--format dora writes several files and cannot go to standard output",
      { hint: "Give --output DIR after --format dora, e.g. `--format dora --output register/`." },
    );
  }
  return doraRegister(report);
}
