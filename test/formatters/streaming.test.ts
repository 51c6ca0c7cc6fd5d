import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  FINDING_COLUMNS,
  findingsCsvChunks,
  formatCsv,
  formatInventoryCsv,
  inventoryCsvChunks,
} from "../../src/formatters/csv.js";
import { formatHtml, htmlChunks } from "../../src/formatters/html.js";
import { jsonWithStreamedArray, STREAMED_ARRAY } from "../../src/formatters/json-stream.js";
import { formatJunit, junitChunks } from "../../src/formatters/junit.js";
import { formatMarkdown, markdownChunks } from "../../src/formatters/markdown.js";
import { formatSarif, sarifChunks, sarifLog } from "../../src/formatters/sarif.js";
import type { InventoryRow } from "../../src/report/inventory.js";
import type { Finding } from "../../src/report/types.js";
import { bucketFinding, concentrationFinding, reportWith } from "../gate/report-fixtures.js";

const OPTIONS = { color: false };

/**
 * The pieces joined, checked to be `whole`, more than `minimum` of them, none longer than `share` of
 * the whole: the document was not one string in disguise.
 */
function inPieces(pieces: readonly string[], whole: string, minimum: number, share: number): string {
  const text = pieces.join("");
  expect(text).toBe(whole);
  expect(pieces.length).toBeGreaterThan(minimum);
  if (share < 1) expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(whole.length * share);
  return text;
}

/** The part of `text` from `start` up to the first `end` after it. */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from).toBeGreaterThanOrEqual(0);
  const to = text.indexOf(end, from + start.length);
  expect(to).toBeGreaterThan(from);
  return text.slice(from, to);
}

/** Elements of every JSON shape, with text that looks like the structure around it. */
function element(index: number): unknown {
  switch (index % 5) {
    case 0:
      return { id: `r-${index}`, nested: { list: [1, "two", null], empty: [], none: {} } };
    case 1:
      return `line\n  ] } ${index} "quoted" é€😀`;
    case 2:
      return [index, [index, { deep: [true, false] }]];
    case 3:
      return index;
    default:
      return null;
  }
}

/** A document with the array `depth` levels down: `{ a: { ... { items: [...] } } }`. */
function documentWith(depth: number, items: unknown[]): unknown {
  let document: unknown = { before: "x", items, after: [1, { y: 2 }] };
  for (let level = 1; level < depth; level++) document = { head: level, inner: document, tail: "z" };
  return document;
}

describe("a JSON document with one array rendered in batches", () => {
  it("is exactly JSON.stringify's text, at every depth, size and batch", () => {
    for (const depth of [1, 2, 4]) {
      for (const count of [0, 1, 5, 130]) {
        for (const chunkSize of [1, 3 * 1024, 64 * 1024]) {
          const items = Array.from({ length: count }, (_, index) => element(index));
          const chunks = [
            ...jsonWithStreamedArray(documentWith(depth, [STREAMED_ARRAY]), count, element, chunkSize),
          ];
          expect(chunks.join("")).toBe(`${JSON.stringify(documentWith(depth, items), null, 2)}\n`);
        }
      }
    }
  });

  it("makes the elements one batch at a time, as the pieces are taken", () => {
    const made: number[] = [];
    const chunks = jsonWithStreamedArray(documentWith(2, [STREAMED_ARRAY]), 1000, (index) => {
      made.push(index);
      return { index };
    });
    chunks.next(); // the text before the array
    chunks.next(); // the first batch
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(1000);
    expect(made).toEqual(Array.from({ length: made.length }, (_, index) => index));
  });

  it("refuses a document without the marker, or with it twice", () => {
    expect(() => [...jsonWithStreamedArray({ items: [] }, 1, element)]).toThrow(/exactly once/);
    expect(() => [
      ...jsonWithStreamedArray({ a: [STREAMED_ARRAY], b: [STREAMED_ARRAY] }, 1, element),
    ]).toThrow(/exactly once/);
  });
});

/** `count` findings of the competitor rule, some waived, some new since a baseline, some not. */
function manyFindings(count: number): Finding[] {
  return Array.from({ length: count }, (_, index) =>
    bucketFinding({
      resourceId: `arn:aws:s3:::bucket-${index}`,
      fingerprint: `fp-${index}`,
      message: `bucket-${index} holds confidential data <on> a competitor's "cloud" & more`,
      new: index % 3 === 0,
      ...(index % 7 === 0
        ? {
            waived: true,
            waiver: { reason: "Accepted by the board", owner: "cto@example.com", expires: "2027-06-30" },
          }
        : {}),
    }),
  );
}

