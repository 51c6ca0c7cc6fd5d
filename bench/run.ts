/**
 * The scan benchmark: wall time, CPU time and peak memory of every stage of a scan (read, enrich,
 * rules, report, JSON output) at 10k, 100k and 1M resources, side by side with the floor: the same
 * Node reading the same JSONL file and JSON.parse-ing every line. Each measurement runs in its own
 * process so peak memory (the kernel's high-water mark of resident memory) belongs to it alone.
 *
 *   npx tsx bench/generate.ts && npx tsx bench/run.ts
 *   npx tsx bench/run.ts --sizes 10k,100k      # a quicker pass
 *   npx tsx bench/run.ts --sizes 1m --cpu-prof  # also write V8 CPU profiles to bench/out/profiles
 *   npx tsx bench/run.ts --sizes 1m --repeat 5  # five interleaved runs of the floor, scan() and the CLI
 *
 * Writes bench/out/results.json and bench/results.md.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { OUT_DIR, sizeLabel, sizesFromArgs, writeOrganisation } from "./generate.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const STATS_PRELOAD = path.join(import.meta.dirname, "process-stats.mjs");

/** One timed stage inside a process. */
export interface StageStats {
  stage: string;
  wallMs: number;
  cpuMs: number;
  /** Peak resident memory of the process so far (MB). */
  maxRssMb: number;
}

/** What a measured process reports about itself. */
interface ProcessStats {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  /** How many Node processes the run took (the CLI launches one child for `scan`). */
  processes?: number;
}

/**
 * The measured processes of one run together: `landlord scan` is a small launcher and the child
 * Node that does the work, one stats line each. Their CPU times add up; so do their peak memories
 * (the launcher waits, alive, while the child runs); wall time is the longest.
 */
function combinedStats(lines: string): ProcessStats {
  const each = lines
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ProcessStats);
  return {
    wallMs: Math.max(...each.map((stats) => stats.wallMs)),
    cpuMs: each.reduce((sum, stats) => sum + stats.cpuMs, 0),
    maxRssMb: each.reduce((sum, stats) => sum + stats.maxRssMb, 0),
    processes: each.length,
  };
}

/** One measured run: a mode at a size. */
export interface RunResult {
  mode: Mode;
  size: number;
  stages: StageStats[];
  /** Whole process, startup included. */
  process: ProcessStats;
  /** Wall time of the process as its parent saw it (spawn to exit). */
  spawnWallMs: number;
  resources?: number;
  findings?: number;
  rules?: number;
}

const MODES = ["baseline", "baseline-discard", "stages", "stages-half-rules", "scan", "cli"] as const;
type Mode = (typeof MODES)[number];

/** Runs of the floor, `scan()` and the CLI at the largest size, interleaved; tables show the median. */
const DEFAULT_REPEAT = 3;

interface ChildRequest {
  mode: Mode;
  profile: string;
  inventory: string;
  output: string;
}

// ---------------------------------------------------------------------------------------------
// Inside a measured process

const stages: StageStats[] = [];

/**
 * A module of the built library (dist/), typed as its source: the benchmark measures the JavaScript
 * users run, not a transpile-on-load of the sources.
 */
async function built<T>(modulePath: string): Promise<T> {
  return (await import(path.join(ROOT, "dist", modulePath))) as T;
}

async function stage<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuBefore);
  stages.push({
    stage: name,
    wallMs: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  });
  return result;
}

