/** B_05.01: the ICT third-party service providers, one row per provider (direct or in a supply chain). */
import type { RegisterTemplate } from "./template.js";

export const B_05_01: RegisterTemplate = {
  code: "B_05.01",
  file: "b_05.01.csv",
  title: "ICT third-party service providers",
  columns: [
    {
      code: "B_05.01.0010",
      label: "Identification code of ICT third-party service provider",
      source: "profile",
    },
    {
      code: "B_05.01.0020",
      label: "Type of code to identify the ICT third-party service provider",
      source: "profile",
      codeList: "identifier-code-types",
    },
    {
      code: "B_05.01.0030",
      label: "Additional identification code of ICT third-party service provider",
      source: "blank",
    },
    {
      code: "B_05.01.0040",
      label: "Type of additional identification code to identify the ICT third-party service provider",
      source: "blank",
    },
    { code: "B_05.01.0050", label: "Legal name of the ICT third-party service provider", source: "estate" },
    {
      code: "B_05.01.0060",
      label: "Name of the ICT third-party service provider in Latin alphabet",
      source: "estate",
    },
    {
      code: "B_05.01.0070",
      label: "Type of person of the ICT third-party service provider",
      source: "estate",
      codeList: "person-types",
    },
    {
      code: "B_05.01.0080",
      label: "Country of the ICT third-party service provider's headquarters",
      source: "estate",
      codeList: "countries",
    },
    { code: "B_05.01.0090", label: "Currency of the amount reported in B_05.01.0100", source: "blank" },
    {
      code: "B_05.01.0100",
      label: "Total annual expense or estimated cost of the ICT third-party service provider",
      source: "blank",
    },
    {
      code: "B_05.01.0110",
      label: "Identification code of the ICT third-party service provider's ultimate parent undertaking",
      source: "estate",
    },
    {
      code: "B_05.01.0120",
      label: "Type of code to identify the ICT third-party service provider's ultimate parent undertaking",
      source: "estate",
      codeList: "identifier-code-types",
    },
  ],
  rows(estate, ids) {
    return estate.providers.map((provider) => {
      // A provider that is its own ultimate parent (OVH Groupe, SAP SE) still names it: the
      // template asks for the top of the group, which may be the provider itself.
      const parentCode = provider.parentLei ?? "";
      return [
        ids.provider(provider.key),
        ids.providerCodeType(provider.key),
        "",
        "",
        provider.name,
        provider.name,
        "Legal person",
        provider.headquarters ?? "",
        "",
        "",
        parentCode,
        parentCode === "" ? "" : "LEI",
      ];
    });
  },
};
