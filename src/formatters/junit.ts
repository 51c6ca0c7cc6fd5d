/**
 * JUnit XML for CI test views: one `<testsuite>` per rule that ran, one `<testcase>` per finding.
 *
 * A finding that fails the gate is a `<failure>`: not waived, at or above the gate's threshold, and
 * new when a baseline was given. The threshold is the one the scan recorded in `summary.gate`
 * (`--fail-on`), else `high`, the SPEC 5 default. Waived findings are `<skipped>` with the waiver's
 * reason; findings below the threshold pass and carry their message in `<system-out>`. A rule with no
 * findings is one passing test case, so the view shows what was checked, not only what failed.
 */
import { DEFAULT_FAIL_ON, gateFailures, recordedGate } from "../report/gate.js";
import type { Finding, RuleSummary } from "../report/types.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

/** Test cases rendered into one piece of the document. */
const CASES_PER_PIECE = 256;

/**
 * JUnit XML in pieces: the counts every `<testsuite>` and the `<testsuites>` root carry are worked
 * out first, then the test cases are rendered a few hundred at a time. At a million resources a
 * single string of every line took hundreds of megabytes, and joining the lines overflowed the stack.
 */
export const junitChunks: ChunkedFormatter = function* (report) {
  const gate = recordedGate(report) ?? { failOn: DEFAULT_FAIL_ON, baseline: false };
  const failing = new Set(gateFailures(report, { failOn: gate.failOn, baselineGiven: gate.baseline }));
  const byRule = new Map<string, Finding[]>();
  const rules: RuleSummary[] = [...report.rules];
  for (const rule of rules) byRule.set(rule.id, []);
  for (const finding of report.findings) {
    let list = byRule.get(finding.ruleId);
    if (!list) {
      list = [];
      byRule.set(finding.ruleId, list);
      rules.push({
        id: finding.ruleId,
        title: finding.ruleId,
        severity: finding.severity,
        category: finding.category,
        description: "",
      });
    }
    list.push(finding);
  }

  const suites = rules.map((rule) => {
    const findings = byRule.get(rule.id) ?? [];
    let failures = 0;
    let skipped = 0;
    for (const finding of findings) {
      if (failing.has(finding)) failures++;
      else if (finding.waived) skipped++;
    }
    return { rule, findings, tests: Math.max(findings.length, 1), failures, skipped };
  });
  const sum = (count: (suite: (typeof suites)[number]) => number) =>
    suites.reduce((total, suite) => total + count(suite), 0);
  const root = attributes({
    name: `landlord ${report.organization.name}`,
    tests: String(sum((suite) => suite.tests)),
    failures: String(sum((suite) => suite.failures)),
    errors: "0",
    skipped: String(sum((suite) => suite.skipped)),
  });
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${root}>\n`;
  for (const { rule, findings, tests, failures, skipped } of suites) {
    const classname = `landlord.${rule.id}`;
    yield lines(
      `  <testsuite ${attributes({ name: rule.id, tests: String(tests), failures: String(failures), errors: "0", skipped: String(skipped), timestamp: report.generatedAt.replace(/Z$/, "") })}>`,
      "    <properties>",
      `      <property ${attributes({ name: "title", value: rule.title })}/>`,
      `      <property ${attributes({ name: "severity", value: rule.severity })}/>`,
      `      <property ${attributes({ name: "category", value: rule.category })}/>`,
      "    </properties>",
    );
    if (findings.length === 0) {
      yield lines(`    <testcase ${attributes({ classname, name: `${rule.id}: no findings` })}/>`);
    }
    for (let start = 0; start < findings.length; start += CASES_PER_PIECE) {
      const piece: string[] = [];
      for (const finding of findings.slice(start, start + CASES_PER_PIECE)) {
        piece.push(testCase(finding, classname, failing.has(finding)));
      }
      yield piece.join("");
    }
    yield lines("  </testsuite>");
  }
  yield lines("</testsuites>");
};

/** Renders the report as JUnit XML. */
export const formatJunit: Formatter = (report, options) => [...junitChunks(report, options)].join("");

/** One finding's `<testcase>`, its lines ended. */
function testCase(finding: Finding, classname: string, fails: boolean): string {
  const name = `${finding.resourceId ?? describeSubject(finding.subject)}`;
  const open = `    <testcase ${attributes({ classname, name, file: inputFile(finding.source) })}>`;
  const details = findingDetails(finding);
  if (fails) {
    return lines(
      open,
      `      <failure ${attributes({ message: finding.message, type: finding.severity })}>${escapeXmlText(details)}</failure>`,
      "    </testcase>",
    );
  }
  if (finding.waived) {
    const reason = finding.waiver
      ? `waived by ${finding.waiver.owner} until ${finding.waiver.expires}: ${finding.waiver.reason}`
      : "waived";
    return lines(
      open,
      `      <skipped ${attributes({ message: reason })}/>`,
      `      <system-out>${escapeXmlText(details)}</system-out>`,
      "    </testcase>",
    );
  }
  return lines(open, `      <system-out>${escapeXmlText(details)}</system-out>`, "    </testcase>");
}

/** Lines of the document, each ended by a line break. */
function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

function findingDetails(finding: Finding): string {
  const lines = [`${finding.severity} ${finding.ruleId}: ${finding.message}`];
  if (finding.resourceId !== null) lines.push(`resource: ${finding.resourceId}`);
  if (finding.subject !== null) lines.push(`subject: ${describeSubject(finding.subject)}`);
  if (finding.provider !== null) lines.push(`provider: ${finding.provider}`);
  if (finding.new !== undefined)
    lines.push(finding.new ? "new since the baseline" : "already in the baseline");
  lines.push(`fingerprint: ${finding.fingerprint}`);
  return lines.join("\n");
}

function describeSubject(subject: Record<string, string> | null): string {
  if (!subject || Object.keys(subject).length === 0) return "organization";
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

function inputFile(source: string | undefined): string | undefined {
  if (!source) return undefined;
  const prefixed = /^(terraform|vendors|file):(.+)$/.exec(source);
  if (prefixed) return prefixed[2];
  return /^(aws|azure|gcp)(:|$)/.test(source) ? undefined : source;
}

/** Characters XML 1.0 does not allow at all, even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that XML 1.0 cannot carry. */
export function stripInvalidXml(value: string): string {
  return value.replace(INVALID_XML, "");
}

/** Escapes character data. `>` is escaped too, so `]]>` can never appear. */
export function escapeXmlText(value: string): string {
  return stripInvalidXml(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

/** Escapes an attribute value; tabs and line breaks become references so parsers keep them. */
function attribute(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

function attributes(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${attribute(value)}"`)
    .join(" ");
}