/** The floor: read the file line by line and JSON.parse each line, keeping (or dropping) the records. */
async function baseline(file: string, keep: boolean): Promise<Record<string, number>> {
  const { createReadStream } = await import("node:fs");
  const { createInterface } = await import("node:readline");
  const records: unknown[] = [];
  let count = 0;
  await stage(keep ? "read+parse" : "read+parse (discard)", async () => {
    const lines = createInterface({
      input: createReadStream(file, { encoding: "utf8" }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line === "") continue;
      const record: unknown = JSON.parse(line);
      if (keep) records.push(record);
      count++;
    }
  });
  return { resources: count };
}

/** The JSON output as the CLI writes it, streamed to the file. */
async function writeJson(file: string, report: import("../src/report/types.js").Report): Promise<void> {
  const { writeJsonReport } =
    await built<typeof import("../src/formatters/json-stream.js")>("formatters/json-stream.js");
  const { writeChunksToFile } = await built<typeof import("../src/cli/file-sink.js")>("cli/file-sink.js");
  await writeChunksToFile(file, (sink) => writeJsonReport(report, sink));
}

async function pipelineStages(request: ChildRequest, halfRules: boolean): Promise<Record<string, number>> {
  const { loadProfile } = await built<typeof import("../src/profile/load.js")>("profile/load.js");
  const { loadCatalog, enrichResources } =
    await built<typeof import("../src/catalog/index.js")>("catalog/index.js");
  const { loadRuleSet, evaluateRules, readsTags, ruleSummaries } =
    await built<typeof import("../src/rules/index.js")>("rules/index.js");
  const { collectInventory } = await built<typeof import("../src/scan.js")>("scan.js");
  const { buildReport } = await built<typeof import("../src/report/build.js")>("report/build.js");
  const { analyzeEstate } = await built<typeof import("../src/report/analysis.js")>("report/analysis.js");
  const { VERSION } = await built<typeof import("../src/version.js")>("version.js");
  const scanTime = new Date("2026-11-21T00:00:00Z");

  const { profile, catalog, ruleSet } = await stage("load (profile, catalog, rules)", async () => {
    let profile = await loadProfile(request.profile);
    let ruleSet = await loadRuleSet({ profile });
    if (halfRules) {
      const ids = ruleSummaries(ruleSet).map((rule) => rule.id);
      const disable = ids.filter((_, index) => index % 2 === 1);
      profile = { ...profile, rules: { ...profile.rules, disable: [...profile.rules.disable, ...disable] } };
      ruleSet = await loadRuleSet({ profile });
    }
    const catalog = await loadCatalog(
      profile.catalog ? { overrideFile: path.resolve(profile.baseDir, profile.catalog) } : {},
    );
    return { profile, catalog, ruleSet };
  });
  const inventory = await stage("read (JSONL parse + normalize)", () =>
    collectInventory({ profile, displayRoot: profile.baseDir, keepTags: readsTags(ruleSet) }),
  );
  const enriched = await stage("enrich", () =>
    enrichResources(inventory.resources, catalog, { scanTime, inPlace: true }),
  );
  const findings = await stage("rules", () =>
    evaluateRules(ruleSet, enriched.resources, { profile, scanTime, catalog }),
  );
  const report = await stage("report build", () =>
    buildReport({
      profile,
      resources: enriched.resources,
      findings,
      diagnostics: [...inventory.diagnostics, ...enriched.diagnostics],
      coverage: inventory.coverage,
      rules: ruleSummaries(ruleSet),
      scanTime,
      toolVersion: VERSION,
      catalogVersion: catalog.version,
    }),
  );
  await stage("report analysis", () => {
    report.analysis = analyzeEstate(enriched.resources, { profile, findings });
  });
  await stage("JSON output", () => writeJson(request.output, report));
  return {
    resources: report.summary.resources,
    findings: report.findings.length,
    rules: ruleSummaries(ruleSet).length,
  };
}

async function libraryScan(request: ChildRequest): Promise<Record<string, number>> {
  const { loadProfile } = await built<typeof import("../src/profile/load.js")>("profile/load.js");
  const { scan } = await built<typeof import("../src/scan.js")>("scan.js");
  const profile = await loadProfile(request.profile);
  const { report } = await stage("scan()", () =>
    scan({ profile, scanTime: new Date("2026-11-21T00:00:00Z"), displayRoot: profile.baseDir }),
  );
  await stage("JSON output", () => writeJson(request.output, report));
  return {
    resources: report.summary.resources,
    findings: report.findings.length,
    rules: report.rules.length,
  };
}

async function child(request: ChildRequest): Promise<void> {
  let counts: Record<string, number>;
  switch (request.mode) {
    case "baseline":
    case "baseline-discard":
      counts = await baseline(request.inventory, request.mode !== "baseline-discard");
      break;
    case "stages":
    case "stages-half-rules":
      counts = await pipelineStages(request, request.mode === "stages-half-rules");
      break;
    case "scan":
      counts = await libraryScan(request);
      break;
    default:
      throw new Error(`mode ${request.mode} does not run in-process`);
  }
  process.stdout.write(`${JSON.stringify({ stages, ...counts })}\n`);
}

// ---------------------------------------------------------------------------------------------
// The orchestrator

interface Options {
  sizes: number[];
  cpuProf: boolean;
  build: boolean;
  /** Runs of the floor, scan() and the CLI at the largest size (`--repeat N`). */
  repeat: number;
}

async function measure(mode: Mode, size: number, options: Options): Promise<RunResult> {
  const label = sizeLabel(size);
  const inventory = path.join(OUT_DIR, `org-${label}.jsonl`);
  const profile = path.join(OUT_DIR, `landlord-${label}.yaml`);
  const output = path.join(OUT_DIR, `report-${label}-${mode}.json`);
  const statsFile = path.join(OUT_DIR, `stats-${label}-${mode}.json`);
  await rm(statsFile, { force: true });
  const request: ChildRequest = { mode, profile, inventory, output };
  const nodeArgs = ["--import", STATS_PRELOAD];
  if (options.cpuProf && size === Math.max(...options.sizes) && mode === "stages") {
    nodeArgs.push("--cpu-prof", "--cpu-prof-dir", path.join(OUT_DIR, "profiles"));
  }
  const args =
    mode === "cli"
      ? [
          ...nodeArgs,
          path.join(ROOT, "bin/landlord.js"),
          "scan",
          "--config",
          profile,
          "--format",
          "json",
          "--output",
          output,
          "--fail-on",
          "none",
          "--quiet",
        ]
      : [
          ...nodeArgs,
          "--import",
          "tsx",
          path.join(import.meta.dirname, "run.ts"),
          "--child",
          JSON.stringify(request),
        ];
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const processHandle = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        LANDLORD_BENCH_STATS: statsFile,
        SOURCE_DATE_EPOCH: "1795219200",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    processHandle.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    processHandle.on("error", reject);
    processHandle.on("close", (code) => {
      if (code === 0) resolve(text);
      else reject(new Error(`${mode} at ${label} exited with ${code}`));
    });
  });
  const spawnWallMs = performance.now() - started;
  const processStats = combinedStats(await readFile(statsFile, "utf8"));
  const result: RunResult = { mode, size, stages: [], process: processStats, spawnWallMs };
  if (mode === "cli") {
    const report = JSON.parse(await readFile(output, "utf8")) as {
      summary: { resources: number };
      findings: unknown[];
      rules: unknown[];
    };
    result.resources = report.summary.resources;
    result.findings = report.findings.length;
    result.rules = report.rules.length;
    result.stages = [
      {
        stage: "landlord scan (process)",
        wallMs: spawnWallMs,
        cpuMs: processStats.cpuMs,
        maxRssMb: processStats.maxRssMb,
      },
    ];
  } else {
    const lastLine = stdout.trim().split("\n").pop() ?? "{}";
    const reported = JSON.parse(lastLine) as {
      stages: StageStats[];
      resources?: number;
      findings?: number;
      rules?: number;
    };
    result.stages = reported.stages;
    if (reported.resources !== undefined) result.resources = reported.resources;
    if (reported.findings !== undefined) result.findings = reported.findings;
    if (reported.rules !== undefined) result.rules = reported.rules;
  }
  await rm(output, { force: true });
  return result;
}

