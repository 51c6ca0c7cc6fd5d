/**
 * The Art. 29 concentration assessment (Regulation (EU) 2022/2554) as plain sentences and tables,
 * so the Markdown and HTML reports render the same content with their own markup.
 */
import { formatCount, formatShare, joinWords } from "../../report/present.js";
import type { Report } from "../../report/types.js";
import { countryName, ICT_SERVICE_TYPES } from "./codes.js";
import type { DoraEstate } from "./types.js";

/** A table of plain-text cells; the renderer escapes them. */
export interface AssessmentTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

/** The section: a title, an introduction, and one part per Art. 29 question. */
export interface ConcentrationAssessment {
  title: string;
  parts: { heading: string; paragraphs: string[]; table?: AssessmentTable }[];
}

/** The assessment of a report, or undefined when the scan computed no DORA data. */
export function concentrationAssessment(report: Report): ConcentrationAssessment | undefined {
  const estate = report.dora as DoraEstate | undefined;
  if (estate === undefined) return undefined;
  const names = new Map(estate.providers.map((provider) => [provider.key, provider.name]));
  const name = (key: string) => names.get(key) ?? key;

  const connected = estate.parentGroups.filter(
    (group) => group.providers.length > 1 || group.arrangements > 1,
  );
  const closely = {
    heading: "Closely connected ICT third-party service providers",
    paragraphs: [
      connected.length === 0
        ? "No ultimate parent undertaking stands behind more than one contractual arrangement."
        : `${formatCount(connected.length, "group")} of closely connected providers (one ultimate parent undertaking) ` +
          `carry several ICT services or host vendors' services (Art. 29(1)(b)). The largest, ` +
          `${connected[0]!.parentName}, holds ${formatShare(connected[0]!.share)} of the scanned resources.`,
    ],
    table: {
      caption: "ICT services by ultimate parent undertaking",
      headers: [
        "Ultimate parent",
        "Headquarters",
        "Providers",
        "ICT services",
        "Share of resources",
        "Critical workloads",
      ],
      rows: estate.parentGroups.map((group) => [
        group.parentName,
        group.headquarters ?? "unknown",
        group.providers.map(name).join(", "),
        String(group.arrangements),
        formatShare(group.share),
        group.criticalWorkloads.join(", ") || "none",
      ]),
    },
  };

  const hard = estate.services.filter(
    (service) =>
      service.substitutability !== undefined && service.substitutability !== "Easily substitutable",
  );
  const substitutable = {
    heading: "ICT services that are not easily substitutable",
    paragraphs: [
      hard.length === 0
        ? "Every ICT service whose lock-in the catalog knows is easily substitutable."
        : `${formatCount(hard.length, "ICT service")} ${hard.length === 1 ? "is" : "are"} not easily substitutable (Art. 29(1)(a)): ` +
          `moving them means rebuilding proprietary services on another provider. ` +
          `${formatCount(hard.filter((service) => service.criticalWorkloads.length > 0).length, "of them supports", "of them support")} critical workloads.`,
    ],
    table: {
      caption: "ICT services by substitutability",
      headers: [
        "Provider",
        "Type of ICT service",
        "Substitutability",
        "Proprietary services",
        "Critical workloads",
      ],
      rows: hard.map((service) => [
        name(service.provider),
        `${service.serviceType} ${ICT_SERVICE_TYPES[service.serviceType]}`,
        service.substitutability ?? "",
        service.proprietaryServices.join(", ") || "none",
        service.criticalWorkloads.join(", ") || "none",
      ]),
    },
  };

  const headquartered = estate.thirdCountries.filter((entry) => entry.providersHeadquartered.length > 0);
  const located = estate.thirdCountries.filter((entry) => entry.resourcesLocated > 0);
  const third = {
    heading: "Third-country exposure",
    paragraphs: [
      headquartered.length === 0
        ? "No ICT third-party service provider is headquartered outside the EU and the EEA."
        : `Providers headquartered in a third country (Art. 29(2)): ${joinWords(
            headquartered.map(
              (entry) =>
                `${joinWords(entry.providersHeadquartered.map(name))} (${countryName(entry.country)})`,
            ),
          )}. Their home law, insolvency rules and data access by authorities apply alongside the contract.`,
      located.length === 0
        ? "All data whose location is known rests in the EU or the EEA."
        : `Data rests or is processed outside the EU and the EEA in ${joinWords(
            located.map(
              (entry) =>
                `${countryName(entry.country)} (${formatCount(entry.resourcesLocated, "resource")}, ${entry.sensitiveResourcesLocated} sensitive)`,
            ),
          )}.`,
    ],
  };

  return {
    title: "Art. 29 concentration assessment",
    parts: [closely, substitutable, third],
  };
}
