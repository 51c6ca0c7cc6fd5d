/**
 * The pipeline, wired once: collectors -> inventory -> catalog enrichment -> rules -> report.
 * Every stage below is a function of its inputs; this module is where they meet.
 */
import path from "node:path";
import { enrichResources, loadCatalog } from "./catalog/index.js";
import type { EnrichedResource } from "./catalog/types.js";
import { collectSources } from "./collectors/index.js";
import type { CloudOverrides, CollectResult, ProgressSink, Shard } from "./collectors/types.js";
import { doraEstate } from "./compliance/dora/estate.js";
import type { Diagnostic } from "./diagnostics.js";
import { MergedInventory } from "./inventory/normalize.js";
import type { Resource } from "./inventory/types.js";
import type { Profile } from "./profile/load.js";
import type { SourceEntry } from "./profile/schema.js";
import { analyzeEstate } from "./report/analysis.js";
import { applyBaseline, loadBaseline } from "./report/baseline.js";
import { buildReport } from "./report/build.js";
import { inventoryRows } from "./report/inventory.js";
import type { Report } from "./report/types.js";
import { applyWaivers, loadWaivers } from "./report/waivers.js";
import { evaluateRules, loadRuleSet, readsTags, ruleSummaries } from "./rules/index.js";
import { VERSION } from "./version.js";

/** Options shared by `collect` and `scan`. */
export interface CollectOptions {
  profile: Profile;
  /** Inventory files to read instead of the profile's sources (`--inventory`, repeatable). */
  inventoryFiles?: readonly string[];
  /** Sources read in addition (e.g. `--terraform-plan`). */
  extraSources?: readonly SourceEntry[];
  /** Environment variables for the cloud SDKs' credential chains. @default {} */
  env?: Record<string, string | undefined>;
  /** Folder file paths are shown relative to. @default the profile's folder */
  displayRoot?: string;
  progress?: ProgressSink;
  shard?: Shard;
  overrides?: CloudOverrides;
  signal?: AbortSignal;
  /**
   * Keep every resource's tags after its attributes are derived. A scan whose rules never read
   * tags lets them go as each record is read. @default true
   */
  keepTags?: boolean;
}

export interface ScanOptions extends CollectOptions {
  /** The scan time: certification validity, waiver expiry and `generatedAt` use it. */
  scanTime: Date;
  /** Put the enriched inventory in the report (`report.inventory`, for `inventory-csv`). @default false */
  includeInventory?: boolean;
  /** Put the DORA register data in the report (`report.dora`) even without a `dora:` profile section. @default false */
  includeDora?: boolean;
  /** A saved JSON report: findings whose fingerprint it lacks are marked `new`. */
  baselineFile?: string;
}

/** The normalized inventory of a collection run. */
export interface Inventory {
  resources: CollectResult["resources"];
  diagnostics: Diagnostic[];
  coverage: CollectResult["coverage"];
}

/** Collects and normalizes the inventory: sources, derived attributes, merged duplicates. */
export async function collectInventory(options: CollectOptions): Promise<Inventory> {
  const { profile } = options;
  const keepTags = options.keepTags ?? true;
  const merged = new MergedInventory();
  const sources: SourceEntry[] = options.inventoryFiles?.length
    ? options.inventoryFiles.map((file) => ({
        file: path.resolve(options.displayRoot ?? profile.baseDir, file),
      }))
    : [...profile.sources];
  if (options.extraSources) sources.push(...options.extraSources);
  const context = {
    baseDir: profile.baseDir,
    displayRoot: options.displayRoot ?? profile.baseDir,
    env: options.env ?? {},
    progress: options.progress ?? (() => {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    // Each resource is normalized and merged as soon as it is read, while it is young in the heap
    // and its id is in the processor's cache.
    normalization: { tagKeys: profile.tagKeys, keepTags },
    accept: (resource: Resource, hash?: number): void => merged.add(resource, hash),
  };
  const collected = await collectSources(sources, context);
  return {
    resources: merged.resources,
    diagnostics: [...collected.diagnostics, ...merged.diagnostics()],
    coverage: collected.coverage,
  };
}

/** Everything a scan computed, for callers that need more than the report (e.g. exit impact). */
export interface ScanResult {
  report: Report;
  resources: EnrichedResource[];
}

/** Runs a whole scan and returns the report. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const { profile, scanTime } = options;
  const ruleSet = await loadRuleSet({ profile });
  const catalog = await loadCatalog(
    profile.catalog ? { overrideFile: path.resolve(profile.baseDir, profile.catalog) } : {},
  );
  // Read every file the scan depends on before collecting, so a typo fails fast (exit 2).
  const waivers = profile.waivers
    ? await loadWaivers(path.resolve(profile.baseDir, profile.waivers))
    : undefined;
  const baseline = options.baselineFile ? await loadBaseline(options.baselineFile) : undefined;
  // Tags are let go as they are read unless a rule reads them.
  const inventory = await collectInventory({ ...options, keepTags: options.keepTags ?? readsTags(ruleSet) });
  const enriched = enrichResources(inventory.resources, catalog, { scanTime, inPlace: true });
  let findings = evaluateRules(ruleSet, enriched.resources, { profile, scanTime, catalog });
  const waiverDiagnostics: Diagnostic[] = [];
  if (waivers) {
    const waived = applyWaivers(findings, waivers, { scanTime });
    findings = waived.findings;
    waiverDiagnostics.push(...waived.diagnostics);
  }
  if (baseline) findings = applyBaseline(findings, baseline);
  const report = buildReport({
    profile,
    resources: enriched.resources,
    findings,
    diagnostics: [...inventory.diagnostics, ...enriched.diagnostics, ...waiverDiagnostics],
    coverage: inventory.coverage,
    rules: ruleSummaries(ruleSet),
    scanTime,
    toolVersion: VERSION,
    catalogVersion: catalog.version,
  });
  report.analysis = analyzeEstate(enriched.resources, { profile, findings });
  if (profile.dora || options.includeDora) report.dora = doraEstate(enriched.resources, profile);
  if (options.includeInventory) report.inventory = inventoryRows(enriched.resources);
  return { report, resources: enriched.resources };
}
