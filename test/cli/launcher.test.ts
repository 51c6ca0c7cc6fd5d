/**
 * `landlord scan` and `collect` run their work in a child Node with a larger young generation
 * (bin/landlord.js). What a user relies on: the child's exit code comes through, a user's own
 * choice of size keeps one process, and stopping the command stops its worker too.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

const BIN = path.join(ROOT, "bin/landlord.js");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-launcher-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Process ids whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).trim();
    return out === "" ? [] : out.split(/\s+/).map(Number);
  } catch {
    return []; // ps exits 1 when no process matches
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}

describe("the landlord launcher", () => {
  it("passes the worker's exit code through", async () => {
    const missing = await runCli(["scan", "--config", path.join(dir, "absent.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/absent\.yaml/);
  });

  it("runs the work in one child Node with 64 MB semi-spaces, or in itself when the user chose a size", async () => {
    await writeFile(
      path.join(dir, "landlord.yaml"),
      "organization: { name: Launcher Test, jurisdiction: US }\nsources:\n  - file: ./inventory.json\n",
    );
    await writeFile(
      path.join(dir, "inventory.json"),
      JSON.stringify({ resources: [{ id: "a", provider: "gcp", region: "europe-west1" }] }),
    );
    // Every Node process of the command appends its pid, parent and flags to a log at exit.
    const preload = path.join(dir, "log-process.mjs");
    await writeFile(
      preload,
      [
        'import { appendFileSync } from "node:fs";',
        'const entry = () => JSON.stringify({ pid: process.pid, ppid: process.ppid, execArgv: process.execArgv }) + "\\n";',
        'process.on("exit", () => appendFileSync(process.env.LAUNCH_LOG, entry()));',
        "",
      ].join("\n"),
    );
    const scanWith = async (nodeOptions: string, log: string) => {
      const result = await runCli(["scan", "--config", path.join(dir, "landlord.yaml"), "--format", "json"], {
        env: { NODE_OPTIONS: nodeOptions, LAUNCH_LOG: path.join(dir, log) },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).summary.resources).toBe(1);
      const lines = (await readFile(path.join(dir, log), "utf8")).trim().split("\n");
      return lines.map((line) => JSON.parse(line) as { pid: number; ppid: number; execArgv: string[] });
    };

    const [worker, launcher, ...more] = await scanWith(`--import ${preload}`, "default.log");
    expect(more).toEqual([]);
    expect(worker!.ppid).toBe(launcher!.pid);
    expect(worker!.execArgv).toContain("--max-semi-space-size=64");
    expect(launcher!.execArgv).not.toContain("--max-semi-space-size=64");

    const chosen = await scanWith(`--import ${preload} --max-semi-space-size=16`, "chosen.log");
    expect(chosen).toHaveLength(1);
  });

  it.skipIf(process.platform === "win32")(
    "stops its worker when it is terminated, and ends by the same signal",
    async () => {
      // A FIFO nobody writes to: the scan waits on it until it is stopped.
      const fifo = path.join(dir, "never.jsonl");
      execFileSync("mkfifo", [fifo]);
      await writeFile(
        path.join(dir, "waiting.yaml"),
        "organization: { name: Launcher Test, jurisdiction: US }\nsources:\n  - file: ./never.jsonl\n",
      );
      const launcher = spawn(process.execPath, [BIN, "scan", "--config", path.join(dir, "waiting.yaml")], {
        cwd: dir,
        env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" },
        stdio: "ignore",
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        launcher.on("exit", (code, signal) => resolve({ code, signal })),
      );
      let worker: number | undefined;
      await until(() => {
        worker = childrenOf(launcher.pid!)[0];
        return worker !== undefined;
      }, "the worker started");
      launcher.kill("SIGTERM");
      expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
      await until(() => !alive(worker!), "the worker stopped");
      expect(alive(worker!)).toBe(false);
    },
  );
});
