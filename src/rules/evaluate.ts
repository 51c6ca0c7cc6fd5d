/**
 * Rule evaluation: pure and deterministic. No files, no clock (the scan time is passed in).
 *
 * One pass over the resources serves every rule. Each rule's declarative match is checked first
 * with precomputed facts (sets of sensitive and critical values, provider views cached per
 * provider), and a resource reaches a CEL expression only when the match holds. The CEL view of a
 * resource is built at most once, and only for resources that reach an expression.
 */
import picomatch from "picomatch";
import { type Catalog, satisfiesCertification } from "../catalog/index.js";
import type { EnrichedResource } from "../catalog/types.js";
import { LandlordError } from "../diagnostics.js";
import type { Profile } from "../profile/load.js";
import type { Finding } from "../report/types.js";
import { type CompiledExpression, fromCel } from "./cel.js";
import { canonicalSubject, resourceFingerprint, subjectFingerprint } from "./fingerprint.js";
import { renderTemplate } from "./message.js";
import { resourceOrder } from "./order.js";
import type { GroupKey, RuleMatch } from "./schema.js";
import type { LoadedRule, RuleSet } from "./types.js";
import {
  type CertificationCheck,
  exactCertificationCheck,
  type OrgView,
  orgView,
  PRODUCTION_ENVIRONMENTS,
  type ProviderView,
  providerView,
  type RegionView,
  type ResourceFlags,
  regionView,
  resourceView,
} from "./views.js";

/** What evaluation needs besides rules and resources. */
export interface EvaluationContext {
  profile: Profile;
  /** Scan time; rules that look at dates (certification validity) judge at this instant. */
  scanTime: Date;
  /**
   * The catalog the resources were enriched with: lets `resource.missingCertifications` rank
   * certification levels (`csap-high` satisfies `csap-medium`). Without it, ids must match exactly.
   */
  catalog?: Catalog;
}

type Matcher = (resource: EnrichedResource, flags: ResourceFlags, provider: ProviderView) => boolean;

