/** `landlord rules list | validate <paths...> | test [paths...] | explain <id>`. */
import path from "node:path";
import { Command } from "commander";
import { EXIT, formatLocation, LandlordError } from "../../diagnostics.js";
import { defaultProfile, findProfile, loadProfile, type Profile } from "../../profile/load.js";
import { CEL_VARIABLES } from "../../rules/cel.js";
import { applyProfile, builtinRulesDir, loadRules, ruleFilesIn } from "../../rules/load.js";
import { runRuleCases } from "../../rules/testing.js";
import type { LoadedRule } from "../../rules/types.js";
import type { CliContext } from "../context.js";

interface ConfigOption {
  config?: string;
}

/** Builds the `rules` command group. */
export function rulesCommand(context: CliContext): Command {
  const command = new Command("rules").description("list, validate, test and explain rules");

  command
    .command("list")
    .description("list the rules a scan would run (builtin and the profile's rules.paths)")
    .option("--config <file>", "profile file (default: ./landlord.yaml)")
    .option("--json", "print JSON")
    .action(async (options: ConfigOption & { json?: boolean }) =>
      guard(context, async () => {
        const profile = await profileFor(context, options.config);
        const rules = await rulesOf(profile, [], true);
        const ruleSet = applyProfile(rules, profile);
        if (options.json) {
          const list = ruleSet.rules.map((rule) => ({
            id: rule.definition.id,
            severity: rule.severity,
            category: rule.definition.category,
            scope: rule.definition.scope,
            title: rule.definition.title,
            builtin: rule.builtin,
          }));
          context.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return EXIT.ok;
        }
        const width = Math.max(...ruleSet.rules.map((rule) => rule.definition.id.length));
        for (const rule of ruleSet.rules) {
          const origin = rule.builtin ? "" : `  (${path.relative(context.cwd, rule.file)})`;
          context.stdout.write(
            `${rule.definition.id.padEnd(width)}  ${rule.severity.padEnd(8)}  ${rule.definition.category.padEnd(20)}  ${rule.definition.title}${origin}\n`,
          );
        }
        for (const id of ruleSet.disabled)
          context.stdout.write(`${id.padEnd(width)}  disabled by the profile\n`);
        return EXIT.ok;
      }),
    );

  command
    .command("validate")
    .description("check rule files: YAML, schema, CEL, unique ids (exit 2 on errors)")
    .argument("<paths...>", "rule files or folders")
    .action(async (paths: string[]) =>
      guard(context, async () => {
        const files = await filesOf(context, paths);
        await loadRules([
          ...(await builtinFiles()).filter((entry) => !files.includes(entry.file)),
          ...files.map((file) => ({ file, builtin: false })),
        ]);
        context.stdout.write(`${files.length} rule file${files.length === 1 ? "" : "s"} valid\n`);
        return EXIT.ok;
      }),
    );

  command
    .command("test")
    .description("run the test cases of rules (default: builtin rules and the profile's rules.paths)")
    .argument("[paths...]", "rule files or folders to test")
    .option("--config <file>", "profile file (default: ./landlord.yaml)")
    .action(async (paths: string[], options: ConfigOption) =>
      guard(context, async () => {
        let rules: LoadedRule[];
        if (paths.length > 0) {
          const files = await filesOf(context, paths);
          const loaded = await loadRules(files.map((file) => ({ file, builtin: false })));
          rules = loaded;
        } else {
          rules = await rulesOf(await profileFor(context, options.config), [], true);
        }
        let passed = 0;
        let failed = 0;
        let withoutCases = 0;
        for (const rule of rules) {
          if (rule.definition.tests.length === 0) withoutCases++;
          for (const result of await runRuleCases(rule)) {
            if (result.passed) {
              passed++;
              context.stdout.write(`ok   ${result.ruleId}: ${result.name}\n`);
            } else {
              failed++;
              context.stdout.write(
                `FAIL ${result.ruleId}: ${result.name}  (${path.relative(context.cwd, result.file)})\n`,
              );
              for (const line of result.diff) context.stdout.write(`     ${line}\n`);
            }
          }
        }
        context.stdout.write(
          `\n${passed} passed, ${failed} failed, ${rules.length} rules${withoutCases > 0 ? ` (${withoutCases} without cases)` : ""}\n`,
        );
        if (failed > 0) {
          context.stdout.write(
            "Lines: '- expected' missing finding, '+ unexpected' extra finding, '~' differing field.\n",
          );
        }
        return failed > 0 ? EXIT.findings : EXIT.ok;
      }),
    );

  command
    .command("explain")
    .description("print a rule's documentation, match, condition and params")
    .argument("<id>", "rule id")
    .option("--config <file>", "profile file (default: ./landlord.yaml)")
    .action(async (id: string, options: ConfigOption) =>
      guard(context, async () => {
        const profile = await profileFor(context, options.config);
        const rules = await rulesOf(profile, [], true);
        const rule = rules.find((candidate) => candidate.definition.id === id);
        if (!rule) {
          throw new LandlordError("unknown-rule", `no rule with id "${id}"`, {
            hint: "Run `landlord rules list` to see rule ids.",
          });
        }
        context.stdout.write(explainRule(rule));
        return EXIT.ok;
      }),
    );
  return command;
}

