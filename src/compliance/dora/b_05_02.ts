/** B_05.02: the ICT service supply chains: each vendor at rank 1, the cloud it runs on at rank 2. */
import type { RegisterTemplate } from "./template.js";

export const B_05_02: RegisterTemplate = {
  code: "B_05.02",
  file: "b_05.02.csv",
  title: "ICT service supply chains",
  columns: [
    { code: "B_05.02.0010", label: "Contractual arrangement reference number", source: "profile" },
    { code: "B_05.02.0020", label: "Type of ICT services", source: "estate", codeList: "ict-service-types" },
    {
      code: "B_05.02.0030",
      label: "Identification code of the ICT third-party service provider",
      source: "profile",
    },
    {
      code: "B_05.02.0040",
      label: "Type of code to identify the ICT third-party service provider",
      source: "profile",
      codeList: "identifier-code-types",
    },
    { code: "B_05.02.0050", label: "Rank", source: "estate", codeList: "rank" },
    {
      code: "B_05.02.0060",
      label: "Identification code of the recipient of sub-contracted ICT services",
      source: "profile",
    },
    {
      code: "B_05.02.0070",
      label: "Type of code to identify the recipient of sub-contracted ICT services",
      source: "profile",
      codeList: "identifier-code-types",
    },
  ],
  rows(estate, ids) {
    return estate.supplyChain.map((link) => [
      ids.contract(link.provider),
      link.serviceType,
      ids.provider(link.subcontractor),
      ids.providerCodeType(link.subcontractor),
      String(link.rank),
      link.recipient === undefined ? "" : ids.provider(link.recipient),
      link.recipient === undefined ? "" : ids.providerCodeType(link.recipient),
    ]);
  },
};