/** Evaluates every rule over the resources. Findings are sorted by rule id, then resource or subject. */
export function evaluateRules(
  ruleSet: RuleSet,
  resources: readonly EnrichedResource[],
  context: EvaluationContext,
): Finding[] {
  const org = orgView(context.profile);
  const catalog = context.catalog;
  const satisfies: CertificationCheck =
    catalog === undefined
      ? exactCertificationCheck
      : (required, held) => satisfiesCertification(catalog, required, held);
  const sensitiveClasses = new Set(org.sensitiveClasses);
  const criticalValues = new Set(org.criticalValues);
  const providers = new Map<string, ProviderView>();
  const regions = new Map<string, Map<string, RegionView>>();

  const resourceRules = ruleSet.rules
    .filter((rule) => rule.definition.scope === "resource")
    .map((rule) => prepareResourceRule(rule, org));
  const aggregateRules = ruleSet.rules.filter((rule) => rule.definition.scope === "aggregate");
  // Aggregate rules with the same match share one cell tree.
  const rulesByMatch = new Map<string, LoadedRule[]>();
  for (const rule of aggregateRules) {
    const key = JSON.stringify(rule.definition.match);
    rulesByMatch.set(key, [...(rulesByMatch.get(key) ?? []), rule]);
  }
  const treesByMatch = new Map<string, { matcher: Matcher; tree: CellTree }>();
  for (const [key, rules] of rulesByMatch) {
    treesByMatch.set(key, {
      matcher: compileMatch(rules[0]!.definition.match, org),
      tree: new CellTree(rulesRead(rules, "vendors"), rulesRead(rules, "proprietary")),
    });
  }
  const trees = [...treesByMatch.values()];

  // A workload is critical when any of its resources is: known once every resource has been seen,
  // and given to the cells after the loop.
  const criticalWorkloads = new Set<string>();
  const places = new CellPlaces();

  const evaluation: ResourceEvaluation = {
    activation: {
      resource: undefined,
      provider: undefined,
      region: undefined,
      org,
      params: undefined,
      scanTime: context.scanTime,
    },
    resource: undefined as unknown as EnrichedResource,
    flags: { sensitive: false, critical: false, production: false },
    provider: undefined as unknown as ProviderView,
    region: undefined as unknown as RegionView,
    view: undefined,
    satisfies,
    org,
    sensitiveClasses,
    criticalValues,
  };
  const flags = evaluation.flags;
  let lastProviderId: string | undefined;
  let lastProvider: ProviderView | undefined;

  for (const resource of resources) {
    let provider: ProviderView;
    if (resource.provider === lastProviderId && lastProvider !== undefined) {
      provider = lastProvider;
    } else {
      provider = providers.get(resource.provider) ?? cacheProvider(providers, resource, org);
      lastProviderId = resource.provider;
      lastProvider = provider;
    }
    setFlags(flags, resource, sensitiveClasses, criticalValues);
    if (flags.critical && resource.workload !== undefined) criticalWorkloads.add(resource.workload);

    let prepared = false;
    for (let index = 0; index < resourceRules.length; index++) {
      const compiled = resourceRules[index]!;
      if (!compiled.matcher(resource, flags, provider)) continue;
      if (!prepared) {
        prepared = true;
        prepareEvaluation(evaluation, resource, provider, regions);
      }
      evaluation.activation["params"] = compiled.rule.params;
      if (
        compiled.condition !== undefined &&
        evaluateCached(compiled, compiled.condition, evaluation) !== true
      )
        continue;
      compiled.matched.push(resource);
    }
    let place = -1;
    for (const { matcher, tree } of trees) {
      if (!matcher(resource, flags, provider)) continue;
      if (place === -1) place = places.indexOf(resource, provider);
      tree.add(resource, flags, place);
    }
  }

  const cellsByMatch = new Map<string, Cell[]>();
  for (const [key, { tree }] of treesByMatch) cellsByMatch.set(key, tree.cells(places, criticalWorkloads));

  // Each rule's findings in their order: by provider and resource id, or by subject.
  const byRule = new Map<string, Finding[]>();
  for (const compiled of resourceRules) {
    byRule.set(compiled.rule.definition.id, resourceFindings(compiled, evaluation, providers, regions));
    compiled.matched = [];
  }
  for (const rule of aggregateRules) {
    const cells = cellsByMatch.get(JSON.stringify(rule.definition.match))!;
    byRule.set(rule.definition.id, bySubject(aggregateFindings(rule, cells, org, context.scanTime)));
  }
  const findings: Finding[] = [];
  for (const id of [...byRule.keys()].sort()) {
    for (const finding of byRule.get(id)!) findings.push(finding);
  }
  return findings;
}

/**
 * The findings of a per-resource rule, by provider and resource id. The order is worked out on the
 * matched resources, then each finding is made in the inventory's order, which reads the
 * resources one after another, and put straight at its place: no sorted copy of hundreds of
 * thousands of findings is made afterwards. (Making them in the reported order instead reads the
 * resources in a scattered order, which cost more than it saved later.)
 */
function resourceFindings(
  compiled: ResourceRule,
  evaluation: ResourceEvaluation,
  providers: ReadonlyMap<string, ProviderView>,
  regions: Map<string, Map<string, RegionView>>,
): Finding[] {
  const { matched } = compiled;
  const order = resourceOrder(
    matched,
    (resource) => resource.provider,
    (resource) => resource.id,
  );
  const rankOf = new Int32Array(matched.length);
  if (order === undefined) for (let rank = 0; rank < matched.length; rank++) rankOf[rank] = rank;
  else for (let rank = 0; rank < matched.length; rank++) rankOf[order[rank]!] = rank;
  const findings: Finding[] = new Array(matched.length);
  const { sensitiveClasses, criticalValues } = evaluation;
  for (let index = 0; index < matched.length; index++) {
    const resource = matched[index]!;
    const provider = providers.get(resource.provider)!;
    setFlags(evaluation.flags, resource, sensitiveClasses, criticalValues);
    prepareEvaluation(evaluation, resource, provider, regions);
    evaluation.activation["params"] = compiled.rule.params;
    findings[rankOf[index]!] = resourceFinding(compiled, evaluation);
  }
  return findings;
}

/**
 * A CEL expression of a per-resource rule. Most expressions look only at the provider, the region
 * and the organisation (not at `resource`): their value is the same for every resource of one
 * provider region, so it is computed once per region view and shared.
 */
