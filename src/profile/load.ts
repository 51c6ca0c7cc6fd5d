/** Finding, reading and validating `landlord.yaml`. */
import { access } from "node:fs/promises";
import path from "node:path";
import { LandlordError } from "../diagnostics.js";
import { readYamlFile, validateDocument } from "../input/yaml.js";
import type { DerivedAttribute } from "../inventory/types.js";
import { DEFAULT_TAG_KEYS, type ProfileData, profileSchema } from "./schema.js";

/** A loaded profile: the validated data plus where it came from and the resolved tag keys. */
export interface Profile extends ProfileData {
  /** Absolute path of the profile file, or undefined for a profile built in code. */
  file: string | undefined;
  /** Folder that relative paths in the profile resolve against. */
  baseDir: string;
  /** Tag keys per derived attribute, lower-cased, profile values or the defaults. */
  tagKeys: Record<DerivedAttribute, string[]>;
}

/** File names looked up in the working directory when `--config` is not given. */
export const PROFILE_FILE_NAMES = ["landlord.yaml", "landlord.yml"] as const;

/** Finds the profile: `explicit` if given, otherwise `landlord.yaml` in `cwd`. */
export async function findProfile(cwd: string, explicit?: string): Promise<string | undefined> {
  if (explicit) return path.resolve(cwd, explicit);
  for (const name of PROFILE_FILE_NAMES) {
    const candidate = path.join(cwd, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not there; try the next name
    }
  }
  return undefined;
}

/** Reads and validates a profile file. Errors name the file, line, column and key. */
export async function loadProfile(file: string, displayName = file): Promise<Profile> {
  const doc = await readYamlFile(file, "invalid-profile", displayName);
  if (doc.value === null || typeof doc.value !== "object") {
    throw new LandlordError("invalid-profile", `${displayName} is empty or not a mapping`, {
      details: [
        {
          message: "expected a mapping with at least `organization:`",
          location: { file: displayName, line: 1 },
        },
      ],
      hint: "Run `landlord init` to write a commented landlord.yaml.",
    });
  }
  const data = validateDocument(doc, profileSchema, "invalid-profile", "landlord.yaml profile");
  return resolveProfile(data, file);
}

/** Completes validated profile data (from a file or built in code) with defaults and paths. */
export function resolveProfile(data: ProfileData, file?: string, baseDir?: string): Profile {
  const tagKeys = {} as Record<DerivedAttribute, string[]>;
  for (const [attribute, defaults] of Object.entries(DEFAULT_TAG_KEYS) as [
    DerivedAttribute,
    readonly string[],
  ][]) {
    tagKeys[attribute] = (data.tags[attribute] ?? defaults).map((key) => key.toLowerCase());
  }
  return {
    ...data,
    file: file === undefined ? undefined : path.resolve(file),
    baseDir: baseDir ?? (file === undefined ? "." : path.dirname(path.resolve(file))),
    tagKeys,
  };
}

/** A profile for scans without a profile file (`landlord scan --inventory x.json` alone). */
export function defaultProfile(cwd: string): Profile {
  const data = profileSchema.parse({ organization: { name: "Unnamed organization", jurisdiction: "US" } });
  return resolveProfile(data, undefined, cwd);
}
