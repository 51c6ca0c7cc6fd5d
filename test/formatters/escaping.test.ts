import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formatCsv, formatInventoryCsv } from "../../src/formatters/csv.js";
import { formatHtml } from "../../src/formatters/html.js";
import { formatMarkdown } from "../../src/formatters/markdown.js";
import { formatText } from "../../src/formatters/text.js";
import { hostileReport, PAYLOADS } from "./fixtures/retailer.js";

const report = hostileReport();

describe("inventory values cannot run or become formulas", () => {
  it("HTML escapes script tags and attributes from names, ids, tags, workloads and waivers", () => {
    const html = formatHtml(report, { color: false });
    expect(html).not.toContain(PAYLOADS.script);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    // The only script element is the report's own, pinned by hash in the Content-Security-Policy.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).toContain("default-src 'none'");
  });

  it("Markdown escapes HTML, links, images, pipes, backticks and mentions", () => {
    for (const short of [false, true]) {
      const markdown = formatMarkdown(report, { color: false, short });
      expect(markdown).not.toContain("<script>");
      expect(markdown).not.toContain("<img");
      expect(markdown).not.toContain("[click](javascript:");
      expect(markdown).not.toContain("![x](http");
      expect(markdown).toContain("\\[click\\]\\(javascript:alert\\(3\\)\\)");
      expect(markdown).toContain("\\| \\`code\\`");
      // Every table row keeps the column count of its header: a pipe in a value cannot add a cell.
      const lines = markdown.split("\n");
      for (let index = 0; index < lines.length; index++) {
        if (!lines[index]!.startsWith("| ---")) continue;
        const columns = (lines[index]!.match(/(?<!\\)\|/g) ?? []).length;
        for (let next = index + 1; lines[next]?.startsWith("|"); next++) {
          expect((lines[next]!.match(/(?<!\\)\|/g) ?? []).length).toBe(columns);
        }
      }
    }
  });

  it("CSV cells starting with = + - @ get an apostrophe and stay text", () => {
    const findings = parse(formatCsv(report, { color: false }), { columns: true }) as Record<
      string,
      string
    >[];
    const inventory = parse(formatInventoryCsv(report, { color: false }), { columns: true }) as Record<
      string,
      string
    >[];
    const cells = [...findings, ...inventory].flatMap((row) => Object.values(row));
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(inventory[0]!["name"]).toBe(`'${PAYLOADS.formula}`);
    expect(inventory[2]!["id"]).toBe("'+cmd|' /C calc'!A0");
    expect(inventory[2]!["name"]).toBe("'-2+3");
    expect(inventory[2]!["workload"]).toBe("'@SUM(1+1)");
    expect(findings.find((row) => row["ruleId"] === "proprietary-lock-in")!["waiverOwner"]).toBe(
      `'${PAYLOADS.formula}`,
    );
  });

  it("the terminal summary prints control characters as text", () => {
    const tampered = hostileReport();
    tampered.findings[0]!.message = "ok\u001b[2J\u001b]0;owned\u0007";
    const text = formatText(tampered, { color: false });
    expect(text).not.toContain("\u001b");
    expect(text).toContain("ok\\x1b[2J");
  });
});