interface CachedExpression {
  evaluate: CompiledExpression;
  /** Values by region view (a region view belongs to one provider); undefined: depends on the resource. */
  byRegion: Map<RegionView, unknown> | undefined;
}

/** A per-resource rule ready for the resource loop, collecting its own findings. */
interface ResourceRule {
  rule: LoadedRule;
  matcher: Matcher;
  condition: CachedExpression | undefined;
  /** How each `data` value of a finding is computed, in the rule's data key order. */
  data: DataStep[];
  /** The resources the rule matched, in the inventory's order: their findings are made afterwards. */
  matched: EnrichedResource[];
}

/** One `data` value of a per-resource finding: an expression, a parameter, or a standard placeholder. */
type DataStep =
  | { key: string; expression: CachedExpression }
  | { key: string; expression: undefined; value: unknown }
  | { key: string; expression: undefined; value: undefined; standard: string };

/** The resource being evaluated, shared by the per-rule steps of one resource. */
interface ResourceEvaluation {
  activation: Record<string, unknown>;
  resource: EnrichedResource;
  flags: ResourceFlags;
  provider: ProviderView;
  region: RegionView;
  /** The CEL view of the resource, built on first use. */
  view: Record<string, unknown> | undefined;
  satisfies: CertificationCheck;
  org: OrgView;
  sensitiveClasses: ReadonlySet<string>;
  criticalValues: ReadonlySet<string>;
}

// Conservative: the word anywhere in the source (even in a string literal) counts as a use.
const USES_RESOURCE = /\bresource\b/;

function cachedExpression(evaluate: CompiledExpression, source: string): CachedExpression {
  return { evaluate, byRegion: USES_RESOURCE.test(source) ? undefined : new Map() };
}

function prepareResourceRule(rule: LoadedRule, org: OrgView): ResourceRule {
  const { definition } = rule;
  const expressions = new Map(rule.data);
  const data: DataStep[] = rule.dataKeys.map((key): DataStep => {
    const expression = expressions.get(key);
    if (expression !== undefined) {
      return { key, expression: cachedExpression(expression, definition.data[key] ?? "resource") };
    }
    if (key in rule.params) return { key, expression: undefined, value: fromCel(rule.params[key]) };
    return { key, expression: undefined, value: undefined, standard: key };
  });
  return {
    rule,
    matcher: compileMatch(definition.match, org),
    condition:
      rule.condition === undefined
        ? undefined
        : cachedExpression(rule.condition, definition.condition ?? "resource"),
    data,
    matched: [],
  };
}

/** Evaluates an expression for the current resource; data values come back JSON-safe. */
function evaluateCached(
  compiled: ResourceRule,
  expression: CachedExpression,
  evaluation: ResourceEvaluation,
  asData = false,
): unknown {
  const cache = expression.byRegion;
  if (cache !== undefined) {
    const known = cache.get(evaluation.region);
    if (known !== undefined || cache.has(evaluation.region)) return known;
  } else if (evaluation.view === undefined) {
    evaluation.view = resourceView(evaluation.resource, evaluation.flags, evaluation.satisfies);
    evaluation.activation["resource"] = evaluation.view;
  }
  const raw = run(compiled.rule, expression.evaluate, evaluation.activation, evaluation.resource.id);
  const value = asData ? fromCel(raw) : raw;
  cache?.set(evaluation.region, value);
  return value;
}

/** Findings of an aggregate rule by subject (keys sorted); ties keep their evaluation order. */
function bySubject(findings: Finding[]): Finding[] {
  const keys = findings.map((finding) => canonicalSubject(finding.subject ?? {}));
  let ordered = true;
  for (let index = 1; index < keys.length && ordered; index++) ordered = keys[index - 1]! <= keys[index]!;
  if (ordered) return findings;
  const order = keys.map((_, index) => index);
  order.sort((a, b) => {
    const left = keys[a]!;
    const right = keys[b]!;
    return left < right ? -1 : left > right ? 1 : a - b;
  });
  return order.map((index) => findings[index]!);
}

function cacheProvider(
  providers: Map<string, ProviderView>,
  resource: EnrichedResource,
  org: OrgView,
): ProviderView {
  const view = providerView(resource.providerFacts, org);
  providers.set(resource.provider, view);
  return view;
}

