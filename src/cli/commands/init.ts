/**
 * `landlord init`: writes a commented `landlord.yaml` for a new organisation, from flags or, when
 * they are missing and a terminal is there, from answers to a few questions.
 */
import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { stringify } from "yaml";
import { EXIT } from "../../diagnostics.js";
import type { CliContext } from "../context.js";

/** What goes into a new profile. */
export interface InitAnswers {
  name: string;
  segments: string[];
  /** ISO 3166-1 alpha-2, upper case. */
  jurisdiction: string;
  /** Source entries such as `file:./inventory.json` or `aws:all`. */
  sources: string[];
}

const SOURCE_KINDS = ["file", "vendors", "terraform", "aws", "azure", "gcp"] as const;

function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function yamlValue(value: unknown): string {
  return stringify(value, { flow: true }).trim();
}

/** Turns `file:./inventory.json` or `aws` into a `sources:` entry. */
export function sourceEntry(spec: string): Record<string, unknown> {
  const colon = spec.indexOf(":");
  const kind = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  const argument = colon === -1 ? "" : spec.slice(colon + 1).trim();
  if (!(SOURCE_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown source kind "${kind}" in "${spec}"; use one of ${SOURCE_KINDS.join(", ")}`);
  }
  switch (kind) {
    case "aws":
      return { aws: { regions: argument === "" ? "all" : list(argument) } };
    case "azure":
      return { azure: { subscriptions: argument === "" ? "all" : list(argument) } };
    case "gcp":
      return argument === "" ? { gcp: {} } : { gcp: { organization: argument } };
    default:
      if (argument === "") throw new Error(`source "${kind}" needs a path, e.g. ${kind}:./inventory.json`);
      return { [kind]: argument };
  }
}

/** The text of a commented `landlord.yaml`. */
export function renderProfile(answers: InitAnswers): string {
  const sources = answers.sources.map(sourceEntry);
  const lines = [
    "# landlord.yaml: who your organisation is, and where to look for its workloads.",
    "# Written by `landlord init`; edit freely. Run `landlord scan` in this folder.",
    "",
    "organization:",
    `  name: ${yamlValue(answers.name)}`,
    "  # Business segments you compete in (catalog ids: retail, grocery, e-commerce, streaming-video,",
    "  # advertising, payments, banking, logistics, healthcare, gaming, ...). A provider whose parent",
    "  # company competes in one of them is a landlord with a conflict of interest.",
    `  segments: ${yamlValue(answers.segments)}`,
    "  # ISO 3166-1 alpha-2 country of your headquarters: decides which access laws are foreign to you",
    "  # and which restricted lists apply.",
    `  jurisdiction: ${yamlValue(answers.jurisdiction)}`,
    "  # Parent companies that count as competitors regardless of segments, e.g. [amazon].",
    "  competitors: []",
    "  # Jurisdictions whose reach over your sensitive data you do not accept, e.g. [CN, RU].",
    "  distrustedJurisdictions: []",
    "",
    "# Tag values that mark sensitive data and critical workloads (case-insensitive).",
    "sensitiveClasses: [confidential, restricted, secret, pii]",
    "criticalValues: [critical, high, tier-0, tier-1]",
    "",
    "# Where the inventory comes from: inventory files (file), third-party hosting declarations",
    "# (vendors), Terraform plans (terraform), or the clouds themselves (aws, azure, gcp).",
    sources.length === 0 ? "sources: []" : "sources:",
    ...sources.map((entry) => `  - ${yamlValue(entry)}`),
    "",
    "# rules:",
    "#   disable: [competitor-hosted-workload]",
    "#   severity: { provider-concentration: high }",
    "#   params: { provider-concentration: { threshold: 0.5 } }",
    "# waivers: ./waivers.yaml",
    "",
  ];
  return lines.join("\n");
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

interface InitOptions {
  name?: string;
  segments?: string;
  jurisdiction?: string;
  source: string[];
  output: string;
  force?: boolean;
}

/** Builds the `init` command. */
export function initCommand(context: CliContext): Command {
  return new Command("init")
    .description("write a commented landlord.yaml for a new organisation")
    .option("--name <name>", "organisation name")
    .option("--segments <list>", "business segments, comma separated (retail,grocery,e-commerce)")
    .option("--jurisdiction <code>", "ISO country code of headquarters (US, DE, KR)")
    .option(
      "--source <kind:path>",
      "a source: file:./inventory.json, vendors:./vendors.yaml, terraform:./plan.json, aws, azure, gcp (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--output <file>", "where to write the profile", "landlord.yaml")
    .option("--force", "overwrite an existing file")
    .action(async (options: InitOptions) => {
      const fail = (message: string, hint?: string) => {
        context.stderr.write(`landlord init: ${message}\n${hint ? `Hint: ${hint}\n` : ""}`);
        context.exitCode = EXIT.usage;
      };
      const output = path.resolve(context.cwd, options.output);
      if (!options.force && (await exists(output))) {
        fail(
          `${options.output} already exists`,
          "pass --force to overwrite it, or --output to write elsewhere",
        );
        return;
      }

      const ask = async (question: string, fallback: string): Promise<string> => {
        if (!context.prompt) return fallback;
        const answer = (await context.prompt(`${question}${fallback ? ` [${fallback}]` : ""}: `)).trim();
        return answer === "" ? fallback : answer;
      };
      const name = options.name ?? (await ask("Organisation name", ""));
      if (name.trim() === "") {
        fail("the organisation's name is required", 'pass --name "Example Retail Co"');
        return;
      }
      const segments = list(options.segments ?? (await ask("Business segments, comma separated", "")));
      const jurisdiction = (
        options.jurisdiction ?? (await ask("Headquarters country (ISO code)", "US"))
      ).trim();
      if (!/^[A-Za-z]{2}$/.test(jurisdiction)) {
        fail(
          `"${jurisdiction}" is not an ISO 3166-1 alpha-2 country code`,
          "use two letters such as US, DE or KR",
        );
        return;
      }
      let sources = options.source;
      if (sources.length === 0 && context.prompt) {
        sources = list(
          await ask(
            "Sources, comma separated (file:./inventory.json, aws, azure, gcp)",
            "file:./inventory.json",
          ),
        );
      }

      let text: string;
      try {
        text = renderProfile({
          name: name.trim(),
          segments,
          jurisdiction: jurisdiction.toUpperCase(),
          sources,
        });
      } catch (error) {
        fail((error as Error).message);
        return;
      }
      await writeFile(output, text, { flag: options.force ? "w" : "wx" });
      context.stdout.write(`Wrote ${path.relative(context.cwd, output) || output}. Next: landlord scan\n`);
      context.exitCode = EXIT.ok;
    });
}
