/** `landlord scan`: collect, evaluate, write the report, and gate (SPEC 5, 7). */
import { Command, Option } from "commander";
import { LandlordError } from "../../diagnostics.js";
import { type Finding, SEVERITIES, type Severity } from "../../report/types.js";
import { scan } from "../../scan.js";
import type { CliContext } from "../context.js";
import { pairOutputs, writeOutputs } from "../output.js";
import { profileFor } from "../profile.js";
import { createProgress } from "../progress.js";

const collectList = (value: string, previous: string[] = []) => [...previous, value];

export interface ScanFlags {
  config?: string;
  inventory?: string[];
  format?: string[];
  output?: string[];
  failOn: Severity | "none";
  allowPartial?: boolean;
  quiet?: boolean;
}

export function scanCommand(context: CliContext): Command {
  return new Command("scan")
    .description("collect from the profile's sources, evaluate the rules, write the report")
    .option("-c, --config <file>", "organisation profile (default: ./landlord.yaml)")
    .option(
      "-i, --inventory <file>",
      "scan this inventory file instead of the profile's sources (repeatable)",
      collectList,
    )
    .option("-f, --format <name>", "output format (repeatable, paired with --output in order)", collectList)
    .option(
      "-o, --output <file>",
      "output file (repeatable; format from --format or the extension)",
      collectList,
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when an unwaived finding is at or above this severity")
        .choices([...SEVERITIES, "none"])
        .default("high"),
    )
    .option("--allow-partial", "exit by findings even when some sources could not be read (otherwise exit 3)")
    .option("-q, --quiet", "no progress on stderr")
    .action(async (flags: ScanFlags) => {
      const targets = pairOutputs(flags.format ?? [], flags.output ?? [], context.cwd);
      const profile = await profileFor(context, {
        ...(flags.config ? { config: flags.config } : {}),
        inventoryGiven: (flags.inventory?.length ?? 0) > 0,
      });
      const progress = createProgress(context, { quiet: flags.quiet === true });
      let result: Awaited<ReturnType<typeof scan>>;
      try {
        result = await scan({
          profile,
          scanTime: context.now(),
          ...(flags.inventory ? { inventoryFiles: flags.inventory } : {}),
          env: context.env,
          displayRoot: context.cwd,
          progress: progress.sink,
        });
      } finally {
        progress.stop();
      }
      const { report } = result;
      await writeOutputs(report, targets, context);
      if (targets.every((target) => target.file !== undefined)) {
        await writeOutputs(report, [{ format: "text", file: undefined }], context);
      }
      context.exitCode = gate(report.findings, report.summary.complete, flags, context);
    });
}

/** Exit code of SPEC 5, with a line on stderr saying why the gate failed. */
function gate(
  findings: readonly Finding[],
  complete: boolean,
  flags: ScanFlags,
  context: CliContext,
): number {
  if (!complete && !flags.allowPartial) {
    context.stderr.write(
      "landlord: collection incomplete: some sources could not be read (see diagnostics); exit 3. Pass --allow-partial to judge what was read.\n",
    );
    return 3;
  }
  if (flags.failOn === "none") return 0;
  const threshold = SEVERITIES.indexOf(flags.failOn);
  if (threshold < 0) throw new LandlordError("invalid-option", `unknown severity ${flags.failOn}`);
  const failing = findings.filter(
    (finding) => !finding.waived && SEVERITIES.indexOf(finding.severity) >= threshold,
  );
  if (failing.length === 0) return 0;
  context.stderr.write(
    `landlord: ${failing.length} unwaived finding${failing.length === 1 ? "" : "s"} at or above ${flags.failOn}; exit 1\n`,
  );
  return 1;
}