function regionFor(regions: Map<string, Map<string, RegionView>>, resource: EnrichedResource): RegionView {
  let byCode = regions.get(resource.provider);
  if (byCode === undefined) {
    byCode = new Map();
    regions.set(resource.provider, byCode);
  }
  const code = resource.regionFacts.code;
  let view = byCode.get(code);
  if (view === undefined) {
    view = regionView(resource.regionFacts);
    byCode.set(code, view);
  }
  return view;
}

/** Points the shared evaluation at a resource: its provider and region views, no CEL view yet. */
function prepareEvaluation(
  evaluation: ResourceEvaluation,
  resource: EnrichedResource,
  provider: ProviderView,
  regions: Map<string, Map<string, RegionView>>,
): void {
  evaluation.resource = resource;
  evaluation.provider = provider;
  evaluation.region = regionFor(regions, resource);
  evaluation.view = undefined;
  evaluation.activation["provider"] = provider;
  evaluation.activation["region"] = evaluation.region;
}

function setFlags(
  flags: ResourceFlags,
  resource: EnrichedResource,
  sensitiveClasses: ReadonlySet<string>,
  criticalValues: ReadonlySet<string>,
): void {
  flags.sensitive = isIn(sensitiveClasses, resource.classification);
  flags.critical = isIn(criticalValues, resource.criticality);
  flags.production = resource.environment === undefined || PRODUCTION_ENVIRONMENTS.has(resource.environment);
}

function isIn(set: ReadonlySet<string>, value: string | undefined): boolean {
  return value !== undefined && set.has(value);
}

/** Turns a declarative match into one predicate; only the fields given are checked. */
export function compileMatch(match: RuleMatch, org: OrgView): Matcher {
  const checks: Matcher[] = [];
  if (match.anyOf) {
    const alternatives = match.anyOf.map((alternative) => compileMatch(alternative, org));
    checks.push((resource, flags, provider) =>
      alternatives.some((alternative) => alternative(resource, flags, provider)),
    );
  }
  if (match.provider) {
    const allowed = new Set(match.provider);
    checks.push((resource) => allowed.has(resource.provider));
  }
  if (match.notProvider) {
    const ignored = new Set(match.notProvider);
    checks.push((resource) => !ignored.has(resource.provider));
  }
  if (match.type) {
    const isType = picomatch(match.type, { nocase: true });
    checks.push((resource) => resource.type !== undefined && isType(resource.type));
  }
  if (match.classification) {
    const values = new Set(match.classification.map((value) => value.toLowerCase()));
    checks.push((resource) => isIn(values, resource.classification));
  }
  if (match.environment) {
    const values = new Set(match.environment.map((value) => value.toLowerCase()));
    checks.push((resource) => isIn(values, resource.environment));
  }
  const { sensitive, critical, production, vendor, competitor, listed, residency, classified } = match;
  if (sensitive !== undefined) checks.push((_, flags) => flags.sensitive === sensitive);
  if (critical !== undefined) checks.push((_, flags) => flags.critical === critical);
  if (production !== undefined) checks.push((_, flags) => flags.production === production);
  if (vendor !== undefined)
    checks.push((resource) => (resource.vendor !== undefined && resource.vendor !== "") === vendor);
  if (competitor !== undefined) checks.push((_, __, provider) => provider.competitor === competitor);
  if (listed !== undefined) checks.push((_, __, provider) => provider.orgLists.length > 0 === listed);
  if (residency !== undefined) {
    checks.push(
      (resource) => (resource.residency !== undefined && resource.residency.length > 0) === residency,
    );
  }
  if (classified !== undefined) {
    checks.push(
      (resource) => (resource.classification !== undefined && resource.classification !== "") === classified,
    );
  }
  const { certificationRequired, publicSector } = match;
  if (certificationRequired !== undefined) {
    checks.push(
      (resource) =>
        (resource.requiredCertifications !== undefined && resource.requiredCertifications.length > 0) ===
        certificationRequired,
    );
  }
  if (publicSector !== undefined) {
    const organisationPublic = org.sector === "public";
    checks.push(
      (resource) =>
        (resource.sector === "public" || ((resource.sector ?? "") === "" && organisationPublic)) ===
        publicSector,
    );
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (resource, flags, provider) => {
    for (const check of checks) if (!check(resource, flags, provider)) return false;
    return true;
  };
}

function run(
  rule: LoadedRule,
  expression: CompiledExpression,
  activation: Record<string, unknown>,
  where: string,
): unknown {
  try {
    return expression(activation);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0] ?? String(error);
    throw new LandlordError(
      "rule-evaluation-failed",
      `rule ${rule.definition.id} failed on ${where}: ${reason}`,
      {
        details: [{ message: reason, location: { file: rule.file, field: "condition" } }],
        hint: 'Guard optional values in the expression, e.g. `"env" in resource.tags && resource.tags["env"] == "prod"`.',
      },
    );
  }
}

