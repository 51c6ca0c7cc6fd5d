/** `landlord collect`: collect only, write the canonical inventory (JSON or JSONL) for later scans. */
import path from "node:path";
import { Command } from "commander";
import { parseShard } from "../../collectors/shard.js";
import type { Shard } from "../../collectors/types.js";
import { LandlordError } from "../../diagnostics.js";
import { jsonLines, jsonWithStreamedArray, STREAMED_ARRAY } from "../../formatters/json-stream.js";
import type { SourceEntry } from "../../profile/schema.js";
import { collectInventory } from "../../scan.js";
import type { CliContext } from "../context.js";
import { writeChunks } from "../output.js";
import { profileFor } from "../profile.js";
import { createProgress } from "../progress.js";

const collectList = (value: string, previous: string[] = []) => [...previous, value];

export function collectCommand(context: CliContext): Command {
  return new Command("collect")
    .description("collect the inventory only and write it as JSON or JSONL for later scans")
    .option("-c, --config <file>", "organisation profile (default: ./landlord.yaml)")
    .option(
      "-i, --inventory <file>",
      "read these inventory files instead of the profile's sources (repeatable)",
      collectList,
    )
    .option("-o, --output <file>", "inventory file to write: .json or .jsonl (default: JSON on stdout)")
    .option(
      "--shard <i/n>",
      "read only shard i of n of the accounts, subscriptions and projects (for parallel runs; merge with scan --inventory)",
    )
    .option("--allow-partial", "exit 0 even when some sources could not be read (otherwise exit 3)")
    .option("-q, --quiet", "no progress on stderr")
    .action(
      async (flags: {
        config?: string;
        inventory?: string[];
        output?: string;
        shard?: string;
        allowPartial?: boolean;
        quiet?: boolean;
      }) => {
        const shard = flags.shard === undefined ? undefined : shardOption(flags.shard);
        if (shard && flags.inventory?.length) {
          throw new LandlordError("invalid-option", "--shard cannot be combined with --inventory", {
            hint: "--shard splits the cloud accounts, subscriptions and projects of the profile's sources; inventory files are merged by `landlord scan --inventory` instead.",
          });
        }
        const loaded = await profileFor(context, {
          ...(flags.config ? { config: flags.config } : {}),
          inventoryGiven: (flags.inventory?.length ?? 0) > 0,
        });
        const profile = shard ? { ...loaded, sources: sourcesOfShard(loaded.sources, shard) } : loaded;
        const progress = await createProgress(context, { quiet: flags.quiet === true });
        let inventory: Awaited<ReturnType<typeof collectInventory>>;
        try {
          inventory = await collectInventory({
            profile,
            ...(flags.inventory ? { inventoryFiles: flags.inventory } : {}),
            env: context.env,
            displayRoot: context.cwd,
            progress: progress.sink,
            ...(shard ? { shard } : {}),
          });
        } finally {
          progress.stop();
        }
        const extension = flags.output ? path.extname(flags.output).toLowerCase() : ".json";
        if (extension !== ".json" && extension !== ".jsonl") {
          throw new LandlordError("unknown-format", `cannot write an inventory as ${flags.output}`, {
            hint: "Use a .json or .jsonl file name.",
          });
        }
        // Written piece by piece: the inventory of a million resources is larger than the longest
        // string Node can hold as JSON, and close to it as JSONL.
        const { resources } = inventory;
        await writeChunks(
          context,
          flags.output ? path.resolve(context.cwd, flags.output) : undefined,
          extension === ".jsonl"
            ? jsonLines(resources)
            : jsonWithStreamedArray(
                { resources: [STREAMED_ARRAY] },
                resources.length,
                (index) => resources[index],
              ),
        );
        for (const diagnostic of inventory.diagnostics) {
          context.stderr.write(`landlord: ${diagnostic.level} ${diagnostic.code}: ${diagnostic.message}\n`);
        }
        const incomplete = inventory.diagnostics.some((diagnostic) => diagnostic.level === "error");
        if (flags.output) {
          context.stderr.write(
            `landlord: wrote ${inventory.resources.length} resources to ${flags.output}\n`,
          );
        }
        context.exitCode = incomplete && !flags.allowPartial ? 3 : 0;
      },
    );
}

/** `--shard i/n`, or a usage error (exit 2) naming the expected form. */
export function shardOption(text: string): Shard {
  const shard = parseShard(text);
  if (shard === undefined) {
    throw new LandlordError("invalid-option", `--shard ${text} is not a shard`, {
      hint: "Give --shard i/n with 1 <= i <= n, e.g. --shard 2/8 for the second of eight parallel runs.",
    });
  }
  return shard;
}

/**
 * The sources one shard reads. Cloud sources are split by account, subscription and project inside
 * their collectors; file, vendors and Terraform sources are not split, so only shard 1 reads them and
 * merged shards hold each of their resources once.
 */
export function sourcesOfShard(sources: readonly SourceEntry[], shard: Shard): SourceEntry[] {
  if (shard.index === 1) return [...sources];
  return sources.filter((entry) => "aws" in entry || "azure" in entry || "gcp" in entry);
}
