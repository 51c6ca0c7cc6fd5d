/**
 * Runs the profile's sources through their collectors. Cloud collectors are imported only when
 * their source is configured, so an offline scan never loads a cloud SDK.
 */
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { type Normalization, normalizeResource } from "../inventory/normalize.js";
import { type AcceptResource, readInventoryFile } from "../inventory/read.js";
import type { Resource } from "../inventory/types.js";
import { readVendorsManifest } from "../inventory/vendors.js";
import type { SourceEntry } from "../profile/schema.js";
import type { CollectContext, CollectResult, CoverageEntry } from "./types.js";

/** The kind of a source entry: its one key. */
export type SourceKind = "file" | "vendors" | "terraform" | "aws" | "azure" | "gcp";

export function sourceKind(entry: SourceEntry): SourceKind {
  return Object.keys(entry)[0] as SourceKind;
}

/**
 * Collects every source in order. Each resource is normalized and goes to `context.accept`, which
 * keeps what it needs: inventory files hand it every record as it is read, the other sources their
 * results.
 */
export async function collectSources(
  sources: readonly SourceEntry[],
  context: CollectContext & { normalization: Normalization; accept: AcceptResource },
): Promise<Omit<CollectResult, "resources">> {
  const diagnostics: Diagnostic[] = [];
  const coverage: CoverageEntry[] = [];
  for (const entry of sources) {
    const result = await collectSource(entry, context);
    if (!("file" in entry)) {
      for (const resource of result.resources)
        context.accept(normalizeResource(resource, context.normalization));
    }
    diagnostics.push(...result.diagnostics);
    coverage.push(...result.coverage);
  }
  return { diagnostics, coverage };
}

async function collectSource(entry: SourceEntry, context: CollectContext): Promise<CollectResult> {
  if ("file" in entry) {
    return fileSource("file", entry.file, context, async (file, shown) => ({
      resources: await readInventoryFile(file, shown, {
        ...(context.normalization ? { normalization: context.normalization } : {}),
        ...(context.accept ? { accept: context.accept } : {}),
      }),
    }));
  }
  if ("vendors" in entry) {
    return fileSource("vendors", entry.vendors, context, async (file, shown) => ({
      resources: await readVendorsManifest(file, shown),
    }));
  }
  if ("terraform" in entry) {
    const { readTerraformPlan } = await import("./terraform/index.js");
    return fileSource("terraform", entry.terraform, context, (file, shown) =>
      readTerraformPlan(file, { displayName: shown }),
    );
  }
  if ("aws" in entry) return (await import("./aws/index.js")).collectAws(entry.aws, context);
  if ("azure" in entry) return (await import("./azure/index.js")).collectAzure(entry.azure, context);
  return (await import("./gcp/index.js")).collectGcp(entry.gcp, context);
}

/** Reads one file-based source: resources plus any diagnostics the reader had. */
type FileReader = (
  absolute: string,
  shown: string,
) => Promise<{ resources: Resource[]; diagnostics?: Diagnostic[] }>;

async function fileSource(
  kind: SourceKind,
  file: string,
  context: CollectContext,
  read: FileReader,
): Promise<CollectResult> {
  const absolute = path.resolve(context.baseDir, file);
  const shown = displayPath(absolute, context.displayRoot ?? context.baseDir);
  context.progress({ source: kind, scope: shown, status: "started" });
  const { resources, diagnostics = [] } = await read(absolute, shown);
  context.progress({ source: kind, scope: shown, status: "done", resources: resources.length });
  return {
    resources,
    diagnostics,
    coverage: [{ source: kind, scope: { file: shown }, status: "complete", resources: resources.length }],
  };
}

/** A path as users should see it: relative to `root` when inside it, absolute otherwise. */
export function displayPath(absolute: string, root: string): string {
  const relative = path.relative(root, absolute);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}