function resourceFinding(compiled: ResourceRule, evaluation: ResourceEvaluation): Finding {
  const { rule } = compiled;
  const { resource } = evaluation;
  const data: Record<string, unknown> = {};
  for (const step of compiled.data) {
    if (step.expression !== undefined) {
      data[step.key] = evaluateCached(compiled, step.expression, evaluation, true);
    } else if ("standard" in step) data[step.key] = fromCel(standardValue(step.standard, evaluation));
    else data[step.key] = step.value;
  }
  return {
    ruleId: rule.definition.id,
    severity: rule.severity,
    category: rule.definition.category,
    resourceId: resource.id,
    provider: resource.provider,
    subject: null,
    message: renderTemplate(rule.template, data),
    data,
    fingerprint: resourceFingerprint(rule.definition.id, resource.provider, resource.id),
    waived: false,
  };
}

/** The values of the placeholders every per-resource rule can use. */
function standardValue(name: string, evaluation: ResourceEvaluation): unknown {
  const { resource, provider, region } = evaluation;
  switch (name) {
    case "resource":
      return resource.id;
    case "resourceName":
      return resource.name ?? resource.id;
    case "provider":
      return resource.provider;
    case "providerName":
      return provider.name;
    case "parent":
      return provider.parent;
    case "parentName":
      return provider.parentName;
    case "region":
      return resource.region ?? "";
    case "country":
      return region.country;
    case "type":
      return resource.type ?? "";
    case "classification":
      return resource.classification ?? "";
    case "workload":
      return resource.workload ?? "";
    case "environment":
      return resource.environment ?? "";
    case "criticality":
      return resource.criticality ?? "";
    case "vendor":
      return resource.vendor ?? "";
    case "organization":
      return evaluation.org.name;
    default:
      return undefined;
  }
}

/** Placeholder names every per-resource rule can use without declaring them in `data`. */
export const RESOURCE_PLACEHOLDERS = [
  "resource",
  "resourceName",
  "provider",
  "providerName",
  "parent",
  "parentName",
  "region",
  "country",
  "type",
  "classification",
  "workload",
  "environment",
  "criticality",
  "vendor",
  "organization",
] as const;

/** Placeholder names every aggregate rule can use (plus the group keys it groups by). */
export const AGGREGATE_PLACEHOLDERS = [
  "providerName",
  "parentName",
  "competitorReason",
  "competition",
  "resources",
  "share",
  "criticalResources",
  "criticalWorkloads",
  "criticalWorkloadShare",
  "classified",
  "coverage",
  "hhi",
  "parentHhi",
  "providers",
  "parents",
  "regions",
  "countries",
  "workloads",
  "vendors",
  "proprietaryServices",
  "totalResources",
  "totalCriticalWorkloads",
  "organization",
] as const;

function findingData(
  rule: LoadedRule,
  activation: Record<string, unknown>,
  standard: (name: string) => unknown,
  where: string,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const declared = new Map(rule.data);
  for (const key of rule.dataKeys) {
    const expression = declared.get(key);
    if (expression !== undefined) data[key] = fromCel(run(rule, expression, activation, where));
    else if (key in rule.params) data[key] = fromCel(rule.params[key]);
    else data[key] = fromCel(standard(key));
  }
  return data;
}

type Proprietary = Map<string, { service: string; types: Set<string>; equivalents: Record<string, string> }>;

/**
 * Resources that share provider, region and workload. Aggregate rules group cells, not resources:
 * the per-resource work is a cached lookup and a few counter increments, whatever the rules.
 */
interface Cell {
  provider: ProviderView;
  region: string | undefined;
  country: string | undefined;
  workload: string | undefined;
  workloadCritical: boolean;
  resources: number;
  criticalResources: number;
  classified: number;
  vendors: Set<string> | undefined;
  proprietary: Proprietary | undefined;
}

