/** PLACEHOLDER until the rule engine lands: no rules, no findings. */
import type { EnrichedResource } from "../catalog/types.js";
import type { Profile } from "../profile/load.js";
import type { Finding, RuleSummary } from "../report/types.js";

export interface RuleSet {
  rules: RuleSummary[];
}

export async function loadRuleSet(_options: { profile: Profile; extraPaths?: string[] }): Promise<RuleSet> {
  return { rules: [] };
}

export function evaluateRules(
  _ruleSet: RuleSet,
  _resources: readonly EnrichedResource[],
  _context: { profile: Profile; scanTime: Date },
): Finding[] {
  return [];
}

export function ruleSummaries(ruleSet: RuleSet): RuleSummary[] {
  return ruleSet.rules;
}
