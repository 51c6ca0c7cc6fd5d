/**
 * `landlord collect --shard i/n`: the runs of a CI matrix or a Kubernetes Job array split the
 * organisation's accounts between them, and `landlord scan --inventory shard-*.jsonl` puts the
 * pieces back together into the report one unsharded run gives.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourcesOfShard } from "../../src/cli/commands/collect.js";
import { inShard, parseShard } from "../../src/collectors/shard.js";
import type { Resource } from "../../src/inventory/types.js";
import type { SourceEntry } from "../../src/profile/schema.js";
import type { Report } from "../../src/report/types.js";
import {
  type FakeAccount,
  type FakeAws,
  startFakeAws,
  syntheticResources,
} from "../collectors/aws/fake-aws.js";
import { runCli } from "../helpers/cli.js";

describe("shard assignment", () => {
  const accounts = Array.from({ length: 2000 }, (_, index) => String(100000000000 + index * 7919));

  it.each([1, 2, 3, 8, 16, 50])("puts every account in exactly one of %i shards", (count) => {
    const owners = accounts.map(
      (account) =>
        Array.from({ length: count }, (_, index) => index + 1).filter((index) =>
          inShard(account, { index, count }),
        ).length,
    );
    expect(owners.every((owned) => owned === 1)).toBe(true);
  });

  it("spreads accounts evenly enough that no run of a matrix waits on a giant shard", () => {
    const count = 8;
    const sizes = Array.from(
      { length: count },
      (_, index) => accounts.filter((account) => inShard(account, { index: index + 1, count })).length,
    );
    expect(Math.min(...sizes)).toBeGreaterThan((accounts.length / count) * 0.8);
    expect(Math.max(...sizes)).toBeLessThan((accounts.length / count) * 1.2);
  });

  it("parses i/n and rejects what is not a shard", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(parseShard(" 1/1 ")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "2", "a/b", "1/0", "-1/2", "1/2/3"])
      expect(parseShard(bad)).toBeUndefined();
  });

  it("reads file, vendors and Terraform sources in shard 1 only, cloud sources in every shard", () => {
    const sources: SourceEntry[] = [
      { file: "./inventory.json" },
      { vendors: "./vendors.yaml" },
      { aws: { regions: "all" } },
    ];
    expect(sourcesOfShard(sources, { index: 1, count: 3 })).toEqual(sources);
    expect(sourcesOfShard(sources, { index: 2, count: 3 })).toEqual([{ aws: { regions: "all" } }]);
  });
});

const MANAGEMENT = "100000000000";
const REGIONS = ["eu-west-1", "us-east-1"];

function memberAccount(id: string, perRegion: number): FakeAccount {
  return {
    id,
    resources: Object.fromEntries(
      REGIONS.map((region) => [region, syntheticResources(id, region, perRegion)]),
    ),
    globalResources: [{ arn: `arn:aws:iam::${id}:role/app-runner`, tags: { app: "pos", env: "prod" } }],
  };
}

describe("landlord collect --shard against a fake AWS organisation", () => {
  let fake: FakeAws;
  let folder: string;
  const accountIds = [
    MANAGEMENT,
    ...Array.from({ length: 23 }, (_, index) => String(200000000000 + index * 104729)),
  ];
  const env = {
    AWS_ACCESS_KEY_ID: "AKIDLANDLORDCALLER",
    AWS_SECRET_ACCESS_KEY: "caller-secret-value",
    AWS_REGION: "us-east-1",
  };

  beforeAll(async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: accountIds.map((id, index) => memberAccount(id, 3 + (index % 5))),
      regions: REGIONS.map((name) => ({ name })),
    });
    folder = await mkdtemp(path.join(os.tmpdir(), "landlord-shard-"));
    await writeFile(
      path.join(folder, "inventory.json"),
      JSON.stringify({
        resources: [
          { id: "dc1/vm-1", provider: "onprem", region: "dc-chicago", tags: { app: "pos" } },
          { id: "dc1/vm-2", provider: "onprem", region: "dc-chicago", tags: { app: "pos" } },
        ],
      }),
    );
    await writeFile(
      path.join(folder, "landlord.yaml"),
      [
        "organization: { name: Sharded Retail, segments: [retail], jurisdiction: US }",
        "sources:",
        "  - file: ./inventory.json",
        `  - aws: { endpoint: "${fake.url}", regions: [${REGIONS.join(", ")}], organization: { roleName: OrganizationAccountAccessRole } }`,
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await fake?.close();
  });

  const collect = async (output: string, ...extra: string[]) => {
    const result = await runCli(["collect", "--quiet", "--output", output, ...extra], { cwd: folder, env });
    expect(result.stderr).not.toMatch(/bug/);
    expect(result.code).toBe(0);
    const text = await readFile(path.join(folder, output), "utf8");
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Resource);
  };

  it("collects every account exactly once across the shards, and merged shards scan like one run", async () => {
    const single = await collect("single.jsonl");
    const shards = [];
    for (let index = 1; index <= 3; index++)
      shards.push(await collect(`shard-${index}.jsonl`, "--shard", `${index}/3`));

    // Accounts: each one in exactly one shard, all of them somewhere.
    const accountsOf = (resources: Resource[]) =>
      new Set(resources.filter((r) => r.provider === "aws").map((r) => r.account));
    const shardAccounts = shards.map(accountsOf);
    expect(shardAccounts.every((accounts) => accounts.size > 0)).toBe(true);
    const owners = accountIds.map((id) => shardAccounts.filter((accounts) => accounts.has(id)).length);
    expect(owners).toEqual(accountIds.map(() => 1));

    // Resources: the shards together hold what one run holds, each resource once.
    const ids = (resources: Resource[]) => resources.map((resource) => resource.id).sort();
    const merged = ids(shards.flat());
    expect(new Set(merged).size).toBe(merged.length);
    expect(merged).toEqual(ids(single));
    expect(ids(single).filter((id) => id.startsWith("arn:"))).toEqual(fake.expectedArns());
    // The file source is read by shard 1 only.
    expect(shards.map((shard) => shard.filter((r) => r.provider === "onprem").length)).toEqual([2, 0, 0]);

    const scan = async (...files: string[]) => {
      const result = await runCli(
        [
          "scan",
          "--quiet",
          "--format",
          "json",
          "--fail-on",
          "none",
          ...files.flatMap((file) => ["--inventory", file]),
        ],
        { cwd: folder, env },
      );
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as Report;
    };
    const one = await scan("single.jsonl");
    const pieces = await scan("shard-1.jsonl", "shard-2.jsonl", "shard-3.jsonl");
    // The coverage lists the files read, which differ by design; everything judged must not.
    const comparable = (report: Report) => ({
      ...report,
      generatedAt: undefined,
      coverage: report.coverage.reduce((sum, entry) => sum + entry.resources, 0),
      findings: [...report.findings].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
    });
    expect(pieces.summary.resources).toBe(single.length);
    expect(comparable(pieces)).toEqual(comparable(one));
  });

  it("refuses a malformed shard with a usage error", async () => {
    const result = await runCli(["collect", "--shard", "4/3"], { cwd: folder, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shard 4\/3 is not a shard/);
  });
});
