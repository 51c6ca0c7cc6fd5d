/**
 * Collection progress on stderr: an animated spinner line on a terminal, plain lines otherwise
 * (CI logs), nothing with `--quiet`.
 */
import type { Ora } from "ora";
import type { ProgressEvent, ProgressSink } from "../collectors/types.js";
import type { CliContext } from "./context.js";

export interface ProgressRenderer {
  sink: ProgressSink;
  stop(): void;
}

/**
 * True when progress may animate: both streams are terminals with a width, NO_COLOR is unset and
 * this is not CI. A terminal that reports no width (a pseudo-terminal opened without a size) gets
 * plain lines: the spinner cannot measure what it has to clear there.
 */
export function animationAllowed(context: CliContext): boolean {
  const noColor = context.env["NO_COLOR"] !== undefined && context.env["NO_COLOR"] !== "";
  const width = context.stderr.columns ?? 0;
  return (
    !noColor &&
    context.stdout.isTTY === true &&
    context.stderr.isTTY === true &&
    width > 0 &&
    !context.env["CI"]
  );
}

/**
 * The progress renderer for a command. The spinner library is loaded only for a terminal that can
 * show it: CI logs and `--quiet` runs start without it (about 0.1 s).
 */
export async function createProgress(
  context: CliContext,
  options: { quiet: boolean },
): Promise<ProgressRenderer> {
  if (options.quiet) return { sink: () => {}, stop: () => {} };
  const totals = new Map<string, { done: number; failed: number; planned: number; resources: number }>();
  const tally = (event: ProgressEvent) => {
    const entry = totals.get(event.source) ?? { done: 0, failed: 0, planned: 0, resources: 0 };
    if (event.planned !== undefined) entry.planned = event.planned;
    if (event.status === "done") {
      entry.done++;
      entry.resources += event.resources ?? 0;
    }
    if (event.status === "failed") entry.failed++;
    totals.set(event.source, entry);
    return entry;
  };
  const summary = () =>
    [...totals]
      .map(([source, entry]) => {
        const of = entry.planned > 0 ? `/${entry.planned}` : "";
        const failed = entry.failed > 0 ? `, ${entry.failed} failed` : "";
        return `${source} ${entry.done}${of} scopes${failed}, ${entry.resources.toLocaleString("en-US")} resources`;
      })
      .join(" · ");

  if (animationAllowed(context)) {
    const { default: ora } = await import("ora");
    const spinner: Ora = ora({ stream: context.stderr as NodeJS.WritableStream, text: "collecting" }).start();
    return {
      sink: (event) => {
        tally(event);
        spinner.text = `collecting: ${summary()}`;
      },
      stop: () => {
        if (totals.size > 0) spinner.succeed(`collected: ${summary()}`);
        else spinner.stop();
      },
    };
  }
  return {
    sink: (event) => {
      const entry = tally(event);
      if (event.status === "started") return;
      const count = event.resources !== undefined ? ` (${event.resources} resources)` : "";
      const of = entry.planned > 0 ? ` [${entry.done + entry.failed}/${entry.planned}]` : "";
      context.stderr.write(`landlord: ${event.source} ${event.scope} ${event.status}${count}${of}\n`);
    },
    stop: () => {},
  };
}
