/** Loading rule files: YAML, schema, compiled CEL, profile overrides. Every error names file, line, column, field. */
import { access, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ErrorDetail, LandlordError } from "../diagnostics.js";
import { readSnapshot, writeSnapshot } from "../input/snapshot.js";
import { describeIssue, type PositionedDocument, readYamlFile } from "../input/yaml.js";
import type { Profile } from "../profile/load.js";
import type { RuleSummary } from "../report/types.js";
import { compileExpression } from "./cel.js";
import { AGGREGATE_PLACEHOLDERS, RESOURCE_PLACEHOLDERS } from "./evaluate.js";
import { parseTemplate } from "./message.js";
import { type RuleDefinition, ruleSchema } from "./schema.js";
import type { LoadedRule, RuleSet } from "./types.js";

/** Where the builtin rules live: `rules/` at the package root, from `src/rules` or `dist/src/rules`. */
export async function builtinRulesDir(): Promise<string> {
  for (const relative of ["../../rules/", "../../../rules/"]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    try {
      await access(path.join(candidate, "competitor-hosted-sensitive-data.yaml"));
      return candidate;
    } catch {
      // try the next layout
    }
  }
  return fileURLToPath(new URL("../../rules/", import.meta.url));
}

/** Rule files under a path: the file itself, or the `.yaml`/`.yml` files of a folder, sorted. */
export async function ruleFilesIn(target: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch {
    throw new LandlordError("rule-path-not-found", `rule path ${target} does not exist`, {
      details: [{ message: "no such file or folder", location: { file: target } }],
      hint: "Check rules.paths in landlord.yaml; relative paths resolve against the profile's folder.",
    });
  }
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target);
  return entries
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => path.join(target, name));
}

/** Where `npm run build` leaves the builtin rules' snapshot: beside the built module. */
export function builtinRulesSnapshotFile(): string {
  return fileURLToPath(new URL("./builtin-rules.snapshot.json", import.meta.url));
}

/**
 * Validates the builtin rules and writes their definitions as JSON, read instead of the YAML while
 * the files match it: parsing and checking the YAML took about 50 of the 100 ms the rules took to
 * load at every command's start.
 */
export async function writeBuiltinRulesSnapshot(
  dir?: string,
  snapshotFile: string = builtinRulesSnapshotFile(),
): Promise<void> {
  const rulesDir = dir ?? (await builtinRulesDir());
  await writeSnapshot(snapshotFile, rulesDir, await ruleFilesIn(rulesDir), async (file) => ({
    definition: (await loadRuleFile(file, true)).definition,
  }));
}

/**
 * Reads and validates one rule file and compiles its expressions, without profile overrides. A
 * `definition` given (a builtin rule's, from the snapshot) stands for the file's validated YAML.
 */
export async function loadRuleFile(
  file: string,
  builtin = false,
  definition?: RuleDefinition,
): Promise<LoadedRule> {
  if (definition !== undefined) {
    return compileRule({ file, value: definition, locate: () => ({ file }) }, definition, builtin);
  }
  const doc = await readYamlFile(file, "invalid-rule");
  if (doc.value === null || typeof doc.value !== "object" || Array.isArray(doc.value)) {
    throw new LandlordError("invalid-rule", `${file} is not a rule`, {
      details: [
        {
          message: "expected a mapping with id, title, severity, category, ...",
          location: { file, line: 1 },
        },
      ],
      hint: "See docs/rules.md for the rule format.",
    });
  }
  return compileRule(doc, validateRule(doc), builtin);
}

/** A validated rule's expressions compiled and its message checked, errors located in `doc`. */
function compileRule(doc: PositionedDocument, definition: RuleDefinition, builtin: boolean): LoadedRule {
  const { file } = doc;
  const errors: ErrorDetail[] = [];
  const expected = path.basename(file).replace(/\.ya?ml$/, "");
  if (definition.id !== expected) {
    errors.push({
      message: `id: "${definition.id}" differs from the file name "${expected}"`,
      location: doc.locate(["id"]),
    });
  }
  const scope = definition.scope;
  const compile = (expression: string, field: (string | number)[]) => {
    const result = compileExpression(expression, scope);
    if (result.ok) return result.evaluate;
    errors.push({
      message: `${field.join(".")}: invalid CEL expression \`${expression.trim()}\`: ${result.error.message}`,
      location: doc.locate(field),
    });
    return undefined;
  };
  const condition =
    definition.condition === undefined ? undefined : compile(definition.condition, ["condition"]);
  const data: LoadedRule["data"] = [];
  for (const [name, expression] of Object.entries(definition.data)) {
    const compiled = compile(expression, ["data", name]);
    if (compiled) data.push([name, compiled]);
  }
  const template = parseTemplate(definition.message);
  const known = new Set<string>([
    ...(scope === "resource" ? RESOURCE_PLACEHOLDERS : AGGREGATE_PLACEHOLDERS),
    ...(definition.aggregate?.groupBy ?? []),
    ...Object.keys(definition.data),
    ...Object.keys(definition.params),
  ]);
  const dataKeys: string[] = [];
  for (const part of template) {
    if (typeof part === "string") continue;
    if (!known.has(part.name)) {
      errors.push({
        message: `message: unknown placeholder {${part.name}}`,
        location: doc.locate(["message"]),
        hint: `Declare it under data: with a CEL expression, or use one of: ${[...known].sort().join(", ")}`,
      });
    } else if (!dataKeys.includes(part.name)) dataKeys.push(part.name);
  }
  for (const name of Object.keys(definition.data)) if (!dataKeys.includes(name)) dataKeys.push(name);
  if (errors.length > 0) {
    throw new LandlordError("invalid-rule", `${file} is not a valid rule file`, {
      details: errors,
      hint: "See docs/rules.md for the rule format and the CEL variables.",
    });
  }
  return {
    definition,
    severity: definition.severity,
    params: { ...definition.params },
    file,
    builtin,
    condition,
    data,
    template,
    dataKeys,
  };
}

