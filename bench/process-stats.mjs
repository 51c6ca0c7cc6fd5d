// Preloaded by bench/run.ts into every measured process (`node --import ./bench/process-stats.mjs`):
// at exit, appends the process's own wall time, CPU time and peak resident memory to
// $LANDLORD_BENCH_STATS as one JSON line, so the benchmark sees the whole process (startup
// included). `landlord scan` runs its work in a child Node (bin/landlord.js), which inherits the
// preload: the file then holds one line per process and the benchmark adds them up.
import { appendFileSync } from "node:fs";

const file = process.env.LANDLORD_BENCH_STATS;
if (file) {
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
