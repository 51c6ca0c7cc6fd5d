import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOutputs } from "../../src/cli/output.js";
import { formatJson } from "../../src/formatters/json.js";
import { jsonReportChunks } from "../../src/formatters/json-stream.js";
import type { Report } from "../../src/report/types.js";
import { buildReport, hostileReport } from "./fixtures/retailer.js";

/** The hostile report plus values that stress escaping and indentation. */
function awkwardReport(): Report {
  const report = hostileReport();
  report.organization = {
    name: 'Zürich 東京 \u2028\u2029 "quoted" \\ back\nslash\ttab \u0000 \ud83d\ude00',
    extra: undefined,
  };
  report.findings.push({
    ...report.findings[0]!,
    message: "line\nbreak \r\n and lone surrogate \ud800 and emoji 🦜 and </script>",
    data: { nested: { deeper: [1, "two", { three: null }], empty: [], none: {} }, skipped: undefined },
  });
  report.diagnostics.push({ level: "info", code: "note", message: "multi\nline\u2028message" });
  report["emptyList"] = [];
  report["sparse"] = [undefined, () => 1, "kept"];
  report["dropped"] = undefined;
  report["when"] = new Date("2026-11-21T00:00:00Z");
  return report;
}

describe("streamed JSON report", () => {
  const reports: [string, Report][] = [
    ["the retailer report", buildReport()],
    ["a report with hostile and unicode strings", awkwardReport()],
    ["a report with empty findings and inventory", { ...buildReport([], []), diagnostics: [] }],
  ];

  for (const [name, report] of reports) {
    it(`is byte-identical to JSON.stringify(report, null, 2) for ${name}, in any chunk size`, () => {
      const expected = `${JSON.stringify(report, null, 2)}\n`;
      for (const size of [1, 64, 4096, 1 << 20]) {
        const chunks = [...jsonReportChunks(report, size)];
        expect(chunks.join("")).toBe(expected);
        if (size === 1) expect(chunks.length).toBeGreaterThan(3);
      }
      expect(formatJson(report, { color: false })).toBe(expected);
    });
  }

  const folder = mkdtemp(path.join(os.tmpdir(), "landlord-json-stream-"));
  afterAll(async () => rm(await folder, { recursive: true, force: true }));

  it("writes the same bytes to a file (creating its folder) and to standard output", async () => {
    const report = awkwardReport();
    const expected = `${JSON.stringify(report, null, 2)}\n`;
    const file = path.join(await folder, "nested", "report.json");
    const written: string[] = [];
    const stream = { write: (text: string | Uint8Array) => written.push(String(text)) };
    const context = {
      stdout: stream,
      stderr: stream,
      env: {},
      cwd: await folder,
      exitCode: 0,
      now: () => new Date(),
    };
    await writeOutputs(
      report,
      [
        { format: "json", file },
        { format: "json", file: undefined },
      ],
      context,
    );
    expect(await readFile(file, "utf8")).toBe(expected);
    expect(written.join("")).toBe(expected);
  });

  it("reports an unwritable output file as output-not-writable", async () => {
    const blocker = path.join(await folder, "blocker");
    const stream = { write: () => true };
    const context = {
      stdout: stream,
      stderr: stream,
      env: {},
      cwd: await folder,
      exitCode: 0,
      now: () => new Date(),
    };
    await writeOutputs(buildReport(), [{ format: "json", file: blocker }], context);
    await expect(
      writeOutputs(buildReport(), [{ format: "json", file: path.join(blocker, "report.json") }], context),
    ).rejects.toMatchObject({ code: "output-not-writable" });
  });
});