/** The documentation of a rule as plain text. */
export function explainRule(rule: LoadedRule): string {
  const { definition } = rule;
  const lines = [
    `${definition.id}: ${definition.title}`,
    `severity ${rule.severity}, category ${definition.category}, scope ${definition.scope}`,
    "",
  ];
  const section = (title: string, text: string | undefined) => {
    if (text)
      lines.push(
        `${title}:`,
        ...text
          .trim()
          .split("\n")
          .map((line) => `  ${line}`),
        "",
      );
  };
  section("What it catches", definition.description);
  section("Why it matters", definition.rationale);
  section("The real case", definition.case);
  section("How to fix or accept it", definition.remediation);
  if (Object.keys(definition.match).length > 0) section("Match", JSON.stringify(definition.match));
  if (definition.aggregate) section("Groups by", definition.aggregate.groupBy.join(", "));
  section("Condition (CEL)", definition.condition);
  if (Object.keys(rule.params).length > 0) {
    section(
      "Params (override in landlord.yaml rules.params)",
      Object.entries(rule.params)
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
        .join("\n"),
    );
  }
  section(
    "CEL variables",
    Object.entries(CEL_VARIABLES[definition.scope])
      .map(([name, text]) => `${name}: ${text}`)
      .join("\n"),
  );
  if (definition.references.length > 0) section("References", definition.references.join("\n"));
  section("Source", rule.file);
  return `${lines.join("\n").trimEnd()}\n`;
}

async function guard(context: CliContext, action: () => Promise<number>): Promise<void> {
  try {
    context.exitCode = await action();
  } catch (error) {
    if (!(error instanceof LandlordError)) throw error;
    context.stderr.write(`error [${error.code}]: ${error.message}\n`);
    for (const detail of error.details) {
      const where = detail.location ? `${formatLocation(detail.location)}: ` : "";
      context.stderr.write(`  ${where}${detail.message}\n`);
      if (detail.hint) context.stderr.write(`    hint: ${detail.hint}\n`);
    }
    if (error.hint) context.stderr.write(`hint: ${error.hint}\n`);
    context.exitCode = error.exitCode;
  }
}

async function profileFor(context: CliContext, config: string | undefined): Promise<Profile> {
  const file = await findProfile(context.cwd, config);
  return file === undefined ? defaultProfile(context.cwd) : loadProfile(file);
}

async function builtinFiles(): Promise<{ file: string; builtin: boolean }[]> {
  return (await ruleFilesIn(await builtinRulesDir())).map((file) => ({ file, builtin: true }));
}

async function filesOf(context: CliContext, paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of paths) files.push(...(await ruleFilesIn(path.resolve(context.cwd, entry))));
  return files;
}

async function rulesOf(profile: Profile, extra: readonly string[], builtin: boolean): Promise<LoadedRule[]> {
  const files = builtin ? await builtinFiles() : [];
  for (const entry of [...profile.rules.paths, ...extra]) {
    for (const file of await ruleFilesIn(path.resolve(profile.baseDir, entry)))
      files.push({ file, builtin: false });
  }
  return loadRules(files);
}