/** What every cell of one provider, region and workload shares, whichever rule's tree it is in. */
type CellPlace = Pick<Cell, "provider" | "region" | "country" | "workload">;

/**
 * Numbers the (provider, region, workload) places of the resources, once per resource for all the
 * cell trees: the nested lookup is the costly part of grouping, and every tree would repeat it.
 */
class CellPlaces {
  readonly places: CellPlace[] = [];
  readonly #byProvider = new Map<string, Map<string, Map<string, number>>>();
  #last = -1;
  #lastProvider = "";
  #lastRegion: string | undefined;
  #lastWorkload: string | undefined;

  indexOf(resource: EnrichedResource, provider: ProviderView): number {
    if (
      this.#last !== -1 &&
      resource.provider === this.#lastProvider &&
      resource.region === this.#lastRegion &&
      resource.workload === this.#lastWorkload
    ) {
      return this.#last;
    }
    this.#lastProvider = resource.provider;
    this.#lastRegion = resource.region;
    this.#lastWorkload = resource.workload;
    let byRegion = this.#byProvider.get(resource.provider);
    if (byRegion === undefined) {
      byRegion = new Map();
      this.#byProvider.set(resource.provider, byRegion);
    }
    const regionKey = resource.region ?? "";
    let byWorkload = byRegion.get(regionKey);
    if (byWorkload === undefined) {
      byWorkload = new Map();
      byRegion.set(regionKey, byWorkload);
    }
    const workloadKey = resource.workload ?? "";
    let index = byWorkload.get(workloadKey);
    if (index === undefined) {
      const workload = workloadKey === "" ? undefined : workloadKey;
      index = this.places.length;
      this.places.push({
        provider,
        region: regionKey === "" ? undefined : regionKey,
        country: resource.regionFacts.country,
        workload,
      });
      byWorkload.set(workloadKey, index);
    }
    this.#last = index;
    return index;
  }
}

/**
 * The cells of the resources one declarative match selects; rules with equal matches share one.
 * Counters live in typed arrays indexed by place: a million increments then touch a few small
 * contiguous arrays instead of as many cell objects scattered over the heap. Vendors and
 * proprietary services, which need sets, are kept only when a rule of the tree reads them.
 */
class CellTree {
  #resources = new Int32Array(1024);
  #critical = new Int32Array(1024);
  #classified = new Int32Array(1024);
  /** Places in the order their first resource was seen. */
  readonly #order: number[] = [];
  readonly #vendors = new Map<number, Set<string>>();
  readonly #proprietary = new Map<number, Proprietary>();

  constructor(
    readonly tracksVendors: boolean,
    readonly tracksProprietary: boolean,
  ) {}

  add(resource: EnrichedResource, flags: ResourceFlags, place: number): void {
    if (place >= this.#resources.length) this.#grow(place);
    const seen = this.#resources[place]!;
    this.#resources[place] = seen + 1;
    if (seen === 0) this.#order.push(place);
    if (flags.critical) this.#critical[place] = this.#critical[place]! + 1;
    if (resource.classification !== undefined && resource.classification !== "") {
      this.#classified[place] = this.#classified[place]! + 1;
    }
    if (this.tracksVendors && resource.vendor) {
      let vendors = this.#vendors.get(place);
      if (vendors === undefined) {
        vendors = new Set();
        this.#vendors.set(place, vendors);
      }
      vendors.add(resource.vendor);
    }
    const lockIn = resource.lockIn;
    if (this.tracksProprietary && lockIn !== undefined && lockIn.class === "proprietary") {
      let proprietary = this.#proprietary.get(place);
      if (proprietary === undefined) {
        proprietary = new Map();
        this.#proprietary.set(place, proprietary);
      }
      const known = proprietary.get(lockIn.service);
      if (known) known.types.add(resource.type ?? "");
      else {
        proprietary.set(lockIn.service, {
          service: lockIn.service,
          types: new Set([resource.type ?? ""]),
          equivalents: lockIn.equivalents,
        });
      }
    }
  }

  /** The cells, in the order their first resource was seen. */
  cells(places: CellPlaces, criticalWorkloads: ReadonlySet<string>): Cell[] {
    return this.#order.map((place) => {
      const at = places.places[place]!;
      return {
        provider: at.provider,
        region: at.region,
        country: at.country,
        workload: at.workload,
        workloadCritical: at.workload !== undefined && criticalWorkloads.has(at.workload),
        resources: this.#resources[place]!,
        criticalResources: this.#critical[place]!,
        classified: this.#classified[place]!,
        vendors: this.#vendors.get(place),
        proprietary: this.#proprietary.get(place),
      };
    });
  }

  #grow(place: number): void {
    const size = Math.max(place + 1, this.#resources.length * 2);
    const grown = (counts: Int32Array) => {
      const bigger = new Int32Array(size);
      bigger.set(counts);
      return bigger;
    };
    this.#resources = grown(this.#resources);
    this.#critical = grown(this.#critical);
    this.#classified = grown(this.#classified);
  }
}

