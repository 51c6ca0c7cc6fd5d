import { describe, expect, it } from "vitest";
import { formatJunit, stripInvalidXml } from "../../src/formatters/junit.js";
import { withRecordedGate } from "../../src/report/gate.js";
import type { Report } from "../../src/report/types.js";
import { bucketFinding, concentrationFinding, reportWith } from "../gate/report-fixtures.js";

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * A strict reader for the XML subset JUnit reports use (declaration, elements, attributes, text,
 * entity and character references). Throws on anything malformed, so a passing parse proves the
 * output is well-formed for this subset.
 */
function parseXml(xml: string): XmlElement {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml))
    throw new Error("character not allowed in XML 1.0");
  const decode = (raw: string): string => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw))
      throw new Error(`bare & in ${JSON.stringify(raw)}`);
    if (raw.includes("<")) throw new Error(`bare < in ${JSON.stringify(raw)}`);
    return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, ref: string) =>
      ref.startsWith("#x")
        ? String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
        : ref.startsWith("#")
          ? String.fromCodePoint(Number(ref.slice(1)))
          : ENTITIES[ref]!,
    );
  };
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  if (rest === xml) throw new Error("missing XML declaration");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  while (rest.length > 0) {
    const top = stack.at(-1)!;
    const textEnd = rest.indexOf("<");
    if (textEnd !== 0) {
      const raw = textEnd === -1 ? rest : rest.slice(0, textEnd);
      if (raw.includes("]]>")) throw new Error("]]> in text");
      top.text += decode(raw);
      rest = textEnd === -1 ? "" : rest.slice(textEnd);
      continue;
    }
    const close = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(rest);
    if (close) {
      if (top.name !== close[1]) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      rest = rest.slice(close[0].length);
      continue;
    }
    const open = /^<([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!open) throw new Error(`malformed tag at ${JSON.stringify(rest.slice(0, 40))}`);
    const element: XmlElement = { name: open[1]!, attributes: {}, children: [], text: "" };
    for (const match of open[2]!.matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
      if (match[1]! in element.attributes) throw new Error(`duplicate attribute ${match[1]}`);
      element.attributes[match[1]!] = decode(match[2]!);
    }
    top.children.push(element);
    if (open[3] !== "/") stack.push(element);
    rest = rest.slice(open[0].length);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== "")
    throw new Error("expected exactly one root element");
  return root.children[0]!;
}

function all(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) found.push(child);
    found.push(...all(child, name));
  }
  return found;
}

const hostile =
  "\r" + "a < b && c > d ]]> \"q\" 's' \u0000\u0001\u0008\u000b\u000c\u001b[0m\uFFFE\uD800 tab\there\nline";

function parse(report: Report): XmlElement {
  return parseXml(formatJunit(report, { color: false }));
}

describe("formatJunit", () => {
  it("writes one suite per rule and one case per finding, with a passing case for quiet rules", () => {
    const root = parse(
      reportWith([
        bucketFinding(),
        bucketFinding({
          fingerprint: "fp2",
          resourceId: "arn:aws:s3:::loyalty",
          waived: true,
          waiver: { reason: "Board", owner: "cto@example.com", expires: "2027-06-30" },
        }),
        concentrationFinding(),
      ]),
    );
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toMatchObject({ tests: "4", failures: "1", skipped: "1", errors: "0" });
    const suites = all(root, "testsuite");
    expect(
      suites.map((suite) => [
        suite.attributes["name"],
        suite.attributes["tests"],
        suite.attributes["failures"],
      ]),
    ).toEqual([
      ["competitor-hosted-sensitive-data", "2", "1"],
      ["provider-concentration", "1", "0"],
      ["classification-coverage", "1", "0"],
    ]);
    const [failing, waived] = all(suites[0]!, "testcase");
    expect(failing?.attributes).toMatchObject({
      classname: "landlord.competitor-hosted-sensitive-data",
      name: "terraform:aws_s3_bucket.pos_exports",
      file: "plan.json",
    });
    expect(all(failing!, "failure")[0]?.attributes["type"]).toBe("high");
    expect(all(waived!, "skipped")[0]?.attributes["message"]).toBe(
      "waived by cto@example.com until 2027-06-30: Board",
    );
    // Below the gate threshold: visible, but not a failure.
    const medium = all(suites[1]!, "testcase")[0]!;
    expect(all(medium, "failure")).toEqual([]);
    expect(all(medium, "system-out")[0]?.text).toContain("aws holds 72% of resources");
    expect(all(suites[2]!, "testcase")[0]?.attributes["name"]).toBe("classification-coverage: no findings");
  });

  it("uses the threshold and baseline the scan recorded", () => {
    const report = withRecordedGate(
      reportWith([bucketFinding({ new: false }), concentrationFinding({ new: true })]),
      {
        failOn: "medium",
        baselineGiven: true,
      },
    );
    expect(report.summary["gate"]).toEqual({ failOn: "medium", baseline: true });
    const failures = all(parse(report), "failure");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.attributes["message"]).toBe("aws holds 72% of resources (threshold 60%)");
  });

  it("stays well-formed with markup, ]]> and control characters in every field", () => {
    const report = reportWith(
      [bucketFinding({ message: hostile, resourceId: hostile, fingerprint: hostile })],
      {
        organization: { name: hostile },
      },
    );
    const root = parse(report);
    const failure = all(root, "failure")[0]!;
    const expected = stripInvalidXml(hostile);
    expect(failure.attributes["message"]).toBe(expected);
    expect(all(root, "testcase")[0]?.attributes["name"]).toBe(expected);
    expect(failure.text).toContain(expected);
    expect(root.attributes["name"]).toBe(`landlord ${expected}`);
  });

  it("strips exactly the characters XML 1.0 forbids", () => {
    expect(stripInvalidXml("ok\t\n\r é 😀 \u0000\u001f\uFFFE\uFFFF\uDC00 end")).toBe("ok\t\n\r é 😀  end");
  });
});
