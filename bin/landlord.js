#!/usr/bin/env node
// The landlord command. Everything happens in the library; this file hands it the process.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const argv = process.argv.slice(2);

/**
 * `scan` and `collect` hold the whole inventory while they build a million small objects a second.
 * Node's default young generation (16 MB semi-spaces) promotes them through many small
 * scavenges; 64 MB semi-spaces take about a tenth off a large scan's CPU time (bench/README.md)
 * for some 100 MB more memory. V8 reads the size only at start-up, so these commands run in a
 * child Node with the flag, unless the user already chose a size.
 */
const YOUNG_GENERATION = "--max-semi-space-size";
const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((option) =>
  option.includes(YOUNG_GENERATION),
);
if ((argv[0] === "scan" || argv[0] === "collect") && !chosen) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, `${YOUNG_GENERATION}=64`, fileURLToPath(import.meta.url), ...argv],
    { stdio: "inherit" },
  );
  // Ctrl-C reaches the whole process group, the child included; a signal sent to this process
  // alone (a CI runner's SIGTERM) is passed on.
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("error", (error) => {
    process.stderr.write(`landlord: could not start the scan process: ${error.message}\n`);
    process.exitCode = 2;
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(name, forward);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 1;
  });
} else {
  const { run } = await import("../dist/cli/main.js");

  const epoch = process.env.SOURCE_DATE_EPOCH;
  const fixedNow = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : undefined;

  process.exitCode = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
    now: () => fixedNow ?? new Date(),
    ...(process.stdin.isTTY ? { prompt: (await import("../dist/cli/prompt.js")).prompt } : {}),
  });
}