/** Whether any of the rules reads `name` (in its condition, data or message): conservative. */
function rulesRead(rules: readonly LoadedRule[], name: string): boolean {
  return rules.some(({ definition }) =>
    [definition.condition ?? "", definition.message, ...Object.values(definition.data)].some((text) =>
      text.includes(name),
    ),
  );
}

interface Group {
  subject: Record<string, string>;
  resources: number;
  criticalResources: number;
  classified: number;
  critical: boolean;
  providers: Map<string, number>;
  parents: Map<string, number>;
  providerName: string;
  parentName: string;
  competitorReason: string;
  competition: string;
  regions: Set<string>;
  countries: Set<string>;
  workloads: Set<string>;
  criticalWorkloads: Set<string>;
  vendors: Set<string>;
  proprietary: Proprietary;
}

/** Groups one aggregate rule's cells and turns qualifying groups into findings. */
function aggregateFindings(
  rule: LoadedRule,
  cells: readonly Cell[],
  org: OrgView,
  scanTime: Date,
): Finding[] {
  const groupBy = rule.definition.aggregate!.groupBy;
  const unassigned = rule.definition.aggregate!.unassigned;
  const groups = new Map<string, Group>();
  const allCriticalWorkloads = new Set<string>();
  let totalResources = 0;
  let totalClassified = 0;
  for (const cell of cells) {
    totalResources += cell.resources;
    totalClassified += cell.classified;
    if (cell.workloadCritical) allCriticalWorkloads.add(cell.workload!);
    let key = "";
    let skip = false;
    for (let index = 0; index < groupBy.length; index++) {
      const value = groupValue(groupBy[index]!, cell, org) ?? unassigned;
      if (value === undefined) {
        skip = true;
        break;
      }
      key = index === 0 ? value : `${key}\0${value}`;
    }
    if (skip) continue;
    let group = groups.get(key);
    if (group === undefined) {
      const subject: Record<string, string> = {};
      const values = key.split("\0");
      groupBy.forEach((name, index) => {
        subject[name] = values[index]!;
      });
      group = {
        subject,
        resources: 0,
        criticalResources: 0,
        classified: 0,
        critical: false,
        providers: new Map(),
        parents: new Map(),
        providerName: cell.provider.name,
        parentName: cell.provider.parentName,
        competitorReason: cell.provider.competitorReason,
        competition: cell.provider.competition,
        regions: new Set(),
        countries: new Set(),
        workloads: new Set(),
        criticalWorkloads: new Set(),
        vendors: new Set(),
        proprietary: new Map(),
      };
      groups.set(key, group);
    }
    group.resources += cell.resources;
    group.criticalResources += cell.criticalResources;
    group.classified += cell.classified;
    if (cell.criticalResources > 0 || cell.workloadCritical) group.critical = true;
    const providerId = cell.provider.id;
    group.providers.set(providerId, (group.providers.get(providerId) ?? 0) + cell.resources);
    group.parents.set(cell.provider.parent, (group.parents.get(cell.provider.parent) ?? 0) + cell.resources);
    if (cell.region !== undefined) group.regions.add(cell.region);
    if (cell.country !== undefined) group.countries.add(cell.country);
    if (cell.workload !== undefined) group.workloads.add(cell.workload);
    if (cell.workloadCritical) group.criticalWorkloads.add(cell.workload!);
    if (cell.vendors) for (const vendor of cell.vendors) group.vendors.add(vendor);
    if (cell.proprietary) {
      for (const entry of cell.proprietary.values()) {
        const known = group.proprietary.get(entry.service);
        if (known) for (const type of entry.types) known.types.add(type);
        else group.proprietary.set(entry.service, { ...entry, types: new Set(entry.types) });
      }
    }
  }

  const totals = {
    resources: BigInt(totalResources),
    criticalWorkloads: BigInt(allCriticalWorkloads.size),
    classified: BigInt(totalClassified),
  };
  const activation: Record<string, unknown> = {
    group: undefined,
    totals,
    org,
    params: rule.params,
    scanTime,
  };
  const findings: Finding[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const view = groupView(group, totalResources, allCriticalWorkloads.size);
    activation["group"] = view;
    const where = canonicalSubject(group.subject);
    if (rule.condition !== undefined && run(rule, rule.condition, activation, where) !== true) continue;
    const standard = (name: string): unknown => {
      if (name in group.subject) return group.subject[name];
      if (name === "organization") return org.name;
      if (name === "totalResources") return totals.resources;
      if (name === "totalCriticalWorkloads") return totals.criticalWorkloads;
      return view[name];
    };
    const data = findingData(rule, activation, standard, where);
    const provider =
      group.subject["provider"] ?? (group.providers.size === 1 ? [...group.providers.keys()][0]! : null);
    findings.push({
      ruleId: rule.definition.id,
      severity: rule.severity,
      category: rule.definition.category,
      resourceId: null,
      provider,
      subject: group.subject,
      message: renderTemplate(rule.template, data),
      data,
      fingerprint: subjectFingerprint(rule.definition.id, group.subject),
      waived: false,
    });
  }
  return findings;
}

