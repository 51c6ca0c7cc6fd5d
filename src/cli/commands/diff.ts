/** `landlord diff <old.json> <new.json>`: findings added and resolved, shares and HHI moved. */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import { EXIT, LandlordError } from "../../diagnostics.js";
import { readJsonMembers } from "../../input/json-members.js";
import { diffReports, formatDiffJson, formatDiffMarkdown, formatDiffText } from "../../report/diff.js";
import type { Report } from "../../report/types.js";
import type { CliContext } from "../context.js";

const DIFF_FORMATS = ["text", "markdown", "json"] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

class UnreadableReport extends Error {}

async function readReport(context: CliContext, file: string): Promise<Report> {
  const absolute = path.resolve(context.cwd, file);
  try {
    await access(absolute, constants.R_OK);
  } catch (error) {
    throw new UnreadableReport(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    // Read by parts: two reports of a large estate are each hundreds of megabytes.
    value = await readJsonMembers(absolute, { errorCode: "invalid-report" });
  } catch (error) {
    if (!(error instanceof LandlordError)) throw error;
    if (error.code !== "invalid-report") throw new UnreadableReport(error.message);
    const detail = error.details[0];
    const where = detail?.location?.line ? ` (line ${detail.location.line})` : "";
    throw new UnreadableReport(`${file} is not valid JSON: ${detail?.message ?? error.message}${where}`);
  }
  const report = value as Partial<Report> | null;
  if (
    report === null ||
    typeof report !== "object" ||
    report.schemaVersion !== 1 ||
    !Array.isArray(report.findings) ||
    typeof report.metrics !== "object" ||
    report.metrics === null ||
    !Array.isArray(report.metrics.providers) ||
    !Array.isArray(report.metrics.parents) ||
    typeof report.summary !== "object"
  ) {
    throw new UnreadableReport(
      `${file} is not a landlord JSON report (schemaVersion 1 with summary, metrics and findings)`,
    );
  }
  return report as Report;
}

/** Builds the `diff` command. */
export function diffCommand(context: CliContext): Command {
  return new Command("diff")
    .description("compare two JSON reports: findings added and resolved, shares and HHI moved")
    .argument("<old>", "the earlier report (JSON, from --format json)")
    .argument("<new>", "the later report (JSON)")
    .addOption(new Option("--format <name>", "output format").choices(DIFF_FORMATS).default("text"))
    .action(async (oldFile: string, newFile: string, options: { format: DiffFormat }) => {
      let reports: [Report, Report];
      try {
        reports = [await readReport(context, oldFile), await readReport(context, newFile)];
      } catch (error) {
        if (!(error instanceof UnreadableReport)) throw error;
        context.stderr.write(`landlord diff: ${error.message}\n`);
        context.stderr.write(
          "Hint: write reports with `landlord scan --format json --output report.json`.\n",
        );
        context.exitCode = EXIT.usage;
        return;
      }
      const diff = diffReports(reports[0], reports[1]);
      const render = { text: formatDiffText, markdown: formatDiffMarkdown, json: formatDiffJson }[
        options.format
      ];
      context.stdout.write(render(diff));
      context.exitCode = EXIT.ok;
    });
}
