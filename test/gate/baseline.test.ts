import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LandlordError } from "../../src/diagnostics.js";
import { applyBaseline, loadBaseline } from "../../src/report/baseline.js";
import { bucketFinding, concentrationFinding, reportWith } from "./report-fixtures.js";

async function file(name: string, text: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "landlord-baseline-"));
  const target = path.join(folder, name);
  await writeFile(target, text);
  return target;
}

async function rejection(promise: Promise<unknown>): Promise<LandlordError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LandlordError);
  return error as LandlordError;
}

describe("loadBaseline", () => {
  it("reads the fingerprints of every finding of a saved report, waived ones included", async () => {
    const report = reportWith([bucketFinding({ waived: true }), concentrationFinding()]);
    const fingerprints = await loadBaseline(await file("baseline.json", JSON.stringify(report, null, 2)));
    expect([...fingerprints].sort()).toEqual(["fp-bucket-0001", "fp-concentration-aws"]);
  });

  it("is exit 2 with file, line and column for malformed JSON", async () => {
    const target = await file(
      "baseline.json",
      '{\n  "schemaVersion": 1,\n  "findings": [\n    oops\n  ]\n}\n',
    );
    const error = await rejection(loadBaseline(target));
    expect(error.code).toBe("invalid-baseline");
    expect(error.exitCode).toBe(2);
    expect(error.details[0]?.location).toMatchObject({ file: target, line: 4, column: 5 });
  });

  it("refuses a JSON file that is not a landlord report, such as a SARIF log", async () => {
    const sarif = await file("landlord.sarif", JSON.stringify({ version: "2.1.0", runs: [] }));
    const error = await rejection(loadBaseline(sarif));
    expect(error.code).toBe("invalid-baseline");
    expect(error.details[0]?.message).toContain("tool.name");
    const future = await file("r.json", JSON.stringify({ ...reportWith([]), schemaVersion: 2 }));
    expect((await rejection(loadBaseline(future))).details[0]?.message).toContain("schemaVersion 2");
  });

  it("refuses a missing file instead of passing silently", async () => {
    const error = await rejection(loadBaseline("/nonexistent/landlord/baseline.json"));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("/nonexistent/landlord/baseline.json");
  });
});

describe("applyBaseline", () => {
  it("marks findings absent from the baseline as new and the others as known", () => {
    const findings = applyBaseline(
      [bucketFinding(), concentrationFinding()],
      new Set(["fp-concentration-aws"]),
    );
    expect(findings.map((finding) => [finding.ruleId, finding.new])).toEqual([
      ["competitor-hosted-sensitive-data", true],
      ["provider-concentration", false],
    ]);
  });
});
