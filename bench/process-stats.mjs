// Preloaded by bench/run.ts into every measured process (`node --import ./bench/process-stats.mjs`):
// at exit, appends the process's own wall time, CPU time and peak resident memory to
// $LANDLORD_BENCH_STATS as one JSON line, so the benchmark sees the whole process (startup
// included). A child Node of a measured process inherits the preload: the file then holds one line
// per process and the benchmark adds them up.
//
// A worker thread (the JSONL reader thread) runs the preload too, but its process figures are the
// whole process's so far: only the main thread writes them.
import { appendFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const file = process.env.LANDLORD_BENCH_STATS;
if (file && isMainThread) {
  process.on("exit", () => {
    const cpu = process.cpuUsage();
    const usage = process.resourceUsage();
    appendFileSync(
      file,
      `${JSON.stringify({
        pid: process.pid,
        wallMs: performance.now(),
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxRssMb: usage.maxRSS / 1024,
      })}\n`,
    );
  });
}