/** Schema validation whose errors point at the offending key itself, unknown keys included. */
function validateRule(doc: PositionedDocument): RuleDefinition {
  const result = ruleSchema.safeParse(doc.value);
  if (result.success) return result.data;
  throw new LandlordError("invalid-rule", `${doc.file} is not a valid rule file`, {
    details: result.error.issues.map((issue) => ({
      message: describeIssue(issue),
      location: doc.locate(issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path),
    })),
    hint: "See docs/rules.md for the rule format; schemas/rule.schema.json lets editors check rules as you type.",
  });
}

/** Options of {@link loadRuleSet}. */
export interface LoadRuleSetOptions {
  profile: Profile;
  /** More rule files or folders (absolute, or relative to the profile's folder). */
  extraPaths?: string[];
  /**
   * Load the builtin rules.
   * @default true
   */
  builtin?: boolean;
  /** Folder of the builtin rules. @default the package's `rules/` folder */
  builtinDir?: string;
  /**
   * The builtin rules validated at build time ({@link writeBuiltinRulesSnapshot}), used while it
   * matches the files byte for byte. @default `builtin-rules.snapshot.json` beside this module
   * (absent from the sources, present in `dist/` after `npm run build`)
   */
  snapshotFile?: string;
}

/**
 * Loads the builtin rules plus the profile's `rules.paths` and `extraPaths`, then applies
 * `rules.disable`, `rules.severity` and `rules.params`. Throws {@link LandlordError} on any problem.
 */
export async function loadRuleSet(options: LoadRuleSetOptions): Promise<RuleSet> {
  const { profile } = options;
  const files: RuleFile[] = [];
  if (options.builtin !== false) {
    const dir = options.builtinDir ?? (await builtinRulesDir());
    const builtinFiles = await ruleFilesIn(dir);
    const snapshot = await readSnapshot<{ definition: RuleDefinition }>(
      options.snapshotFile ?? builtinRulesSnapshotFile(),
      dir,
      builtinFiles,
    );
    for (const file of builtinFiles) {
      const definition = snapshot?.get(file)?.definition;
      files.push({ file, builtin: true, ...(definition ? { definition } : {}) });
    }
  }
  for (const entry of [...profile.rules.paths, ...(options.extraPaths ?? [])]) {
    for (const file of await ruleFilesIn(path.resolve(profile.baseDir, entry)))
      files.push({ file, builtin: false });
  }
  const rules = await loadRules(files);
  return applyProfile(rules, profile);
}

/** A rule file to load, with its validated definition when a snapshot holds it. */
export interface RuleFile {
  file: string;
  builtin: boolean;
  definition?: RuleDefinition;
}

/** Loads rule files and refuses duplicate ids. */
export async function loadRules(files: readonly RuleFile[]): Promise<LoadedRule[]> {
  const errors: ErrorDetail[] = [];
  const rules: LoadedRule[] = [];
  const byId = new Map<string, LoadedRule>();
  for (const { file, builtin, definition } of files) {
    try {
      const rule = await loadRuleFile(file, builtin, definition);
      const existing = byId.get(rule.definition.id);
      if (existing) {
        errors.push({
          message: `id: duplicate rule id "${rule.definition.id}", already defined in ${existing.file}`,
          location: { file, line: 1, field: "id" },
          hint: "Rule ids are unique. To replace a builtin rule, disable it in rules.disable and give yours another id.",
        });
        continue;
      }
      byId.set(rule.definition.id, rule);
      rules.push(rule);
    } catch (error) {
      if (!(error instanceof LandlordError)) throw error;
      errors.push(
        ...(error.details.length > 0 ? error.details : [{ message: error.message, location: { file } }]),
      );
    }
  }
  if (errors.length > 0) {
    throw new LandlordError(
      "invalid-rule",
      `${errors.length} problem${errors.length > 1 ? "s" : ""} in rule files`,
      {
        details: errors,
        hint: "Fix the rule files named above; `landlord rules validate <paths>` checks them without scanning.",
      },
    );
  }
  return rules.sort((a, b) => (a.definition.id < b.definition.id ? -1 : 1));
}

