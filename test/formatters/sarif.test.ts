import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { formatSarif, SARIF_FINGERPRINT_KEY } from "../../src/formatters/sarif.js";
import type { Report } from "../../src/report/types.js";
import { bucketFinding, concentrationFinding, reportWith } from "../gate/report-fixtures.js";
import { sharedPath } from "../gate/shared-reference.js";

const schemaFile = sharedPath("reference", "sarif-schema-2.1.0.json");
if (!schemaFile)
  console.warn("SARIF schema validation skipped: ../shared/reference/sarif-schema-2.1.0.json not found");

/** The schema is draft-04; Ajv's default dialect reads it once the root `id` is `$id`. */
function sarifValidator() {
  const {
    $schema: _dialect,
    id,
    ...schema
  } = JSON.parse(readFileSync(schemaFile!, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile({ ...schema, $id: String(id) });
}

const hostile =
  'evil <script>alert("x")</script> & ]]> \u0000\u0007\u001b[31m\uD800 "quoted" \\ back`tick` *md* | pipe';

function render(report: Report): Sarif.Log {
  return JSON.parse(formatSarif(report, { color: false })) as Sarif.Log;
}

const waivedNewReport = reportWith(
  [
    bucketFinding({
      waived: true,
      waiver: { reason: "Accepted by the board", owner: "cto@example.com", expires: "2027-06-30" },
      new: false,
    }),
    bucketFinding({
      resourceId: "arn:aws:s3:::loyalty-exports",
      fingerprint: "fp-loyalty",
      new: true,
      source: "/repo/inventory.json",
    }),
    concentrationFinding({ new: true }),
    bucketFinding({
      ruleId: "custom-rule-not-in-metadata",
      fingerprint: "fp-custom",
      message: hostile,
      resourceId: hostile,
    }),
  ],
  {
    diagnostics: [
      {
        level: "warning",
        code: "waiver-expired",
        message: "waiver for competitor-hosted-sensitive-data expired",
        location: { file: "waivers.yaml", line: 3, column: 5 },
      },
      {
        level: "error",
        code: "region-unreadable",
        message: "eu-west-1 could not be read",
        source: "aws:123/eu-west-1",
      },
    ],
  },
);

describe("formatSarif", () => {
  it.skipIf(!schemaFile)(
    "writes a log that validates against the SARIF 2.1.0 schema, hostile strings included",
    () => {
      const validate = sarifValidator();
      for (const report of [
        waivedNewReport,
        reportWith([]),
        reportWith([bucketFinding({ message: hostile })], { rules: [] }),
      ]) {
        const valid = validate(render(report));
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
      // The validator is not vacuous: a log with a wrong version and a result without a message fails.
      const broken = render(waivedNewReport) as unknown as {
        version: string;
        runs: { results: { message?: unknown }[] }[];
      };
      broken.version = "2.0.0";
      delete broken.runs[0]!.results[0]!.message;
      expect(validate(broken)).toBe(false);
    },
  );

  it("describes every rule that ran with help, level and security severity", () => {
    const driver = render(waivedNewReport).runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: "landlord", version: "0.1.0" });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const rule = driver.rules?.find((candidate) => candidate.id === "competitor-hosted-sensitive-data");
    expect(rule).toMatchObject({
      name: "CompetitorHostedSensitiveData",
      shortDescription: { text: "Sensitive data hosted by a competitor" },
      defaultConfiguration: { level: "error" },
      properties: { category: "conflict-of-interest", "security-severity": "8.0" },
      helpUri: "https://www.wsj.com/articles/wal-mart-to-vendors-get-off-amazons-cloud-1498037402",
    });
    expect(rule?.help?.text).toContain("Remediation: Move the data");
    expect(rule?.help?.markdown).toContain("### Remediation");
    expect(
      driver.rules?.find((candidate) => candidate.id === "classification-coverage")?.defaultConfiguration
        ?.level,
    ).toBe("note");
  });

  it("points each result at its rule, resource and input file with a stable fingerprint", () => {
    const run = render(waivedNewReport).runs[0]!;
    const results = run.results ?? [];
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(run.tool.driver.rules?.[result.ruleIndex!]?.id).toBe(result.ruleId);
    }
    const [plan, inventory, aggregate, custom] = results;
    expect(plan?.partialFingerprints).toEqual({ [SARIF_FINGERPRINT_KEY]: "fp-bucket-0001" });
    expect(plan?.locations?.[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: "plan.json" } },
      logicalLocations: [
        {
          name: "terraform:aws_s3_bucket.pos_exports",
          fullyQualifiedName: "terraform:aws_s3_bucket.pos_exports",
          kind: "resource",
        },
      ],
    });
    expect(inventory?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      "file:///repo/inventory.json",
    );
    expect(aggregate?.locations?.[0]?.logicalLocations?.[0]?.name).toBe("provider=aws");
    expect(aggregate?.level).toBe("warning");
    expect(custom?.message.text).toBe(hostile);
    expect(
      render(waivedNewReport).runs[0]!.tool.driver.rules?.some(
        (rule) => rule.id === "custom-rule-not-in-metadata",
      ),
    ).toBe(true);
  });

  it("marks waived findings as accepted external suppressions and reports the baseline state", () => {
    const [waived, added, aggregate, unmarked] = render(waivedNewReport).runs[0]!.results!;
    expect(waived?.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "Accepted by the board",
        properties: { owner: "cto@example.com", expires: "2027-06-30" },
      },
    ]);
    expect(waived?.baselineState).toBe("unchanged");
    expect(added?.baselineState).toBe("new");
    expect(added?.suppressions).toBeUndefined();
    expect(aggregate?.baselineState).toBe("new");
    expect(unmarked?.baselineState).toBeUndefined();
  });

  it("carries diagnostics as tool notifications and an incomplete scan as unsuccessful", () => {
    const invocation = render(
      reportWith([], { ...waivedNewReport, summary: { ...waivedNewReport.summary, complete: false } }),
    ).runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications?.map((note) => [note.level, note.descriptor?.id])).toEqual([
      ["warning", "waiver-expired"],
      ["error", "region-unreadable"],
    ]);
    expect(invocation.toolExecutionNotifications?.[0]?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "waivers.yaml" },
      region: { startLine: 3, startColumn: 5 },
    });
  });

  it("is deterministic for the same report", () => {
    expect(formatSarif(waivedNewReport, { color: false })).toBe(
      formatSarif(waivedNewReport, { color: false }),
    );
  });
});
