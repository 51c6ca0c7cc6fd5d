/**
 * SARIF 2.1.0: the format code-scanning services (GitHub code scanning and others) ingest. One run,
 * the rules that ran as `tool.driver.rules`, one result per finding with a stable
 * `partialFingerprints` entry so uploads de-duplicate across runs, waived findings as external
 * suppressions and, when a baseline was given, `baselineState`.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { Diagnostic } from "../diagnostics.js";
import type { Finding, Report, RuleSummary, Severity } from "../report/types.js";
import { jsonWithStreamedArray, STREAMED_ARRAY } from "./json-stream.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

/** Where users read about landlord (the package page). */
export const LANDLORD_INFORMATION_URI = "https://www.npmjs.com/package/landlord";

/** The key of landlord's fingerprint in `partialFingerprints`; the version changes if the algorithm does. */
export const SARIF_FINGERPRINT_KEY = "landlordFingerprint/v1";

const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** File the results of aggregate findings point at when no input file is known: the profile. */
const DEFAULT_ARTIFACT = "landlord.yaml";

const LEVEL_BY_SEVERITY = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
} as const satisfies Record<Severity, Sarif.ReportingConfiguration.level>;

/** `security-severity` on the 0.1-10 scale code-scanning services use to bucket critical/high/medium/low. */
const SECURITY_SEVERITY = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.1",
} as const satisfies Record<Severity, string>;

const NOTIFICATION_LEVEL = {
  error: "error",
  warning: "warning",
  info: "note",
} as const satisfies Record<Diagnostic["level"], Sarif.Notification.level>;

/**
 * The SARIF log in pieces (pretty-printed JSON), its results made a batch at a time: at a million
 * resources the results alone were millions of objects and the log a 470 MB string.
 */
export const sarifChunks: ChunkedFormatter = (report) => {
  const { log, run, resultOf } = sarifParts(report);
  run.results = [STREAMED_ARRAY] as unknown as Sarif.Result[];
  return jsonWithStreamedArray(log, report.findings.length, (index) => resultOf(report.findings[index]!));
};

/** Renders the report as a SARIF 2.1.0 log (pretty-printed JSON). */
export const formatSarif: Formatter = (report, options) => [...sarifChunks(report, options)].join("");

/** The SARIF log object of a report. */
export function sarifLog(report: Report): Sarif.Log {
  const { log, run, resultOf } = sarifParts(report);
  run.results = report.findings.map(resultOf);
  return log;
}

/** The log with its one run, whose results are left to the caller, and how to make each result. */
function sarifParts(report: Report): {
  log: Sarif.Log;
  run: Sarif.Run;
  resultOf: (finding: Finding) => Sarif.Result;
} {
  const rules = [...report.rules];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  // A finding whose rule metadata is missing still gets a rule entry: SARIF consumers need one.
  for (const finding of report.findings) {
    if (!ruleIndex.has(finding.ruleId)) {
      ruleIndex.set(finding.ruleId, rules.length);
      rules.push({
        id: finding.ruleId,
        title: finding.ruleId,
        severity: finding.severity,
        category: finding.category,
        description: finding.ruleId,
      });
    }
  }
  const fallbackArtifact = firstInputFile(report) ?? DEFAULT_ARTIFACT;
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: "landlord",
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: LANDLORD_INFORMATION_URI,
        rules: rules.map(reportingDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: report.summary.complete,
        toolExecutionNotifications: report.diagnostics.map(notification),
      },
    ],
    // Filled by the caller; the key is here so that it keeps its place in the log.
    results: [],
    columnKind: "unicodeCodePoints",
    properties: {
      generatedAt: report.generatedAt,
      organization: report.organization.name,
      complete: report.summary.complete,
      resources: report.summary.resources,
      metrics: report.metrics,
    },
  };
  return {
    log: { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] },
    run,
    resultOf: (finding) => result(finding, ruleIndex.get(finding.ruleId) ?? 0, fallbackArtifact),
  };
}

function reportingDescriptor(rule: RuleSummary): Sarif.ReportingDescriptor {
  const descriptor: Sarif.ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: LEVEL_BY_SEVERITY[rule.severity] },
    properties: {
      category: rule.category,
      severity: rule.severity,
      "security-severity": SECURITY_SEVERITY[rule.severity],
      tags: ["landlord", rule.category],
    },
  };
  const firstReference = rule.references?.find((reference) => /^https?:\/\//.test(reference));
  if (firstReference) descriptor.helpUri = firstReference;
  return descriptor;
}