/** Applies `rules.disable`, `rules.severity` and `rules.params`; unknown ids or params are errors. */
export function applyProfile(rules: readonly LoadedRule[], profile: Profile): RuleSet {
  const byId = new Map(rules.map((rule) => [rule.definition.id, rule]));
  const errors: ErrorDetail[] = [];
  const where = (field: string) => ({ file: profile.file ?? "landlord.yaml", field });
  const known = () => `known rules: ${[...byId.keys()].join(", ")}`;
  for (const id of profile.rules.disable) {
    if (!byId.has(id))
      errors.push({
        message: `rules.disable: unknown rule "${id}"`,
        location: where("rules.disable"),
        hint: known(),
      });
  }
  for (const id of Object.keys(profile.rules.severity)) {
    if (!byId.has(id))
      errors.push({
        message: `rules.severity: unknown rule "${id}"`,
        location: where(`rules.severity.${id}`),
        hint: known(),
      });
  }
  for (const [id, params] of Object.entries(profile.rules.params)) {
    const rule = byId.get(id);
    if (!rule) {
      errors.push({
        message: `rules.params: unknown rule "${id}"`,
        location: where(`rules.params.${id}`),
        hint: known(),
      });
      continue;
    }
    errors.push(...checkParams(rule.definition, params, where(`rules.params.${id}`)));
  }
  if (errors.length > 0) {
    throw new LandlordError("invalid-profile", "rules settings in the profile name unknown rules or params", {
      details: errors,
      hint: "Run `landlord rules list` to see rule ids, and `landlord rules explain <id>` for their params.",
    });
  }
  const disabled = new Set(profile.rules.disable);
  const active = rules
    .filter((rule) => !disabled.has(rule.definition.id))
    .map((rule) =>
      withOverrides(
        rule,
        profile.rules.severity[rule.definition.id],
        profile.rules.params[rule.definition.id],
      ),
    );
  return { rules: active, disabled: [...disabled].sort() };
}

/** Checks param overrides against the rule's declared params: known names, same kind of value. */
export function checkParams(
  definition: RuleDefinition,
  params: Record<string, unknown>,
  location: { file: string; field: string },
): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (!(name in definition.params)) {
      errors.push({
        message: `${location.field}.${name}: rule ${definition.id} has no param "${name}"`,
        location,
        hint: `params of ${definition.id}: ${Object.keys(definition.params).join(", ") || "(none)"}`,
      });
    } else if (kind(definition.params[name]) !== kind(value)) {
      errors.push({
        message: `${location.field}.${name}: expected a ${kind(definition.params[name])}, got a ${kind(value)}`,
        location,
      });
    }
  }
  return errors;
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return "list";
  if (value === null) return "null";
  return typeof value === "object" ? "mapping" : typeof value;
}

/** A copy of the rule with a severity and params from the profile. */
export function withOverrides(
  rule: LoadedRule,
  severity: LoadedRule["severity"] | undefined,
  params: Record<string, unknown> | undefined,
): LoadedRule {
  if (severity === undefined && params === undefined) return rule;
  return { ...rule, severity: severity ?? rule.severity, params: { ...rule.params, ...params } };
}

/** Metadata of the rules that ran, for the report. */
export function ruleSummaries(ruleSet: RuleSet): RuleSummary[] {
  return ruleSet.rules.map((rule) => {
    const { definition } = rule;
    const summary: RuleSummary = {
      id: definition.id,
      title: definition.title,
      severity: rule.severity,
      category: definition.category,
      description: definition.description.trim(),
    };
    if (definition.rationale) summary.rationale = definition.rationale.trim();
    if (definition.remediation) summary.remediation = definition.remediation.trim();
    if (definition.references.length > 0) summary.references = definition.references;
    return summary;
  });
}

/**
 * Whether any rule reads resource tags: a per-resource rule whose condition or data expressions
 * name `tags` (as `resource.tags` or `resource["tags"]`). Conservative: a mention anywhere in an
 * expression counts, so a scan never drops tags a rule could look at.
 */
export function readsTags(ruleSet: RuleSet): boolean {
  return ruleSet.rules.some(
    ({ definition }) =>
      definition.scope === "resource" &&
      [definition.condition ?? "", ...Object.values(definition.data)].some((source) =>
        /\btags\b/.test(source),
      ),
  );
}
