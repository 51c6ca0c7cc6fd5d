/**
 * Replays real recorded Tagging API responses (cloud-custodian placebo recordings) through the fake
 * server and the real SDK client, and checks what the collector makes of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArn } from "../../../src/collectors/aws/arn.js";
import type { Resource } from "../../../src/inventory/types.js";
import { type FakeAws, startFakeAws } from "./fake-aws.js";
import { collect } from "./helpers.js";

const RECORDED = path.resolve(
  import.meta.dirname,
  "../../../../shared/fixtures/recorded/aws/custodian-placebo",
);
const available = existsSync(RECORDED);
if (!available) {
  console.warn(`Skipping the AWS replay test: recorded fixtures not found at ${RECORDED}`);
}

interface Placebo {
  status_code: number;
  data: {
    ResourceTagMappingList?: { ResourceARN: string; Tags?: { Key: string; Value: string }[] }[];
  } & Record<string, unknown>;
}

/** Recorded GetResources bodies grouped by the region of their first ARN (`global` for IAM, CloudFront). */
function recordedPages(): Record<string, Record<string, unknown>[]> {
  const pages: Record<string, Record<string, unknown>[]> = {};
  for (const test of readdirSync(RECORDED).sort()) {
    for (const file of readdirSync(path.join(RECORDED, test)).sort()) {
      if (!file.startsWith("tagging.GetResources_")) continue;
      const recording = JSON.parse(readFileSync(path.join(RECORDED, test, file), "utf8")) as Placebo;
      if (recording.status_code !== 200) continue;
      const { ResponseMetadata: _metadata, ...body } = recording.data;
      const first = recording.data.ResourceTagMappingList?.[0]?.ResourceARN;
      if (!first) continue;
      const region = parseArn(first)?.region || "us-east-1";
      pages[region] ??= [];
      pages[region].push(body);
    }
  }
  return pages;
}

describe.skipIf(!available)("replay of recorded GetResources responses", () => {
  let fake: FakeAws;
  let pages: Record<string, Record<string, unknown>[]>;
  let resources: Resource[];
  let recordedArns: string[];

  beforeAll(async () => {
    pages = recordedPages();
    const regions = Object.keys(pages).sort();
    recordedArns = [
      ...new Set(
        Object.values(pages).flatMap((bodies) =>
          bodies.flatMap((body) =>
            ((body.ResourceTagMappingList as { ResourceARN: string }[] | undefined) ?? []).map(
              (m) => m.ResourceARN,
            ),
          ),
        ),
      ),
    ].sort();
    fake = await startFakeAws({
      callerAccount: "644160558196",
      accounts: [{ id: "644160558196" }],
      regions: regions.map((name) => ({ name })),
      replayGetResources: pages,
    });
    const result = await collect(fake, { regions, requestsPerSecond: 15 });
    expect(result.diagnostics).toEqual([]);
    resources = result.resources;
  });
  afterAll(async () => fake?.close());

  it("maps every recorded ARN once, across chained pages of several regions", () => {
    expect(Object.keys(pages).length).toBeGreaterThan(3);
    expect(resources.map((resource) => resource.id).sort()).toEqual(recordedArns);
    expect(fake.stats.calls.GetResources).toBe(
      Object.values(pages).reduce((sum, bodies) => sum + bodies.length, 0),
    );
  });

  it("reads type, name, region, account and tags from real ARNs", () => {
    const byId = new Map(resources.map((resource) => [resource.id, resource]));
    expect(byId.get("arn:aws:dynamodb:us-west-2:644160558196:table/rolltop")).toMatchObject({
      provider: "aws",
      type: "dynamodb:table",
      name: "rolltop",
      region: "us-west-2",
      account: "644160558196",
    });
    expect(byId.get("arn:aws:lambda:us-east-1:123412341234:function:resource-fixer")).toMatchObject({
      type: "lambda:function",
      name: "resource-fixer",
      account: "123412341234",
    });
    expect(byId.get("arn:aws:cloudfront::644160558196:distribution/E3U7J4TIDRMINY")).toMatchObject({
      type: "cloudfront:distribution",
      region: "global",
      tags: { tag: "value" },
    });
    expect(byId.get("arn:aws:iam::644160558196:policy/MyAdminPolicy")).toMatchObject({ region: "global" });
    expect(byId.get("arn:aws:sns:ap-northeast-2:644160558196:sandbox-relay")).toMatchObject({
      type: "sns:topic",
      region: "ap-northeast-2",
    });
    for (const resource of resources) {
      expect(resource.type).toMatch(/^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/);
      expect(resource.name).not.toBe("");
    }
  });
});