function helpText(rule: RuleSummary): string {
  const parts = [rule.description || rule.title];
  if (rule.rationale) parts.push(`Why it matters: ${rule.rationale}`);
  if (rule.remediation) parts.push(`Remediation: ${rule.remediation}`);
  if (rule.references?.length)
    parts.push(`References:\n${rule.references.map((reference) => `- ${reference}`).join("\n")}`);
  return parts.join("\n\n");
}

function helpMarkdown(rule: RuleSummary): string {
  const parts = [
    `**${escapeMarkdown(rule.title)}** (${rule.severity}, ${rule.category})`,
    escapeMarkdown(rule.description),
  ];
  if (rule.rationale) parts.push(`### Why it matters\n\n${escapeMarkdown(rule.rationale)}`);
  if (rule.remediation) parts.push(`### Remediation\n\n${escapeMarkdown(rule.remediation)}`);
  if (rule.references?.length) {
    const items = rule.references.map((reference) =>
      /^https?:\/\/\S+$/.test(reference) ? `- <${reference}>` : `- ${escapeMarkdown(reference)}`,
    );
    parts.push(`### References\n\n${items.join("\n")}`);
  }
  return parts.filter((part) => part !== "").join("\n\n");
}

function result(finding: Finding, ruleIndex: number, fallbackArtifact: string): Sarif.Result {
  const sarifResult: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL_BY_SEVERITY[finding.severity],
    message: { text: finding.message || finding.ruleId },
    locations: [location(finding, fallbackArtifact)],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      severity: finding.severity,
      category: finding.category,
      ...(finding.provider !== null ? { provider: finding.provider } : {}),
      ...(finding.subject !== null ? { subject: finding.subject } : {}),
    },
  };
  if (finding.waived) {
    const suppression: Sarif.Suppression = {
      kind: "external",
      status: "accepted",
      justification: finding.waiver?.reason ?? "waived",
    };
    if (finding.waiver)
      suppression.properties = { owner: finding.waiver.owner, expires: finding.waiver.expires };
    sarifResult.suppressions = [suppression];
  }
  if (finding.new !== undefined) sarifResult.baselineState = finding.new ? "new" : "unchanged";
  return sarifResult;
}

function location(finding: Finding, fallbackArtifact: string): Sarif.Location {
  const logical: Sarif.LogicalLocation =
    finding.resourceId !== null
      ? { name: finding.resourceId, fullyQualifiedName: finding.resourceId, kind: "resource" }
      : {
          name: describeSubject(finding.subject),
          fullyQualifiedName: describeSubject(finding.subject),
          kind: "group",
        };
  const file = inputFile(finding.source) ?? fallbackArtifact;
  return {
    physicalLocation: { artifactLocation: { uri: artifactUri(file) } },
    logicalLocations: [logical],
  };
}

function notification(diagnostic: Diagnostic): Sarif.Notification {
  const note: Sarif.Notification = {
    level: NOTIFICATION_LEVEL[diagnostic.level],
    message: { text: diagnostic.hint ? `${diagnostic.message} (${diagnostic.hint})` : diagnostic.message },
    descriptor: { id: diagnostic.code },
  };
  const file = diagnostic.location?.file;
  if (file) {
    const region: Sarif.Region = {};
    if (diagnostic.location?.line !== undefined) region.startLine = diagnostic.location.line;
    if (diagnostic.location?.column !== undefined) region.startColumn = diagnostic.location.column;
    note.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(file) },
          ...(region.startLine !== undefined ? { region } : {}),
        },
      },
    ];
  }
  return note;
}

/** The file a resource source names, or undefined for collection scopes such as `aws:123/eu-west-1`. */
function inputFile(source: string | undefined): string | undefined {
  if (!source) return undefined;
  const prefixed = /^(terraform|vendors|file):(.+)$/.exec(source);
  if (prefixed) return prefixed[2];
  if (/^(aws|azure|gcp)(:|$)/.test(source)) return undefined;
  return source;
}

function firstInputFile(report: Report): string | undefined {
  for (const entry of report.coverage) {
    const file = entry.scope["file"];
    if (file) return file;
  }
  return undefined;
}

/** Absolute paths become `file:` URIs (upload tools relativize them to the checkout); relative ones stay relative. */
function artifactUri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  if (path.isAbsolute(file) || path.win32.isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .replaceAll("\\", "/")
    .replace(/^\.\//, "")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function describeSubject(subject: Record<string, string> | null): string {
  if (!subject || Object.keys(subject).length === 0) return "organization";
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, "\\$1");
}
