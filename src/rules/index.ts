/** The rule engine: loading YAML rules, evaluating them over enriched resources, running their cases. */
export { CEL_VARIABLES, compileExpression } from "./cel.js";
export { type EvaluationContext, evaluateRules } from "./evaluate.js";
export { resourceFingerprint, subjectFingerprint } from "./fingerprint.js";
export {
  builtinRulesDir,
  type LoadRuleSetOptions,
  loadRuleFile,
  loadRuleSet,
  loadRules,
  readsTags,
  ruleSummaries,
} from "./load.js";
export { type RuleDefinition, ruleSchema } from "./schema.js";
export { type CaseResult, catalogEnricher, compareFindings, runRuleCases } from "./testing.js";
export type { LoadedRule, RuleSet } from "./types.js";
