/**
 * A small stand-in catalog with the facts the builtin rule cases rely on (from the project's
 * reference facts), used while the builtin catalog is the placeholder. Once the real catalog is
 * merged, the builtin cases run against it instead (see builtin-rules.test.ts).
 */

import type {
  CertificationFacts,
  EnrichedResource,
  ProviderFacts,
  RegionFacts,
} from "../../src/catalog/types.js";
import type { CaseEnricher } from "../../src/rules/testing.js";
import { deriveFromTags } from "../../src/rules/testing.js";

const usLaws = [{ id: "us-cloud-act", name: "US CLOUD Act", jurisdiction: "US" }];
const cnLaws = [{ id: "cn-nil-art7", name: "China National Intelligence Law Art. 7", jurisdiction: "CN" }];

function provider(
  id: string,
  name: string,
  parent: string,
  parentName: string,
  hq: string,
  extra: Partial<ProviderFacts> = {},
): ProviderFacts {
  return {
    id,
    name,
    known: true,
    parent,
    parentName,
    headquarters: hq,
    accessLaws: hq === "US" ? usLaws : hq === "CN" ? cnLaws : [],
    competingSegments: [],
    lists: [],
    layer: "builtin",
    ...extra,
  };
}

const segment = (id: string, evidence: string) => ({ segment: id, evidence });

export const FAKE_PROVIDERS: Record<string, ProviderFacts> = {
  aws: provider("aws", "Amazon Web Services", "amazon", "Amazon.com, Inc.", "US", {
    competingSegments: [
      segment("retail", "Amazon.com marketplace"),
      segment("e-commerce", "Amazon.com marketplace"),
      segment("grocery", "Whole Foods Market, bought in 2017"),
      segment("streaming-video", "Prime Video"),
    ],
  }),
  azure: provider("azure", "Microsoft Azure", "microsoft", "Microsoft Corporation", "US", {
    competingSegments: [segment("gaming", "Xbox")],
  }),
  gcp: provider("gcp", "Google Cloud", "alphabet", "Alphabet Inc.", "US", {
    competingSegments: [segment("streaming-video", "YouTube"), segment("advertising", "Google Ads")],
  }),
  oracle: provider("oracle", "Oracle Cloud Infrastructure", "oracle", "Oracle Corporation", "US"),
  alibaba: provider("alibaba", "Alibaba Cloud", "alibaba", "Alibaba Group Holding Limited", "CN", {
    competingSegments: [segment("e-commerce", "Taobao, Tmall")],
  }),
  huawei: provider("huawei", "Huawei Cloud", "huawei", "Huawei Technologies Co., Ltd.", "CN", {
    lists: [{ list: "fcc-covered-list", name: "FCC Covered List", jurisdiction: "US", listed: "2021-03-12" }],
  }),
  kt: provider("kt", "KT Cloud", "kt", "KT Corporation", "KR"),
  onprem: provider("onprem", "On-premises", "self", "The organisation itself", ""),
};

const REGIONS: Record<string, string> = {
  "us-east-1": "US",
  "us-west-2": "US",
  "eu-west-1": "IE",
  "eu-central-1": "DE",
  "ap-northeast-1": "JP",
  "ap-northeast-2": "KR",
  "ap-southeast-1": "SG",
  eastus: "US",
  "us-central1": "US",
  "europe-west1": "BE",
  "asia-northeast3": "KR",
  "us-ashburn-1": "US",
  "kr-central-1": "KR",
};

const CERTIFICATIONS: Record<string, CertificationFacts[]> = {
  kt: [{ id: "csap-high", scheme: "csap", level: "high", country: "KR" }],
  aws: [{ id: "fedramp-high", scheme: "fedramp", level: "high", country: "US" }],
};

const LOCK_IN: Record<string, EnrichedResource["lockIn"]> = {
  "dynamodb:table": {
    service: "Amazon DynamoDB",
    class: "proprietary",
    equivalents: { azure: "Cosmos DB", gcp: "Firestore" },
  },
  "lambda:function": {
    service: "AWS Lambda",
    class: "proprietary",
    equivalents: { azure: "Azure Functions", gcp: "Cloud Run functions" },
  },
  "ec2:instance": {
    service: "Amazon EC2",
    class: "portable",
    equivalents: { azure: "Virtual Machines", gcp: "Compute Engine" },
  },
};

/** Derives attributes from tags and attaches the stand-in facts. */
export const fakeEnricher: CaseEnricher = async (resources, profile) =>
  resources.map((input) => {
    const resource = deriveFromTags(input, profile);
    const providerFacts =
      FAKE_PROVIDERS[resource.provider] ??
      provider(resource.provider, resource.provider, resource.provider, resource.provider, "", {
        known: false,
      });
    const code = resource.region ?? "unknown";
    const country = REGIONS[code];
    const regionFacts: RegionFacts = {
      code,
      known: country !== undefined,
      government: false,
      sovereign: false,
      chinaOperated: false,
      closed: false,
      global: code === "global",
      layer: "builtin",
      ...(country === undefined ? {} : { country }),
    };
    const enriched: EnrichedResource = {
      ...resource,
      providerFacts,
      regionFacts,
      certifications: CERTIFICATIONS[resource.provider] ?? [],
    };
    const lockIn = resource.type === undefined ? undefined : LOCK_IN[resource.type];
    if (lockIn) enriched.lockIn = lockIn;
    return enriched;
  });
