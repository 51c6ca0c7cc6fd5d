/** The terminal rendering of `landlord scan --exit <provider>`. */
import pc from "picocolors";
import type { ExitImpact } from "../report/analysis.js";
import { sanitizeTerminal } from "./escape.js";

const list = (items: readonly string[]) =>
  items.length === 0 ? "none" : items.map(sanitizeTerminal).join(", ");

/** What leaving (or losing) one provider would take down, in a few lines. */
export function formatExitImpact(impact: ExitImpact, options: { color: boolean }): string {
  const colors = pc.createColors(options.color);
  const name = sanitizeTerminal(impact.providerName);
  if (impact.resources === 0) {
    return `\n${colors.bold(`Exit impact: ${name}`)}\n  Nothing in the inventory runs on ${sanitizeTerminal(impact.provider)}.\n`;
  }
  const lines = [
    "",
    colors.bold(`Exit impact: if ${name} became unavailable or had to be left`),
    `  ${impact.resources} resources (${(impact.share * 100).toFixed(1)}% of the estate), ${impact.sensitiveResources} holding sensitive data`,
    `  Workloads that stop entirely: ${list(impact.workloadsLost)}`,
    `  ${colors.red("Critical")} workloads that stop entirely: ${list(impact.criticalLost)}`,
    `  Workloads that run degraded: ${list(impact.workloadsDegraded)}`,
    `  Critical workloads that run degraded: ${list(impact.criticalDegraded)}`,
    `  Proprietary services to rebuild elsewhere: ${list(impact.proprietaryServices)}`,
  ];
  if (impact.unassignedResources > 0)
    lines.push(`  Resources with no workload tag: ${impact.unassignedResources}`);
  return `${lines.join("\n")}\n`;
}