function groupValue(key: GroupKey, cell: Cell, org: OrgView): string | undefined {
  switch (key) {
    case "provider":
      return cell.provider.id;
    case "parent":
      return cell.provider.parent;
    case "region":
      return cell.region;
    case "country":
      return cell.country;
    case "workload":
      return cell.workload;
    case "organization":
      return org.name;
  }
}

/** Shares rounded to 4 decimals and HHI to an integer: readable data, identical across runs. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function hhi(counts: ReadonlyMap<string, number>, total: number): number {
  if (total === 0) return 0;
  let sum = 0;
  for (const count of counts.values()) {
    const percent = (count / total) * 100;
    sum += percent * percent;
  }
  return Math.round(sum);
}

function shares(counts: ReadonlyMap<string, number>, total: number, name: string): Record<string, unknown>[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id, count]) => ({ [name]: id, resources: BigInt(count), share: round4(count / total) }));
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

function groupView(
  group: Group,
  totalResources: number,
  totalCriticalWorkloads: number,
): Record<string, unknown> {
  const proprietary = [...group.proprietary.values()]
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))
    .map((entry) => ({
      service: entry.service,
      types: sorted(entry.types),
      equivalents: Object.keys(entry.equivalents)
        .sort()
        .map((provider) => `${provider}: ${entry.equivalents[provider]}`)
        .join("; "),
    }));
  return {
    key: group.subject,
    providerName: group.providerName,
    parentName: group.parentName,
    competitorReason: group.competitorReason,
    competition: group.competition,
    resources: BigInt(group.resources),
    share: totalResources === 0 ? 0 : round4(group.resources / totalResources),
    criticalResources: BigInt(group.criticalResources),
    criticalWorkloads: BigInt(group.criticalWorkloads.size),
    criticalWorkloadShare:
      totalCriticalWorkloads === 0 ? 0 : round4(group.criticalWorkloads.size / totalCriticalWorkloads),
    critical: group.critical,
    classified: BigInt(group.classified),
    coverage: group.resources === 0 ? 1 : round4(group.classified / group.resources),
    hhi: hhi(group.providers, group.resources),
    parentHhi: hhi(group.parents, group.resources),
    providers: sorted(group.providers.keys()),
    parents: sorted(group.parents.keys()),
    regions: sorted(group.regions),
    countries: sorted(group.countries),
    workloads: sorted(group.workloads),
    vendors: sorted(group.vendors),
    providerShares: shares(group.providers, group.resources, "provider"),
    parentShares: shares(group.parents, group.resources, "parent"),
    proprietary,
    proprietaryServices: proprietary.map((entry) => entry.service),
  };
}
