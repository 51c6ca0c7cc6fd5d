/** `landlord report <report.json>`: render a saved report in other formats without rescanning. */
import path from "node:path";
import { Command } from "commander";
import { LandlordError } from "../../diagnostics.js";
import { readJsonMembers } from "../../input/json-members.js";
import type { Report } from "../../report/types.js";
import type { CliContext } from "../context.js";
import { pairOutputs, writeOutputs } from "../output.js";

const collectList = (value: string, previous: string[] = []) => [...previous, value];

/** Reads a saved JSON report, checking it is one landlord can render. */
export async function readReportFile(file: string): Promise<Report> {
  // Read by parts: the report of a large estate is hundreds of megabytes, too much to hold as text.
  const value = await readJsonMembers(file, {
    errorCode: "invalid-report",
    hint: "Give the JSON report a scan wrote with --format json.",
  });
  const report = value as Partial<Report> | null;
  if (
    !report ||
    typeof report !== "object" ||
    report.tool?.name !== "landlord" ||
    !Array.isArray(report.findings)
  ) {
    throw new LandlordError("invalid-report", `${file} is not a landlord JSON report`, {
      hint: "Give the JSON report a scan wrote with --format json.",
    });
  }
  if (report.schemaVersion !== 1) {
    throw new LandlordError(
      "invalid-report",
      `${file} has report schemaVersion ${String(report.schemaVersion)}; this landlord reads 1`,
      {
        hint: "Render it with the landlord version that wrote it.",
      },
    );
  }
  return report as Report;
}

export function reportCommand(context: CliContext): Command {
  return new Command("report")
    .description("render a saved JSON report in other formats without rescanning")
    .argument("<report.json>", "a report written by `landlord scan --format json`")
    .option("-f, --format <name>", "output format (repeatable, paired with --output in order)", collectList)
    .option(
      "-o, --output <file>",
      "output file (repeatable; format from --format or the extension)",
      collectList,
    )
    .action(async (file: string, flags: { format?: string[]; output?: string[] }) => {
      const targets = pairOutputs(flags.format ?? [], flags.output ?? [], context.cwd);
      const report = await readReportFile(path.resolve(context.cwd, file));
      await writeOutputs(report, targets, context);
      context.exitCode = 0;
    });
}
