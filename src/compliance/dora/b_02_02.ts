/** B_02.02: the contractual arrangements' specific information, one row per provider and ICT service type. */
import type { RegisterTemplate } from "./template.js";

export const B_02_02: RegisterTemplate = {
  code: "B_02.02",
  file: "b_02.02.csv",
  title: "Contractual arrangements: specific information",
  columns: [
    { code: "B_02.02.0010", label: "Contractual arrangement reference number", source: "profile" },
    { code: "B_02.02.0020", label: "LEI of the entity making use of the ICT service(s)", source: "profile" },
    {
      code: "B_02.02.0030",
      label: "Identification code of the ICT third-party service provider",
      source: "profile",
    },
    {
      code: "B_02.02.0040",
      label: "Type of code to identify the ICT third-party service provider",
      source: "profile",
      codeList: "identifier-code-types",
    },
    { code: "B_02.02.0050", label: "Function identifier", source: "blank" },
    { code: "B_02.02.0060", label: "Type of ICT services", source: "estate", codeList: "ict-service-types" },
    { code: "B_02.02.0070", label: "Start date of the contractual arrangement", source: "blank" },
    { code: "B_02.02.0080", label: "End date of the contractual arrangement", source: "blank" },
    {
      code: "B_02.02.0090",
      label: "Reason of the termination or ending of the contractual arrangement",
      source: "blank",
    },
    {
      code: "B_02.02.0100",
      label: "Notice period for the financial entity making use of the ICT service(s)",
      source: "blank",
    },
    {
      code: "B_02.02.0110",
      label: "Notice period for the ICT third-party service provider",
      source: "blank",
    },
    {
      code: "B_02.02.0120",
      label: "Country of the governing law of the contractual arrangement",
      source: "blank",
    },
    {
      code: "B_02.02.0130",
      label: "Country of provision of the ICT services",
      source: "estate",
      codeList: "countries",
    },
    { code: "B_02.02.0140", label: "Storage of data", source: "estate", codeList: "yes-no" },
    {
      code: "B_02.02.0150",
      label: "Location of the data at rest (storage)",
      source: "estate",
      codeList: "countries",
    },
    {
      code: "B_02.02.0160",
      label: "Location of management of the data (processing)",
      source: "estate",
      codeList: "countries",
    },
    {
      code: "B_02.02.0170",
      label: "Sensitiveness of the data stored by the ICT third-party service provider",
      source: "estate",
      codeList: "sensitiveness",
    },
    {
      code: "B_02.02.0180",
      label: "Level of reliance on the ICT service supporting the critical or important function",
      source: "estate",
      codeList: "reliance",
    },
  ],
  rows(estate, ids) {
    return estate.services.map((service) => [
      ids.contract(service.provider),
      ids.entity,
      ids.provider(service.provider),
      ids.providerCodeType(service.provider),
      "",
      service.serviceType,
      "",
      "",
      "",
      "",
      "",
      "",
      service.countriesOfProcessing[0] ?? "",
      service.dataStored ? "Yes" : "No",
      service.dataStored ? (service.countriesAtRest[0] ?? "") : "",
      service.countriesOfProcessing[0] ?? "",
      service.sensitiveness,
      service.reliance,
    ]);
  },
};
