import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaFiles } from "../../scripts/generate-schemas.js";
import { builtinRulesDir, ruleFilesIn } from "../../src/rules/load.js";

const schemasDir = path.resolve(import.meta.dirname, "../../schemas");

describe("editor schemas", () => {
  it("are up to date with the zod schemas (run scripts/generate-schemas.ts)", async () => {
    for (const [name, schema] of Object.entries(schemaFiles())) {
      const written = await readFile(path.join(schemasDir, name), "utf8");
      expect(written).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });

  it("accept every builtin rule and reject an unknown key", async () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(schemaFiles()["rule.schema.json"]!);
    for (const file of await ruleFilesIn(await builtinRulesDir())) {
      const valid = validate(parse(await readFile(file, "utf8")));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(valid).toBe(true);
    }
    const rule = parse(await readFile(path.join(await builtinRulesDir(), "listed-provider.yaml"), "utf8"));
    expect(validate({ ...rule, severty: "high" })).toBe(false);
  });
});
