/**
 * Locating the team's shared reference folder (`../shared` beside the repository). Tests read
 * recorded fixtures and the SARIF schema from there and skip, saying why, when it is absent.
 */
import { existsSync } from "node:fs";
import path from "node:path";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** `../shared` from the repository root; a worktree one level deeper also finds it. */
export function sharedPath(...parts: string[]): string | undefined {
  for (const candidate of [
    path.resolve(repositoryRoot, "../shared"),
    path.resolve(repositoryRoot, "../../shared"),
  ]) {
    const target = path.join(candidate, ...parts);
    if (existsSync(target)) return target;
  }
  return undefined;
}
