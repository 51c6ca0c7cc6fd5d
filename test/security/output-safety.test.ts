/**
 * Anyone who can tag a resource (or name a vendor) writes strings into landlord's reports. Every
 * format must carry those strings as data: escaped in HTML, Markdown and XML, defused in CSV
 * (formula injection), valid JSON in SARIF, and free of terminal control sequences in text.
 * The built binary scans an inventory whose ids, names, tags and vendors are payloads, writing every
 * format at once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordTally } from "../faults/tally.js";
import { runCli } from "../helpers/cli.js";

const PAYLOADS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  '=HYPERLINK("http://evil.example","click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\tleading tab",
  "| forged | table |",
  "[click me](javascript:alert(1))",
  "![x](http://evil.example/track.png)",
  "]]><evil/><![CDATA[",
  "</testcase><testcase name='forged'>",
  "\u001b[31mred\u001b[0m\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007",
  "bell\u0007 backspace\u0008 nul\u0000",
  "line\r\n## forged heading",
  "\u202Eright-to-left override",
  "&amp; &lt;b&gt;",
];

const FILES = {
  text: "report.txt",
  json: "report.json",
  markdown: "report.md",
  html: "report.html",
  csv: "report.csv",
  "inventory-csv": "inventory.csv",
  sarif: "report.sarif",
  junit: "report.xml",
} as const;
type Format = keyof typeof FILES;

const folder = mkdtempSync(path.join(tmpdir(), "landlord-output-safety-"));
const outputs = {} as Record<Format, string>;
let stdout = "";
let stderr = "";
const checked: Record<string, number> = {};
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  recordTally("output-safety", { payloads: PAYLOADS.length, ...checked });
});

beforeAll(async () => {
  const resources = PAYLOADS.map((payload, index) => ({
    id: `arn:aws:s3:::bucket-${index}-${payload}`,
    provider: "aws",
    region: "us-east-1",
    type: "s3:bucket",
    name: payload,
    vendor: index % 3 === 0 ? payload : undefined,
    tags: {
      "data-classification": "confidential",
      app: payload,
      env: "prod",
      criticality: "critical",
      [payload]: payload,
    },
  }));
  writeFileSync(path.join(folder, "inventory.json"), JSON.stringify({ resources }));
  writeFileSync(
    path.join(folder, "landlord.yaml"),
    `organization: { name: ${JSON.stringify(`Payload Co ${PAYLOADS[0]}`)}, segments: [retail, grocery], jurisdiction: US }\nsources:\n  - file: ./inventory.json\n`,
  );
  const args = Object.entries(FILES).flatMap(([format, file]) => ["--format", format, "--output", file]);
  const result = await runCli(["scan", ...args], { cwd: folder });
  expect([0, 1]).toContain(result.code);
  stdout = result.stdout;
  stderr = result.stderr;
  for (const [format, file] of Object.entries(FILES)) {
    outputs[format as Format] = readFileSync(path.join(folder, file), "utf8");
  }
  // The payloads did reach the report: otherwise this suite proves nothing.
  const report = JSON.parse(outputs.json) as { findings: unknown[]; summary: { resources: number } };
  expect(report.summary.resources).toBe(PAYLOADS.length);
  expect(report.findings.length).toBeGreaterThan(0);
});

function count(format: string, payloads = PAYLOADS.length): void {
  checked[format] = (checked[format] ?? 0) + payloads;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe("every inventory-derived string is data in every format", () => {
  it("text: no terminal escape or control characters on stdout, stderr or in the file", () => {
    for (const text of [outputs.text, stdout, stderr]) {
      expect(text).not.toMatch(CONTROL);
      expect(text).not.toContain("\u202E");
    }
    count("text");
  });

  it("html: no markup from the inventory survives unescaped", () => {
    const html = outputs.html;
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(html).not.toContain("<evil/>");
    expect(html).not.toContain("<testcase");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // The entity text is shown as typed, not decoded into markup.
    expect(html).toContain("&amp;amp; &amp;lt;b&amp;gt;");
    expect(html).not.toMatch(CONTROL);
    count("html");
  });

  it("markdown: no raw HTML, no live links or images, no forged rows or headings", () => {
    const markdown = outputs.markdown;
    expect(markdown).not.toContain("<script>");
    expect(markdown).not.toMatch(/<img /i);
    expect(markdown).not.toMatch(/(?<!\\)\[click me\]\(javascript:/);
    expect(markdown).not.toMatch(/(?<!\\)!\[x\]\(http/);
    expect(markdown).not.toMatch(/^## forged heading/m);
    expect(markdown).not.toMatch(/(?<!\\)\| forged \|/);
    expect(markdown).not.toMatch(CONTROL);
    count("markdown");
  });

  it.each(["csv", "inventory-csv"] as const)("%s: no cell can start a formula", (format) => {
    const rows = parseCsv(outputs[format], { relax_column_count: true }) as string[][];
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    count(format);
  });

  it("sarif: valid JSON in which the payloads are plain strings", () => {
    const sarif = JSON.parse(outputs.sarif) as {
      runs: Array<{ results: Array<{ message: { text: string } }> }>;
    };
    const texts = sarif.runs.flatMap((run) => run.results.map((result) => result.message.text));
    expect(texts.length).toBeGreaterThan(0);
    expect(outputs.sarif).not.toContain("\u001b");
    count("sarif");
  });

  it("json: parses, and carries the payloads verbatim as data", () => {
    const report = JSON.parse(outputs.json) as { findings: Array<{ resourceId?: string }> };
    const ids = report.findings.map((finding) => finding.resourceId ?? "");
    expect(ids.some((id) => id.includes("<script>alert(1)</script>"))).toBe(true);
    count("json");
  });

  it("junit: well-formed XML with no forged elements or XML-illegal characters", () => {
    const xml = outputs.junit;
    expect(xml).not.toContain("<evil/>");
    expect(xml).not.toContain("<testcase name='forged'>");
    expect(xml).not.toContain("<script>");
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    // Every element opened is closed: a forged closing tag would unbalance these counts.
    const opened = (xml.match(/<testcase[\s>]/g) ?? []).length;
    const closed = (xml.match(/<\/testcase>/g) ?? []).length + (xml.match(/<testcase[^>]*\/>/g) ?? []).length;
    expect(opened).toBe(closed);
    count("junit");
  });
});
