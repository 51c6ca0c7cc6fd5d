/** Loaded, compiled rules: what evaluation and the `rules` command work with. */
import type { Severity } from "../report/types.js";
import type { CompiledExpression } from "./cel.js";
import type { RuleDefinition } from "./schema.js";

/** One `{name}` or `{name:percent}` in a message template. */
export interface Placeholder {
  name: string;
  format: "plain" | "percent";
}

/** A rule ready to evaluate: definition, effective severity and params, compiled expressions. */
export interface LoadedRule {
  definition: RuleDefinition;
  /** Severity after the profile's `rules.severity`. */
  severity: Severity;
  /** Params: the rule's defaults with the profile's `rules.params` over them. */
  params: Record<string, unknown>;
  /** Absolute path of the rule file. */
  file: string;
  /** True for rules shipped in landlord's `rules/` folder. */
  builtin: boolean;
  condition: CompiledExpression | undefined;
  /** Compiled `data` expressions, in declaration order. */
  data: [name: string, expression: CompiledExpression][];
  /** Message template split into literal text and placeholders. */
  template: (string | Placeholder)[];
  /** Placeholder names whose values go into the finding's data, in first-use order. */
  dataKeys: string[];
}

/** The rules of one scan, in id order, with disabled rules left out. */
export interface RuleSet {
  rules: LoadedRule[];
  /** Ids disabled by the profile, for reporting. */
  disabled: string[];
}
