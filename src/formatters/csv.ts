/**
 * CSV for spreadsheets and compliance tooling: `csv` writes one row per finding, `inventory-csv`
 * one row per enriched resource. Every cell is neutralised against formula injection.
 */
import { stringify } from "csv-stringify/sync";
import { parentsByProvider } from "../report/present.js";
import type { Report } from "../report/types.js";
import { neutralizeCsvCell } from "./escape.js";
import type { ChunkedFormatter, Formatter } from "./types.js";

/** Columns of the findings CSV. */
export const FINDING_COLUMNS = [
  "ruleId",
  "severity",
  "category",
  "waived",
  "resourceId",
  "subject",
  "provider",
  "parent",
  "region",
  "country",
  "classification",
  "workload",
  "message",
  "fingerprint",
  "new",
  "waiverReason",
  "waiverOwner",
  "waiverExpires",
] as const;

/** Columns of the inventory CSV. */
export const INVENTORY_COLUMNS = [
  "id",
  "provider",
  "parent",
  "region",
  "country",
  "account",
  "type",
  "name",
  "classification",
  "workload",
  "environment",
  "criticality",
  "vendor",
  "lockIn",
  "hierarchy",
  "inheritedTags",
] as const;

/** Rows rendered into one piece of the document. */
const ROWS_PER_PIECE = 1024;

/**
 * The CSV document in pieces: the header, then rows a thousand at a time, each made only when its
 * piece is rendered (csv-stringify quotes every cell on its own, so the pieces join into the same
 * text as one call over every row).
 */
function* render(
  columns: readonly string[],
  count: number,
  row: (index: number) => readonly unknown[],
): Generator<string> {
  for (let start = 0; start === 0 || start < count; start += ROWS_PER_PIECE) {
    const rows: unknown[][] = [];
    for (let index = start; index < Math.min(count, start + ROWS_PER_PIECE); index++) {
      rows.push(row(index).map(neutralizeCsvCell));
    }
    yield stringify(rows, { header: start === 0, columns: [...columns], record_delimiter: "unix" });
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** One row per finding, with the resource's parent, country, classification and workload when known. */
export const findingsCsvChunks: ChunkedFormatter = (report: Report) => {
  const parents = parentsByProvider(report);
  const inventory = new Map((report.inventory ?? []).map((row) => [`${row.provider}\u0000${row.id}`, row]));
  return render(FINDING_COLUMNS, report.findings.length, (index) => {
    const finding = report.findings[index]!;
    const resource =
      finding.resourceId !== null
        ? inventory.get(`${finding.provider ?? ""}\u0000${finding.resourceId}`)
        : undefined;
    const provider = finding.provider ?? finding.subject?.["provider"] ?? "";
    return [
      finding.ruleId,
      finding.severity,
      finding.category,
      finding.waived,
      finding.resourceId ?? "",
      finding.subject
        ? Object.entries(finding.subject)
            .map(([key, value]) => `${key}=${value}`)
            .join(";")
        : "",
      provider,
      resource?.parent ?? parents.get(provider) ?? "",
      resource?.region ?? text(finding.data["region"]) ?? "",
      resource?.country ?? text(finding.data["country"]) ?? "",
      resource?.classification ?? text(finding.data["classification"]) ?? "",
      resource?.workload ?? text(finding.data["workload"]) ?? finding.subject?.["workload"] ?? "",
      finding.message,
      finding.fingerprint,
      finding.new === undefined ? "" : finding.new,
      finding.waiver?.reason ?? "",
      finding.waiver?.owner ?? "",
      finding.waiver?.expires ?? "",
    ];
  });
};

/** One row per resource of `report.inventory` (empty, with the header, when the scan did not fill it). */
export const inventoryCsvChunks: ChunkedFormatter = (report: Report) => {
  const inventory = report.inventory ?? [];
  return render(INVENTORY_COLUMNS, inventory.length, (index) =>
    INVENTORY_COLUMNS.map((column) => inventory[index]![column]),
  );
};

/** The findings CSV as one string. */
export const formatCsv: Formatter = (report, options) => [...findingsCsvChunks(report, options)].join("");

/** The inventory CSV as one string. */
export const formatInventoryCsv: Formatter = (report, options) =>
  [...inventoryCsvChunks(report, options)].join("");
