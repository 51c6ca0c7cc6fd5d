/**
 * The builtin catalog's build-time snapshot: commands read it instead of parsing the YAML, so it
 * must give the very catalog the YAML gives, and must be ignored as soon as a file changes.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinCatalogDir, loadCatalog, writeBuiltinSnapshot } from "../../src/catalog/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "landlord-snapshot-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the builtin catalog snapshot", () => {
  it("gives the same catalog as the YAML files", async () => {
    const snapshotFile = path.join(dir, "builtin.snapshot.json");
    await writeBuiltinSnapshot(builtinCatalogDir(), snapshotFile);
    const fromYaml = await loadCatalog({ snapshotFile: path.join(dir, "absent.json") });
    const fromSnapshot = await loadCatalog({ snapshotFile });
    expect(fromSnapshot).toEqual(fromYaml);
    expect(fromSnapshot.providers.get("aws")?.parentName).toBe("Amazon.com, Inc.");
  });

  it("is ignored once a builtin file no longer matches it", async () => {
    const builtinDir = path.join(dir, "catalog");
    await cp(builtinCatalogDir(), builtinDir, { recursive: true });
    const snapshotFile = path.join(dir, "copy.snapshot.json");
    await writeBuiltinSnapshot(builtinDir, snapshotFile);
    expect((await loadCatalog({ builtinDir, snapshotFile })).providers.get("heroku")?.name).toBe("Heroku");

    const heroku = path.join(builtinDir, "providers/heroku.yaml");
    await writeFile(heroku, (await readFile(heroku, "utf8")).replace("name: Heroku", "name: Heroku Edited"));
    expect((await loadCatalog({ builtinDir, snapshotFile })).providers.get("heroku")?.name).toBe(
      "Heroku Edited",
    );
  });

  it("is ignored when it is not valid JSON", async () => {
    const snapshotFile = path.join(dir, "broken.snapshot.json");
    await writeFile(snapshotFile, "{ not json");
    expect((await loadCatalog({ snapshotFile })).providers.get("gcp")?.parent).toBe("alphabet");
  });
});
