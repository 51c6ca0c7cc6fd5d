/** B_07.01: the assessment of each ICT service: substitutability, impact, alternatives. */
import type { RegisterTemplate } from "./template.js";

export const B_07_01: RegisterTemplate = {
  code: "B_07.01",
  file: "b_07.01.csv",
  title: "Assessment of the ICT services",
  columns: [
    { code: "B_07.01.0010", label: "Contractual arrangement reference number", source: "profile" },
    {
      code: "B_07.01.0020",
      label: "Identification code of the ICT third-party service provider",
      source: "profile",
    },
    {
      code: "B_07.01.0030",
      label: "Type of code to identify the ICT third-party service provider",
      source: "profile",
      codeList: "identifier-code-types",
    },
    { code: "B_07.01.0040", label: "Type of ICT services", source: "estate", codeList: "ict-service-types" },
    {
      code: "B_07.01.0050",
      label: "Substitutability of the ICT third-party service provider",
      source: "estate",
      codeList: "substitutability",
    },
    {
      code: "B_07.01.0060",
      label:
        "Reason if the ICT third-party service provider is considered not substitutable or difficult to be substitutable",
      source: "estate",
      codeList: "substitutability-reasons",
    },
    {
      code: "B_07.01.0070",
      label: "Date of the last audit on the ICT third-party service provider",
      source: "blank",
    },
    { code: "B_07.01.0080", label: "Existence of an exit plan", source: "blank" },
    {
      code: "B_07.01.0090",
      label: "Possibility of reintegration of the contracted ICT service",
      source: "blank",
    },
    {
      code: "B_07.01.0100",
      label: "Impact of discontinuing the ICT services",
      source: "estate",
      codeList: "discontinuation-impact",
    },
    {
      code: "B_07.01.0110",
      label: "Are there alternative ICT third-party service providers identified?",
      source: "estate",
      codeList: "yes-no",
    },
    { code: "B_07.01.0120", label: "Identification of alternative ICT TPP", source: "estate" },
  ],
  rows(estate, ids) {
    return estate.services.map((service) => [
      ids.contract(service.provider),
      ids.provider(service.provider),
      ids.providerCodeType(service.provider),
      service.serviceType,
      service.substitutability ?? "",
      service.substitutabilityReason ?? "",
      "",
      "",
      "",
      service.impact,
      service.alternatives.length > 0 ? "Yes" : service.substitutability === undefined ? "" : "No",
      service.alternatives
        .map((alternative) => `${alternative.provider}: ${alternative.service}`)
        .join(" | "),
    ]);
  },
};
