import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EnrichedResource } from "../../src/catalog/types.js";
import type { CliContext } from "../../src/cli/context.js";
import type { Resource } from "../../src/inventory/types.js";
import { type Profile, resolveProfile } from "../../src/profile/load.js";
import { profileSchema } from "../../src/profile/schema.js";
import { fakeEnricher } from "./fake-catalog.js";

/** A temporary folder with the given files. */
export async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "landlord-rules-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

export function profileOf(data: Record<string, unknown>, baseDir = "."): Profile {
  const organization = {
    name: "Example Retail Co",
    jurisdiction: "US",
    ...(data["organization"] as object | undefined),
  };
  return resolveProfile(profileSchema.parse({ ...data, organization }), undefined, baseDir);
}

export async function enriched(resources: Resource[], profile: Profile): Promise<EnrichedResource[]> {
  return fakeEnricher(resources, profile, new Date("2026-01-15T00:00:00Z"));
}

export function cliContext(cwd: string): CliContext & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: { NO_COLOR: "1" },
    cwd,
    exitCode: 0,
    now: () => new Date("2026-01-15T00:00:00Z"),
    out: () => out,
    err: () => err,
  };
}

/** A minimal valid rule file; `extra` lines are appended. */
export function ruleText(id: string, extra = ""): string {
  return [
    `id: ${id}`,
    "title: Test rule",
    "severity: low",
    "category: compliance",
    "description: A rule written for the tests.",
    "match: { sensitive: true }",
    'message: "{resource} is sensitive"',
    extra,
  ].join("\n");
}
