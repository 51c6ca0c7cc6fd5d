import { existsSync } from "node:fs";
import path from "node:path";
import { buildCatalog, type Catalog, loadCatalog } from "../../src/catalog/index.js";
import { parseYaml } from "../../src/input/yaml.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** The shared reference folder beside the repository (or beside the worktrees folder), if present. */
export function referenceDir(): string | undefined {
  for (const candidate of ["../shared/reference", "../../shared/reference"]) {
    const dir = path.resolve(repoRoot, candidate);
    if (existsSync(path.join(dir, "regions"))) return dir;
  }
  return undefined;
}

let builtin: Promise<Catalog> | undefined;

/** The builtin catalog, loaded once per test file. */
export function builtinCatalog(): Promise<Catalog> {
  builtin ??= loadCatalog();
  return builtin;
}

/** A small in-memory catalog for focused tests. */
export function catalogFrom(...documents: string[]): Catalog {
  return buildCatalog(
    documents.map((text, index) => ({
      doc: parseYaml(text, `layer-${index}.yaml`),
      layer: index === 0 ? ("builtin" as const) : ("override" as const),
    })),
  );
}
