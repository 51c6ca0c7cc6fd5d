/**
 * CSV for spreadsheets and compliance tooling: `csv` writes one row per finding, `inventory-csv`
 * one row per enriched resource. Every cell is neutralised against formula injection.
 */
import { stringify } from "csv-stringify/sync";
import { parentsByProvider } from "../report/present.js";
import type { Report } from "../report/types.js";
import { neutralizeCsvCell } from "./escape.js";
import type { Formatter } from "./types.js";

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

function render(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify(
    rows.map((row) => row.map(neutralizeCsvCell)),
    { header: true, columns: [...columns], record_delimiter: "unix" },
  );
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** One row per finding, with the resource's parent, country, classification and workload when known. */
export const formatCsv: Formatter = (report: Report) => {
  const parents = parentsByProvider(report);
  const inventory = new Map((report.inventory ?? []).map((row) => [`${row.provider}\u0000${row.id}`, row]));
  const rows = report.findings.map((finding) => {
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
  return render(FINDING_COLUMNS, rows);
};

/** One row per resource of `report.inventory` (empty, with the header, when the scan did not fill it). */
export const formatInventoryCsv: Formatter = (report: Report) =>
  render(
    INVENTORY_COLUMNS,
    (report.inventory ?? []).map((row) => INVENTORY_COLUMNS.map((column) => row[column])),
  );
