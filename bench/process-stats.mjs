// Preloaded by bench/run.ts into every measured process (`node --import ./bench/process-stats.mjs`):
// at exit, writes the process's own wall time, CPU time and peak resident memory to
// $LANDLORD_BENCH_STATS as JSON, so the benchmark sees the whole process (startup included).
import { writeFileSync } from "node:fs";

const file = process.env.LANDLORD_BENCH_STATS;
if (file) {
  process.on("exit", () => {
    const cpu = process.cpuUsage();
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        wallMs: performance.now(),
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxRssMb: usage.maxRSS / 1024,
      }),
    );
  });
}
