/** `landlord scan`: collect, evaluate, write the report, and gate (SPEC 5, 7). */
import path from "node:path";
import { Command, Option } from "commander";
import { formatExitImpact } from "../../formatters/exit-impact.js";
import { INVENTORY_FORMATS } from "../../formatters/names.js";
import { exitImpact } from "../../report/analysis.js";
import {
  DEFAULT_FAIL_ON,
  describeGate,
  FAIL_ON_VALUES,
  gateExitCode,
  parseFailOn,
  withRecordedGate,
} from "../../report/gate.js";
import { scan } from "../../scan.js";
import { type CliContext, colorEnabled } from "../context.js";
import { pairOutputs, writeOutputs } from "../output.js";
import { profileFor } from "../profile.js";
import { createProgress } from "../progress.js";

/** Failing findings listed on stderr before the rest are counted: the report has them all. */
const MAX_GATE_LINES = 20;

const collectList = (value: string, previous: string[] = []) => [...previous, value];

export interface ScanFlags {
  config?: string;
  inventory?: string[];
  format?: string[];
  output?: string[];
  failOn: string;
  terraformPlan?: string[];
  baseline?: string;
  allowPartial?: boolean;
  quiet?: boolean;
  exit?: string;
  chromium?: string;
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
    .option(
      "--terraform-plan <file>",
      "also evaluate what a `terraform show -json` plan creates or updates (repeatable)",
      collectList,
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when an unwaived finding is at or above this severity")
        .choices([...FAIL_ON_VALUES])
        .default(DEFAULT_FAIL_ON),
    )
    .option("--baseline <report.json>", "only findings absent from this saved report fail the gate")
    .option("--allow-partial", "exit by findings even when some sources could not be read (otherwise exit 3)")
    .option("--exit <provider>", "also print what leaving (or losing) this provider would take down")
    .option(
      "--chromium <path>",
      "Chromium or Chrome executable for --format pdf (default: found on the usual paths)",
    )
    .option("-q, --quiet", "no progress on stderr")
    .action(async (flags: ScanFlags) => {
      const failOn = parseFailOn(flags.failOn);
      const targets = pairOutputs(flags.format ?? [], flags.output ?? [], context.cwd);
      const profile = await profileFor(context, {
        ...(flags.config ? { config: flags.config } : {}),
        inventoryGiven: (flags.inventory?.length ?? 0) > 0,
      });
      const progress = await createProgress(context, { quiet: flags.quiet === true });
      let result: Awaited<ReturnType<typeof scan>>;
      try {
        result = await scan({
          profile,
          scanTime: context.now(),
          ...(flags.inventory ? { inventoryFiles: flags.inventory } : {}),
          env: context.env,
          displayRoot: context.cwd,
          progress: progress.sink,
          includeInventory: targets.some((target) => INVENTORY_FORMATS.has(target.format)),
          includeDora: targets.some((target) => target.format === "dora"),
          ...(flags.terraformPlan
            ? {
                extraSources: flags.terraformPlan.map((file) => ({
                  terraform: path.resolve(context.cwd, file),
                })),
              }
            : {}),
          ...(flags.baseline ? { baselineFile: path.resolve(context.cwd, flags.baseline) } : {}),
        });
      } finally {
        progress.stop();
      }
      const gateOptions = {
        failOn,
        allowPartial: flags.allowPartial === true,
        baselineGiven: flags.baseline !== undefined,
      };
      const report = withRecordedGate(result.report, gateOptions);
      await writeOutputs(report, targets, context, flags.chromium ? { chromiumPath: flags.chromium } : {});
      if (targets.every((target) => target.file !== undefined)) {
        await writeOutputs(report, [{ format: "text", file: undefined }], context);
      }
      if (flags.exit) {
        const impact =
          report.analysis?.exitImpact.find((entry) => entry.provider === flags.exit) ??
          exitImpact(result.resources, flags.exit, profile);
        context.stdout.write(formatExitImpact(impact, { color: colorEnabled(context, context.stdout) }));
      }
      for (const line of describeGate(report, gateOptions, MAX_GATE_LINES)) {
        context.stderr.write(`landlord: ${line}\n`);
      }
      context.exitCode = gateExitCode(report, gateOptions);
    });
}
