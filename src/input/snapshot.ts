/**
 * Build-time snapshots of builtin data files (the catalog, the rules): what the YAML holds, already
 * validated, as one JSON file beside the built modules. Parsing and checking the YAML is most of
 * what a small command spends before it starts working; reading a snapshot takes a few
 * milliseconds. A snapshot is used only while a digest of every file's name and bytes matches it,
 * so an edited file is read again from its YAML.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** What a snapshot file holds: the digest of the files, and one entry per file. */
interface Snapshot<T> {
  digest: string;
  files: ({ file: string } & T)[];
}

/** One digest of every file's name (relative to `dir`) and bytes. */
async function filesDigest(dir: string, files: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(path.relative(dir, file));
    hash.update("\0");
    hash.update(await readFile(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Writes `entry(file)` of every file of `dir` to `snapshotFile`, with the files' digest. */
export async function writeSnapshot<T extends object>(
  snapshotFile: string,
  dir: string,
  files: readonly string[],
  entry: (file: string) => Promise<T>,
): Promise<void> {
  const snapshot: Snapshot<T> = { digest: await filesDigest(dir, files), files: [] };
  for (const file of files) snapshot.files.push({ file: path.relative(dir, file), ...(await entry(file)) });
  await writeFile(snapshotFile, JSON.stringify(snapshot));
}

/**
 * The entries of `snapshotFile` by absolute file name, when it exists, is JSON and matches the
 * files byte for byte; undefined otherwise (the caller reads the YAML).
 */
export async function readSnapshot<T extends object>(
  snapshotFile: string,
  dir: string,
  files: readonly string[],
): Promise<Map<string, T> | undefined> {
  let snapshot: Snapshot<T>;
  try {
    snapshot = JSON.parse(await readFile(snapshotFile, "utf8")) as Snapshot<T>;
  } catch {
    return undefined;
  }
  if (snapshot.digest !== (await filesDigest(dir, files))) return undefined;
  return new Map(snapshot.files.map(({ file, ...entry }) => [path.join(dir, file), entry as unknown as T]));
}