const total = (run: RunResult, key: "wallMs" | "cpuMs") =>
  run.stages.reduce((sum, stage) => sum + stage[key], 0);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mb = (value: number) => value.toFixed(0);

function machine(): string {
  const cpus = os.cpus();
  return [
    `${os.availableParallelism()} CPUs (${cpus[0]?.model.trim() ?? "unknown"})`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `Node ${process.version}`,
    `${os.type()} ${os.release()} ${os.arch()}`,
  ].join(", ");
}

function markdown(results: RunResult[], sizes: number[]): string {
  const lines: string[] = [];
  /** The median run (by wall time) of a mode at a size. */
  const find = (mode: Mode, size: number): RunResult | undefined => {
    const runs = results
      .filter((run) => run.mode === mode && run.size === size)
      .sort((a, b) =>
        mode === "cli" ? a.spawnWallMs - b.spawnWallMs : total(a, "wallMs") - total(b, "wallMs"),
      );
    return runs[Math.floor((runs.length - 1) / 2)];
  };
  lines.push(
    `<!-- Generated by \`npx tsx bench/run.ts\` on ${new Date().toISOString().slice(0, 10)}; rerun to refresh. -->`,
  );
  lines.push("", `Machine: ${machine()}.`, "");
  lines.push("### Stages (library, one process per size)", "");
  lines.push("| size | stage | wall s | CPU s | peak RSS MB |", "| ---: | --- | ---: | ---: | ---: |");
  for (const size of sizes) {
    const run = find("stages", size);
    if (!run) continue;
    for (const stage of run.stages) {
      lines.push(
        `| ${sizeLabel(size)} | ${stage.stage} | ${seconds(stage.wallMs)} | ${seconds(stage.cpuMs)} | ${mb(stage.maxRssMb)} |`,
      );
    }
    lines.push(
      `| ${sizeLabel(size)} | **total** | **${seconds(total(run, "wallMs"))}** | **${seconds(total(run, "cpuMs"))}** | **${mb(run.process.maxRssMb)}** |`,
    );
  }
  lines.push("", "### Full scan against the floor (read the file, JSON.parse every line)", "");
  lines.push(
    "At the largest size the floor, `scan()` and the CLI ran several times, interleaved; each figure is the median run (by wall time), with the range of wall times.",
    "",
    "| size | resources | rules | findings | floor: parse + keep, wall s (CPU s) | floor: parse + drop, wall s (CPU s) | scan() + JSON, wall s (CPU s) | ratio to keep, wall (CPU) | ratio to drop, wall (CPU) | scan peak RSS MB | floor peak RSS MB | CPU µs per resource |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  const both = (run: RunResult) =>
    `${seconds(total(run, "wallMs"))} (${seconds(total(run, "cpuMs"))})${spread(run.mode, run.size)}`;
  const spread = (mode: Mode, size: number) => {
    const walls = results
      .filter((run) => run.mode === mode && run.size === size)
      .map((run) => (mode === "cli" ? run.spawnWallMs : total(run, "wallMs")));
    return walls.length < 2 ? "" : ` [${seconds(Math.min(...walls))}-${seconds(Math.max(...walls))}]`;
  };
  const ratio = (wallMs: number, cpuMs: number, floor: RunResult | undefined) =>
    floor === undefined
      ? ""
      : `${(wallMs / total(floor, "wallMs")).toFixed(2)}x (${(cpuMs / total(floor, "cpuMs")).toFixed(2)}x)`;
  for (const size of sizes) {
    const keep = find("baseline", size);
    const drop = find("baseline-discard", size);
    const scanRun = find("scan", size);
    if (!keep || !drop || !scanRun) continue;
    const [wall, cpu] = [total(scanRun, "wallMs"), total(scanRun, "cpuMs")];
    lines.push(
      `| ${sizeLabel(size)} | ${scanRun.resources} | ${scanRun.rules} | ${scanRun.findings} | ${both(keep)} | ${both(drop)} | ${both(scanRun)} | ${ratio(wall, cpu, keep)} | ${ratio(wall, cpu, drop)} | ${mb(scanRun.process.maxRssMb)} | ${mb(keep.process.maxRssMb)} | ${((cpu * 1000) / size).toFixed(1)} |`,
    );
  }
  const cliSizes = sizes.filter((size) => find("cli", size) !== undefined);
  if (cliSizes.length > 0) {
    lines.push(
      "",
      "### End to end through the built binary (`landlord scan --format json --output ...`)",
      "",
      "The whole process from spawn to exit (start-up and loading included), against the floor's read-and-parse time alone (median runs).",
      "",
      "| size | process wall s | CPU s | peak RSS MB | ratio to the floor (parse + keep), wall (CPU) |",
      "| ---: | ---: | ---: | ---: | ---: |",
    );
    for (const size of cliSizes) {
      const run = find("cli", size)!;
      lines.push(
        `| ${sizeLabel(size)} | ${seconds(run.spawnWallMs)}${spread("cli", size)} | ${seconds(run.process.cpuMs)} | ${mb(run.process.maxRssMb)} | ${ratio(run.spawnWallMs, run.process.cpuMs, find("baseline", size))} |`,
      );
    }
  }
  lines.push("", "### Linearity in resources (CPU µs per resource, by stage)", "");
  const stageNames = find("stages", sizes[sizes.length - 1] ?? 0)?.stages.map((stage) => stage.stage) ?? [];
  lines.push(
    `| stage | ${sizes.map(sizeLabel).join(" | ")} |`,
    `| --- | ${sizes.map(() => "---:").join(" | ")} |`,
  );
  for (const name of stageNames) {
    const cells = sizes.map((size) => {
      const cpu = find("stages", size)?.stages.find((stage) => stage.stage === name)?.cpuMs;
      return cpu === undefined ? "" : ((cpu * 1000) / size).toFixed(2);
    });
    lines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  lines.push("", "### Linearity in rules (all builtin rules vs every other rule disabled)", "");
  lines.push(
    "| size | rules | findings | rules stage CPU s | rules | findings | rules stage CPU s | CPU µs per resource and rule (all) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const size of sizes) {
    const all = find("stages", size);
    const half = find("stages-half-rules", size);
    if (!all || !half) continue;
    const rulesStage = (run: RunResult) =>
      run.stages.find((stage) => stage.stage === "rules")?.cpuMs ?? Number.NaN;
    lines.push(
      `| ${sizeLabel(size)} | ${all.rules} | ${all.findings} | ${seconds(rulesStage(all))} | ${half.rules} | ${half.findings} | ${seconds(rulesStage(half))} | ${((rulesStage(all) * 1000) / size / Math.max(1, all.rules ?? 1)).toFixed(2)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  const options: Options = {
    sizes: sizesFromArgs(argv),
    cpuProf: argv.includes("--cpu-prof"),
    build: !argv.includes("--no-build"),
    repeat: argv.includes("--repeat")
      ? Math.max(1, Number(argv[argv.indexOf("--repeat") + 1]) || 1)
      : DEFAULT_REPEAT,
  };
  if (argv.includes("--render")) {
    const saved = JSON.parse(await readFile(path.join(OUT_DIR, "results.json"), "utf8")) as {
      results: RunResult[];
    };
    const sizes = [...new Set(saved.results.map((run) => run.size))].sort((a, b) => a - b);
    await writeFile(path.join(import.meta.dirname, "results.md"), markdown(saved.results, sizes));
    return;
  }
  const largest = Math.max(...options.sizes);
  if (options.build) {
    // As `npm run build`: the compiler, then the builtin catalog's snapshot.
    execFileSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });
  }
  await mkdir(OUT_DIR, { recursive: true });
  console.log(`landlord scan benchmark on ${machine()}`);
  const results: RunResult[] = [];
  for (const size of options.sizes) {
    if (!existsSync(path.join(OUT_DIR, `org-${sizeLabel(size)}.jsonl`))) {
      console.log(`generating ${sizeLabel(size)} ...`);
      await writeOrganisation(OUT_DIR, size);
    }
    const modes: Mode[] = ["baseline", "baseline-discard", "stages", "stages-half-rules", "scan"];
    if (size === largest) {
      modes.push("cli");
      // The floor, scan() and the CLI again, interleaved, so the medians see the same machine.
      for (let round = 1; round < options.repeat; round++) modes.push("baseline", "scan", "cli");
    }
    for (const mode of modes) {
      const run = await measure(mode, size, options);
      results.push(run);
      const wall = mode === "cli" ? run.spawnWallMs : total(run, "wallMs");
      console.log(
        `${sizeLabel(size).padStart(5)} ${mode.padEnd(18)} wall ${seconds(wall).padStart(7)} s  cpu ${seconds(total(run, "cpuMs")).padStart(7)} s  peak ${mb(run.process.maxRssMb).padStart(5)} MB`,
      );
    }
  }
  await writeFile(
    path.join(OUT_DIR, "results.json"),
    `${JSON.stringify({ machine: machine(), results }, null, 2)}\n`,
  );
  const table = markdown(results, options.sizes);
  await writeFile(path.join(import.meta.dirname, "results.md"), table);
  console.log(`\n${table}`);
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) {
  await child(JSON.parse(process.argv[childAt + 1] ?? "{}") as ChildRequest);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv.slice(2));
}
