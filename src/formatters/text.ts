/** Terminal summary of a report. */
import pc from "picocolors";
import { formatLocation } from "../diagnostics.js";
import { SEVERITIES, type Severity } from "../report/types.js";
import type { Formatter } from "./types.js";

const SEVERITY_COLOR: Record<Severity, (text: string) => string> = {
  critical: (text) => pc.bold(pc.red(text)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  info: pc.dim,
};

/** A compact, readable summary: shares, HHI, top findings, coverage and diagnostics. */
export const formatText: Formatter = (report, options) => {
  const colors = pc.createColors(options.color);
  const paint = (severity: Severity, text: string) => (options.color ? SEVERITY_COLOR[severity](text) : text);
  const lines: string[] = [];
  lines.push(colors.bold(`landlord ${report.tool.version} — ${report.organization.name}`));
  lines.push(
    `${report.summary.resources} resources · provider HHI ${report.metrics.hhi.provider} · parent HHI ${report.metrics.hhi.parent}` +
      (report.summary.complete ? "" : colors.red(" · INCOMPLETE")),
  );
  lines.push("");
  lines.push(colors.bold("Providers"));
  for (const share of report.metrics.providers) {
    const percent = `${(share.share * 100).toFixed(1)}%`.padStart(6);
    lines.push(
      `  ${share.provider.padEnd(14)} ${percent}  ${String(share.resources).padStart(7)}  ${colors.dim(share.parent)}`,
    );
  }
  lines.push("");
  const counts = SEVERITIES.slice()
    .reverse()
    .map((severity) => paint(severity, `${report.summary.findings[severity]} ${severity}`))
    .join(", ");
  lines.push(`${colors.bold("Findings")}: ${counts}`);
  for (const finding of report.findings.filter((f) => !f.waived).slice(0, 10)) {
    lines.push(
      `  ${paint(finding.severity, finding.severity.toUpperCase().padEnd(8))} ${finding.ruleId}: ${finding.message}`,
    );
  }
  const errors = report.diagnostics.filter((d) => d.level !== "info");
  if (errors.length > 0) {
    lines.push("");
    lines.push(colors.bold("Diagnostics"));
    for (const diagnostic of errors.slice(0, 20)) {
      const where = diagnostic.location
        ? `${formatLocation(diagnostic.location)}: `
        : diagnostic.source
          ? `${diagnostic.source}: `
          : "";
      lines.push(`  ${diagnostic.level} ${diagnostic.code}: ${where}${diagnostic.message}`);
    }
  }
  return `${lines.join("\n")}\n`;
};
