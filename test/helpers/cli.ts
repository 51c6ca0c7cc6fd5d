/** Runs the built `landlord` binary as a user would, and captures what it printed. */
import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURES = path.join(ROOT, "test/fixtures");
const BIN = path.join(ROOT, "bin/landlord.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `landlord ...args` in `cwd` with NO_COLOR, a fixed scan time and no cloud credentials. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "/tmp",
        NO_COLOR: "1",
        SOURCE_DATE_EPOCH: "1795219200", // 2026-11-21T00:00:00Z
        AWS_EC2_METADATA_DISABLED: "true",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
