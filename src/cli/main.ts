/**
 * The landlord CLI: parses arguments, runs a command through the library, returns an exit code.
 * Only this folder touches the process, and only `bin/landlord.js` touches `process` itself.
 */
import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { catalogCommand } from "./commands/catalog.js";
import { collectCommand } from "./commands/collect.js";
import { diffCommand } from "./commands/diff.js";
import { initCommand } from "./commands/init.js";
import { reportCommand } from "./commands/report.js";
import { rulesCommand } from "./commands/rules.js";
import { scanCommand } from "./commands/scan.js";
import type { CliContext } from "./context.js";
import { reportError } from "./errors.js";

/** Every command, in the order `--help` lists them. */
const COMMANDS = [
  scanCommand,
  collectCommand,
  reportCommand,
  diffCommand,
  rulesCommand,
  catalogCommand,
  initCommand,
] as const;

/** Builds the program for one run. */
export function buildProgram(context: CliContext): Command {
  const program = new Command("landlord")
    .description("Who owns the ground your workloads stand on, and do they compete with you?")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions();
  for (const make of COMMANDS) program.addCommand(make(context));
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Runs landlord with `argv` (without the node and script entries) and returns the exit code. */
export async function run(argv: readonly string[], context: CliContext): Promise<number> {
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage errors are exit 2 (SPEC 5).
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, context);
  }
}
