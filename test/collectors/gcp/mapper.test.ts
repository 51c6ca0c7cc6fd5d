import { describe, expect, it } from "vitest";
import {
  type GcpProject,
  lastSegment,
  mapAssetResult,
  regionFromLocation,
} from "../../../src/collectors/gcp/mapper.js";

describe("regionFromLocation", () => {
  it.each([
    ["us-central1-a", "us-central1"],
    ["europe-west4-b", "europe-west4"],
    ["northamerica-northeast1-c", "northamerica-northeast1"],
    ["asia-northeast3", "asia-northeast3"],
    ["global", "global"],
    ["US", "us"],
    ["EU", "eu"],
    ["asia", "asia"],
    ["nam4", "nam4"],
    ["", undefined],
    [null, undefined],
  ])("%s -> %s", (location, region) => {
    expect(regionFromLocation(location)).toBe(region);
  });
});

const shop: GcpProject = {
  projectId: "shop-prod",
  name: "projects/1001",
  labels: { env: "prod", app: "shop" },
  hierarchy: ["organizations/100", "folders/300"],
};

describe("mapAssetResult", () => {
  it("names a resource by its display name, else the last segment of its full name", () => {
    expect(lastSegment("//compute.googleapis.com/projects/p/zones/z/instances/vm-1")).toBe("vm-1");
    const directory = { byName: new Map([[shop.name, shop]]) };
    const mapped = mapAssetResult(
      {
        name: "//storage.googleapis.com/exports",
        assetType: "storage.googleapis.com/Bucket",
        location: "EU",
      },
      shop,
      directory,
    );
    expect(mapped).toEqual({
      id: "//storage.googleapis.com/exports",
      provider: "gcp",
      account: "shop-prod",
      region: "eu",
      type: "storage.googleapis.com/Bucket",
      name: "exports",
      tags: { env: "prod", app: "shop" },
      tagOrigins: { env: "projects/shop-prod", app: "projects/shop-prod" },
      hierarchy: ["organizations/100", "folders/300"],
      source: "gcp:shop-prod",
    });
  });

  it("uses the project a result names by number, and the asset's own ancestry when the project's is unknown", () => {
    const other: GcpProject = { projectId: "shared-vpc", name: "projects/2002", labels: {}, hierarchy: [] };
    const directory = {
      byName: new Map([
        [shop.name, shop],
        [other.name, other],
      ]),
    };
    const mapped = mapAssetResult(
      {
        name: "//compute.googleapis.com/projects/shared-vpc/regions/us-east1/subnetworks/a",
        project: "projects/2002",
        location: "us-east1",
        labels: { env: "staging" },
        folders: ["folders/9", "folders/8"],
        organization: "organizations/7",
      },
      shop,
      directory,
    );
    expect(mapped).toMatchObject({
      account: "shared-vpc",
      tags: { env: "staging" },
      hierarchy: ["organizations/7", "folders/8", "folders/9"],
    });
    expect(mapped?.tagOrigins).toBeUndefined();
  });

  it("skips a result without a name", () => {
    expect(mapAssetResult({ assetType: "x" }, shop, { byName: new Map() })).toBeUndefined();
  });
});