describe("SARIF, JUnit and CSV written in pieces", () => {
  const findings = [...manyFindings(1000), concentrationFinding()];
  const report = reportWith(findings);

  it("SARIF: a value that looks like the streamed array's placeholder is rendered as any other", () => {
    const lookalike = "\u0000landlord:streamed-array\u0000";
    const hostile = reportWith([bucketFinding({ message: lookalike })], {
      diagnostics: [{ level: "warning", code: "unknown-region", message: lookalike }],
    });
    expect(STREAMED_ARRAY).not.toBe(lookalike);
    expect(formatSarif(hostile, OPTIONS)).toBe(`${JSON.stringify(sarifLog(hostile), null, 2)}\n`);
  });

  it("SARIF: the pieces are the log JSON.stringify renders, each a bounded part of it", () => {
    const whole = `${JSON.stringify(sarifLog(report), null, 2)}\n`;
    inPieces([...sarifChunks(report, OPTIONS)], whole, 10, 1 / 5);
    expect(formatSarif(report, OPTIONS)).toBe(whole);
    const results = sarifLog(report).runs[0]!.results!;
    expect(results).toHaveLength(1001);
    expect(results.filter((result) => result.suppressions !== undefined)).toHaveLength(143);
    expect(results.filter((result) => result.baselineState === "new")).toHaveLength(334);
  });

  it("JUnit: every finding is a test case, counted in its suite and the root, in pieces of test cases", () => {
    const xml = inPieces([...junitChunks(report, OPTIONS)], formatJunit(report, OPTIONS), 5, 1);
    const cases = xml.match(/<testcase /g) ?? [];
    // 1,000 findings of the competitor rule, one of provider concentration, and one passing case
    // for each other rule the report ran.
    expect(cases.length).toBe(1001 + report.rules.length - 2);
    const suite =
      /<testsuite name="competitor-hosted-sensitive-data" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/.exec(
        xml,
      );
    // Without a recorded gate: high fails unless waived (143 of the 1,000 are).
    expect(suite?.slice(1)).toEqual(["1000", "857", "143"]);
    expect((xml.match(/<failure /g) ?? []).length).toBe(857);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.endsWith("</testsuites>\n")).toBe(true);
  });

  it("JUnit: tens of thousands of findings of one rule render (one list of every line overflowed the stack)", () => {
    const large = reportWith(manyFindings(50_000));
    const xml = formatJunit(large, OPTIONS);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(50_000 + large.rules.length - 1);
    expect(xml).toContain('name="arn:aws:s3:::bucket-49999"');
  });

  it("HTML: every open finding is a row of the findings table and every waived one of the waived table", () => {
    const html = inPieces([...htmlChunks(report, OPTIONS)], formatHtml(report, OPTIONS), 3, 1 / 2);
    const findingsTable = between(html, '<table id="findings-table">', '<section id="rules">');
    // 857 open findings of the competitor rule and the concentration finding.
    expect(findingsTable.match(/<tr data-rank=/g)).toHaveLength(858);
    expect(findingsTable).toContain("arn:aws:s3:::bucket-999<");
    const waivedTable = between(html, '<section id="waived">', "</section>");
    expect(waivedTable.match(/<tr><td>/g)).toHaveLength(143);
    expect(html.endsWith("</html>\n")).toBe(true);
  });

  it("HTML for print: each findings table stops at the rows asked for and counts the rest", () => {
    const html = formatHtml(report, { ...OPTIONS, tableRows: 100 });
    const findingsTable = between(html, '<table id="findings-table">', '<section id="rules">');
    expect(findingsTable.match(/<tr data-rank=/g)).toHaveLength(100);
    expect(findingsTable).toContain("The first 100 of 858 open findings are shown here");
    const waivedTable = between(html, '<section id="waived">', "</section>");
    expect(waivedTable.match(/<tr><td>/g)).toHaveLength(100);
    expect(waivedTable).toContain("The first 100 of 143 waived findings are shown here");
    // The lock-in table too: one row per service of each workload.
    const lockIn = Array.from({ length: 60 }, (_, index) => ({
      workload: `w-${index}`,
      critical: false,
      providers: ["aws"],
      resources: 2,
      services: ["DynamoDB", "Lambda"].map((service) => ({
        service,
        provider: "aws",
        class: "proprietary" as const,
        resources: 1,
        equivalents: { gcp: "Firestore" },
      })),
    }));
    const analysis = {
      executiveSummary: [],
      conflicts: [],
      jurisdictions: [],
      restrictedProviders: [],
      dataLocations: [],
      lockIn,
      exitImpact: [],
    };
    const lockInHtml = formatHtml(reportWith([], { analysis }), { ...OPTIONS, tableRows: 50 });
    const lockInTable = between(lockInHtml, '<section class="major" id="lock-in">', '<section id="exit"');
    expect(lockInTable.match(/<tr><td/g)).toHaveLength(50);
    expect(lockInTable).toContain("The first 50 of 120 services of workloads are shown here");
    // Tables within the limit are whole, with no such line.
    const roomy = formatHtml(report, { ...OPTIONS, tableRows: 1000 });
    expect(roomy).not.toContain("are shown here");
    expect(roomy).toBe(formatHtml(report, OPTIONS));
  });

  it("Markdown: every open finding is a row of its rule's table and every waived one of the waived table", () => {
    const markdown = inPieces(
      [...markdownChunks(report, OPTIONS)],
      formatMarkdown(report, OPTIONS),
      3,
      1 / 2,
    );
    const lines = markdown.split("\n");
    // 857 open findings of the competitor rule in its table, the 143 waived ones in theirs.
    expect(lines.filter((line) => line.startsWith("| arn:aws:s3:::bucket-"))).toHaveLength(857);
    expect(
      lines.filter((line) => /^\| high \| `competitor-hosted-sensitive-data` \| arn:/.test(line)),
    ).toHaveLength(143);
    // Tables stay tables: no blank line inside one, one blank line after each.
    const firstRow = lines.findIndex((line) => line.startsWith("| arn:aws:s3:::bucket-"));
    expect(lines.slice(firstRow, firstRow + 857).every((line) => line.startsWith("| arn:"))).toBe(true);
    expect(lines[firstRow + 857]).toBe("");
    expect(markdown.endsWith("\n") && !markdown.endsWith("\n\n")).toBe(true);
  });

  it("CSV: one header, then every finding and every inventory row, whatever the piece", () => {
    const inventory: InventoryRow[] = Array.from({ length: 2500 }, (_, index) => ({
      id: `arn:aws:s3:::bucket-${index}`,
      provider: "aws",
      parent: "amazon",
      region: "us-east-1",
      country: "US",
      account: "123456789012",
      type: "s3:bucket",
      name: `=cmd|' /C calc'!A${index}`,
      classification: "confidential",
      workload: "pos",
      environment: "prod",
      criticality: "high",
      vendor: "",
      lockIn: "portable",
      hierarchy: "",
      inheritedTags: "",
    }));
    const withInventory = reportWith(findings, { inventory });
    const csv = [...findingsCsvChunks(withInventory, OPTIONS)].join("");
    expect(formatCsv(withInventory, OPTIONS)).toBe(csv);
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1001);
    expect(rows[999]!["resourceId"]).toBe("arn:aws:s3:::bucket-999");
    expect(rows[999]!["region"]).toBe("us-east-1");
    expect(csv.match(/^ruleId,/gm)).toHaveLength(1);

    const inventoryChunks = [...inventoryCsvChunks(withInventory, OPTIONS)];
    expect(inventoryChunks.length).toBeGreaterThan(2);
    const inventoryCsv = inventoryChunks.join("");
    expect(formatInventoryCsv(withInventory, OPTIONS)).toBe(inventoryCsv);
    const inventoryRows = parseCsv(inventoryCsv, { columns: true }) as Record<string, string>[];
    expect(inventoryRows.map((row) => row["id"])).toEqual(inventory.map((row) => row.id));
    // Every piece neutralises formula cells, not only the first.
    expect(inventoryRows[2499]!["name"]).toBe("'=cmd|' /C calc'!A2499");
  });

  it("CSV: a report without findings is the header alone", () => {
    expect(formatCsv(reportWith([]), OPTIONS)).toBe(`${FINDING_COLUMNS.join(",")}\n`);
  });
});
