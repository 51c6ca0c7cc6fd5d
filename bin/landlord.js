#!/usr/bin/env node
// The landlord command. Everything happens in the library; this file hands it the process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { run } = await import("../dist/cli/main.js");

const epoch = process.env.SOURCE_DATE_EPOCH;
const fixedNow = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : undefined;

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  exitCode: 0,
  now: () => fixedNow ?? new Date(),
  ...(process.stdin.isTTY ? { prompt: (await import("../dist/cli/prompt.js")).prompt } : {}),
});
