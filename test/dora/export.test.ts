/**
 * The DORA register export of the bundled financial-services example, end to end through the built
 * CLI: the files match the expected ones, and every coded value is in the code list it names.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidLei } from "../../src/compliance/dora/codes.js";
import { inCodeList, REGISTER_README, REGISTER_TEMPLATES } from "../../src/compliance/dora/register.js";
import { PLACEHOLDER_PREFIX } from "../../src/compliance/dora/template.js";
import { ROOT, runCli } from "../helpers/cli.js";

const EXPECTED = path.join(import.meta.dirname, "expected");
const PROFILE = "examples/financial-services/landlord.yaml";
let work: string;
let register: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "landlord-dora-"));
  register = path.join(work, "register");
  const result = await runCli(["scan", "--config", PROFILE, "--format", "dora", "--output", register, "-q"]);
  // Findings fail the gate (exit 1); anything else means the export did not run.
  expect(result.stderr).not.toContain("error");
  expect([0, 1]).toContain(result.code);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("landlord scan --format dora", () => {
  it("writes the four templates and the README, as expected", async () => {
    const written = (await readdir(register)).sort();
    expect(written).toEqual([REGISTER_README, ...REGISTER_TEMPLATES.map((template) => template.file)].sort());
    for (const file of written) {
      const actual = await readFile(path.join(register, file), "utf8");
      const expected = await readFile(path.join(EXPECTED, file), "utf8");
      expect(actual, file).toBe(expected);
    }
  });

  it("uses only the template column codes and values from the code lists", async () => {
    for (const template of REGISTER_TEMPLATES) {
      const rows = parse(await readFile(path.join(register, template.file), "utf8")) as string[][];
      expect(rows[0]).toEqual(template.columns.map((column) => column.code));
      expect(rows.length, template.file).toBeGreaterThan(1);
      for (const row of rows.slice(1)) {
        template.columns.forEach((column, index) => {
          const value = row[index] ?? "";
          if (column.source === "blank") expect(value, column.code).toBe("");
          if (value === "" || column.codeList === undefined) return;
          expect(inCodeList(column.codeList, value), `${column.code} = ${value}`).toBe(true);
        });
      }
    }
  });

  it("writes real LEIs or a placeholder that says what to supply", async () => {
    const rows = parse(await readFile(path.join(register, "b_05.01.csv"), "utf8")) as string[][];
    for (const row of rows.slice(1)) {
      const [identifier = "", codeType = ""] = row;
      if (identifier.startsWith(PLACEHOLDER_PREFIX)) expect(codeType).toBe("");
      else {
        expect(codeType).toBe("LEI");
        expect(isValidLei(identifier), identifier).toBe(true);
      }
      if (row[10]) expect(isValidLei(row[10]), row[10]).toBe(true);
    }
  });

  it("refuses standard output and asks for a folder", async () => {
    const result = await runCli(["scan", "--config", PROFILE, "--format", "dora", "-q"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--format dora writes several files");
    expect(result.stderr).toContain("--output DIR");
  });

  it("exports the same register from a saved JSON report", async () => {
    const saved = path.join(work, "report.json");
    await runCli(["scan", "--config", PROFILE, "--format", "json", "--output", saved, "-q"]);
    const again = path.join(work, "again");
    const result = await runCli(["report", saved, "--format", "dora", "--output", again]);
    expect(result.code).toBe(0);
    for (const template of REGISTER_TEMPLATES) {
      expect(await readFile(path.join(again, template.file), "utf8")).toBe(
        await readFile(path.join(EXPECTED, template.file), "utf8"),
      );
    }
  });

  it("puts the Art. 29 concentration assessment in the Markdown report", async () => {
    const result = await runCli(["scan", "--config", PROFILE, "--format", "markdown", "-q"], { cwd: ROOT });
    expect(result.stdout).toContain("## Art. 29 concentration assessment");
    expect(result.stdout).toContain("### Closely connected ICT third-party service providers");
    expect(result.stdout).toContain("| Amazon.com, Inc. | US | Amazon Web Services |");
    expect(result.stdout).toContain("### ICT services that are not easily substitutable");
    expect(result.stdout).toContain("Sentinel Fraud Analytics Inc. \\(United States\\)");
  });
});
