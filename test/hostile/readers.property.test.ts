/**
 * Property-based tests of every reader of user-supplied files: inventories (JSON, YAML, JSONL, CSV),
 * vendors manifests, Terraform plans and profiles. For any input, a reader either returns what it
 * read or throws a {@link LandlordError}; it never throws anything else (which the CLI would print
 * as a bug with a stack) and never hangs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readTerraformPlan } from "../../src/collectors/terraform/index.js";
import { LandlordError } from "../../src/diagnostics.js";
import { readInventoryFile } from "../../src/inventory/read.js";
import { readVendorsManifest } from "../../src/inventory/vendors.js";
import { loadProfile } from "../../src/profile/load.js";
import { recordTally } from "../faults/tally.js";

const folder = mkdtempSync(path.join(tmpdir(), "landlord-hostile-"));
const outcomes: Record<string, { accepted: number; rejected: number }> = {};
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  for (const [reader, counts] of Object.entries(outcomes)) recordTally(`hostile:property:${reader}`, counts);
});

const RUNS = 150;
let fileCounter = 0;

/** Writes `content` to a fresh file with `extension` and runs `read` on it, classifying the outcome. */
async function outcome(
  reader: string,
  extension: string,
  content: string | Uint8Array,
  read: (file: string) => Promise<unknown>,
): Promise<void> {
  const file = path.join(folder, `input-${fileCounter++}${extension}`);
  writeFileSync(file, content);
  outcomes[reader] ??= { accepted: 0, rejected: 0 };
  const counts = outcomes[reader];
  try {
    await read(file);
    counts.accepted++;
  } catch (error) {
    if (!(error instanceof LandlordError)) {
      throw new Error(`${reader} threw ${(error as Error)?.name}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
    expect(error.message.length).toBeGreaterThan(0);
    counts.rejected++;
  }
}

/** Strings that stress parsers: quotes, separators, control characters, lone surrogates, YAML syntax. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    "\u0000",
    "\ud800",
    '=HYPERLINK("http://x")',
    "&a [*a, *a]",
    "!!js/function 'x'",
    "!!binary AAAA",
    "<<: *a",
    "---",
    "...",
    '"',
    "\r\n",
    "__proto__",
    "constructor",
    "tag:",
    "1e999",
    "0x10",
    "~",
  ),
);

/** A JSON value that looks a bit like a resource, a bit like garbage. */
const resourceLike = fc.oneof(
  fc.record(
    {
      id: fc.oneof(nastyString, fc.integer(), fc.constant(null)),
      provider: fc.oneof(
        fc.constantFrom("aws", "azure", "gcp", "onprem", "AWS", ""),
        nastyString,
        fc.integer(),
      ),
      region: fc.oneof(nastyString, fc.constant(null)),
      tags: fc.oneof(fc.dictionary(nastyString, nastyString), fc.array(nastyString), nastyString),
      residency: fc.oneof(fc.array(nastyString), nastyString),
      __proto__: fc.oneof(fc.constant({ polluted: true }), nastyString),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);

const inventoryDocument = fc.oneof(
  fc.record({ resources: fc.array(resourceLike, { maxLength: 8 }) }),
  fc.array(resourceLike, { maxLength: 8 }),
  fc.jsonValue({ maxDepth: 5 }),
);

describe("inventory readers never throw anything but a LandlordError", () => {
  it("JSON documents", async () => {
    await fc.assert(
      fc.asyncProperty(inventoryDocument, async (document) => {
        await outcome("json", ".json", JSON.stringify(document), (file) => readInventoryFile(file));
      }),
      { numRuns: RUNS },
    );
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
  });

  it("arbitrary text and bytes as JSON, YAML, JSONL and CSV", async () => {
    const content = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }),
    );
    await fc.assert(
      fc.asyncProperty(
        content,
        fc.constantFrom(".json", ".yaml", ".jsonl", ".csv"),
        async (text, extension) => {
          await outcome(`text${extension}`, extension, text, (file) => readInventoryFile(file));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it("YAML documents built from inventory-like values, with anchors and aliases", async () => {
    const yamlText = fc
      .tuple(inventoryDocument, fc.integer({ min: 0, max: 6 }))
      .map(([document, aliases]) => {
        const alias = Array.from({ length: aliases }, () => "*base").join(", ");
        const list =
          document !== null && typeof document === "object" && "resources" in document
            ? document.resources
            : document;
        return `base: &base ${JSON.stringify({ id: "x", provider: "aws" })}\nextra: [${alias}]\nresources: ${JSON.stringify(list)}\n`;
      });
    await fc.assert(
      fc.asyncProperty(yamlText, async (text) => {
        await outcome("yaml", ".yaml", text, (file) => readInventoryFile(file));
      }),
      { numRuns: RUNS },
    );
  });

  it("JSONL lines", async () => {
    const lines = fc.array(
      fc.oneof(
        resourceLike.map((value) => JSON.stringify(value)),
        nastyString,
      ),
      {
        maxLength: 12,
      },
    );
    await fc.assert(
      fc.asyncProperty(lines, async (list) => {
        await outcome("jsonl", ".jsonl", list.join("\n"), (file) => readInventoryFile(file));
      }),
      { numRuns: RUNS },
    );
  });

  it("CSV tables with odd headers, quotes and ragged rows", async () => {
    const header = fc.array(
      fc.oneof(
        fc.constantFrom("id", "provider", "region", "tag:env", "tag:", "Tag:Owner", "ID"),
        nastyString,
      ),
      { minLength: 1, maxLength: 6 },
    );
    const cell = nastyString.map((text) =>
      /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text,
    );
    const table = fc.tuple(header, fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(table, async ([columns, rows]) => {
        const text = [columns.join(","), ...rows.map((row) => row.join(","))].join("\n");
        await outcome("csv", ".csv", text, (file) => readInventoryFile(file));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("other readers never throw anything but a LandlordError", () => {
  it("vendors manifests", async () => {
    const manifest = fc.oneof(
      fc.record(
        {
          vendors: fc.array(
            fc.record(
              {
                name: nastyString,
                classification: nastyString,
                hosting: fc.oneof(
                  fc.array(
                    fc.record(
                      { provider: nastyString, regions: fc.array(nastyString) },
                      { requiredKeys: [] },
                    ),
                  ),
                  fc.jsonValue({ maxDepth: 2 }),
                ),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 4 },
          ),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(manifest, async (document) => {
        await outcome("vendors", ".yaml", JSON.stringify(document), (file) => readVendorsManifest(file));
      }),
      { numRuns: RUNS },
    );
  });

  it("Terraform plans", async () => {
    const change = fc.record(
      {
        address: nastyString,
        type: fc.oneof(
          fc.constantFrom("aws_s3_bucket", "azurerm_storage_account", "google_sql_database_instance"),
          nastyString,
        ),
        provider_name: fc.oneof(
          fc.constantFrom("registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/azurerm"),
          nastyString,
        ),
        change: fc.oneof(
          fc.record(
            {
              actions: fc.oneof(
                fc.array(fc.constantFrom("create", "update", "delete", "no-op", "read")),
                nastyString,
              ),
              after: fc.oneof(
                fc.record(
                  { tags: fc.dictionary(nastyString, nastyString), region: nastyString },
                  { requiredKeys: [] },
                ),
                fc.jsonValue({ maxDepth: 3 }),
              ),
            },
            { requiredKeys: [] },
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
      },
      { requiredKeys: [] },
    );
    const plan = fc.oneof(
      fc.record(
        {
          format_version: fc.oneof(fc.constantFrom("1.2", "0.1", "2.0", "1"), nastyString, fc.integer()),
          resource_changes: fc.oneof(fc.array(change, { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
          configuration: fc.jsonValue({ maxDepth: 3 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(plan, async (document) => {
        await outcome("terraform", ".json", JSON.stringify(document), (file) => readTerraformPlan(file));
      }),
      { numRuns: RUNS },
    );
  });

  it("profiles", async () => {
    const profile = fc.oneof(
      fc.record(
        {
          organization: fc.oneof(
            fc.record(
              { name: nastyString, segments: fc.array(nastyString), jurisdiction: nastyString },
              { requiredKeys: [] },
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          sources: fc.oneof(
            fc.array(
              fc.oneof(
                fc.record({ file: nastyString }),
                fc.record({ aws: fc.jsonValue({ maxDepth: 2 }) }),
                fc.record({ azure: fc.jsonValue({ maxDepth: 2 }) }),
                fc.jsonValue({ maxDepth: 2 }),
              ),
              { maxLength: 4 },
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          rules: fc.jsonValue({ maxDepth: 3 }),
          tags: fc.jsonValue({ maxDepth: 3 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(profile, async (document) => {
        await outcome("profile", ".yaml", JSON.stringify(document), (file) => loadProfile(file));
      }),
      { numRuns: RUNS },
    );
  });
});
