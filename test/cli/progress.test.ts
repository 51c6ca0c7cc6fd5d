/**
 * Progress on stderr: a spinner only on a real terminal. A pseudo-terminal that reports no width
 * made the spinner clear lines without end and the scan never finished.
 */
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/context.js";
import { animationAllowed, createProgress } from "../../src/cli/progress.js";

function context(stream: { isTTY?: boolean; columns?: number }, env: Record<string, string> = {}) {
  let err = "";
  const make = () => ({
    ...stream,
    write: (text: string) => {
      err += text;
      return true;
    },
  });
  const cli: CliContext = {
    stdout: make(),
    stderr: make(),
    env,
    cwd: ".",
    exitCode: 0,
    now: () => new Date(0),
  };
  return { cli, err: () => err };
}

describe("progress", () => {
  it("animates only on terminals that report a width, outside CI and without NO_COLOR", () => {
    expect(animationAllowed(context({ isTTY: true, columns: 100 }).cli)).toBe(true);
    expect(animationAllowed(context({ isTTY: true, columns: 0 }).cli)).toBe(false);
    expect(animationAllowed(context({ isTTY: true }).cli)).toBe(false);
    expect(animationAllowed(context({ isTTY: false, columns: 100 }).cli)).toBe(false);
    expect(animationAllowed(context({ isTTY: true, columns: 100 }, { CI: "true" }).cli)).toBe(false);
    expect(animationAllowed(context({ isTTY: true, columns: 100 }, { NO_COLOR: "1" }).cli)).toBe(false);
  });

  it("writes plain lines on a terminal without a width, and nothing with --quiet", async () => {
    const plain = context({ isTTY: true, columns: 0 });
    const progress = await createProgress(plain.cli, { quiet: false });
    progress.sink({ source: "file", scope: "inv.jsonl", status: "done", resources: 1 });
    progress.stop();
    expect(plain.err()).toContain("file inv.jsonl done (1 resources)");
    expect(plain.err()).not.toContain("\u001b[");

    const quiet = context({ isTTY: true, columns: 100 });
    const silent = await createProgress(quiet.cli, { quiet: true });
    silent.sink({ source: "file", scope: "inv.jsonl", status: "done", resources: 1 });
    silent.stop();
    expect(quiet.err()).toBe("");
  });
});
