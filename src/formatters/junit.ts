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
import type { Formatter } from "./types.js";

/** Renders the report as JUnit XML. */
export const formatJunit: Formatter = (report) => {
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

  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  for (const rule of rules) {
    const findings = byRule.get(rule.id) ?? [];
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    const classname = `landlord.${rule.id}`;
    if (findings.length === 0) {
      cases.push(`    <testcase ${attributes({ classname, name: `${rule.id}: no findings` })}/>`);
    }
    for (const finding of findings) {
      const name = `${finding.resourceId ?? describeSubject(finding.subject)}`;
      const open = `    <testcase ${attributes({ classname, name, file: inputFile(finding.source) })}>`;
      const details = findingDetails(finding);
      if (failing.has(finding)) {
        failures++;
        cases.push(
          open,
          `      <failure ${attributes({ message: finding.message, type: finding.severity })}>${escapeXmlText(details)}</failure>`,
          "    </testcase>",
        );
      } else if (finding.waived) {
        skipped++;
        const reason = finding.waiver
          ? `waived by ${finding.waiver.owner} until ${finding.waiver.expires}: ${finding.waiver.reason}`
          : "waived";
        cases.push(
          open,
          `      <skipped ${attributes({ message: reason })}/>`,
          `      <system-out>${escapeXmlText(details)}</system-out>`,
          "    </testcase>",
        );
      } else {
        cases.push(open, `      <system-out>${escapeXmlText(details)}</system-out>`, "    </testcase>");
      }
    }
    const tests = Math.max(findings.length, 1);
    totalTests += tests;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite ${attributes({ name: rule.id, tests: String(tests), failures: String(failures), errors: "0", skipped: String(skipped), timestamp: report.generatedAt.replace(/Z$/, "") })}>`,
      "    <properties>",
      `      <property ${attributes({ name: "title", value: rule.title })}/>`,
      `      <property ${attributes({ name: "severity", value: rule.severity })}/>`,
      `      <property ${attributes({ name: "category", value: rule.category })}/>`,
      "    </properties>",
      ...cases,
      "  </testsuite>",
    );
  }
  const root = attributes({
    name: `landlord ${report.organization.name}`,
    tests: String(totalTests),
    failures: String(totalFailures),
    errors: "0",
    skipped: String(totalSkipped),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${root}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
};

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
