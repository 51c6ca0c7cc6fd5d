import { afterEach, describe, expect, it } from "vitest";
import { type FakeAccount, type FakeAws, startFakeAws, syntheticResources } from "./fake-aws.js";
import { CALLER_CREDENTIALS, collect, ids } from "./helpers.js";

const MANAGEMENT = "100000000000";
const REGIONS = [
  { name: "eu-west-1" },
  { name: "us-east-1" },
  { name: "ap-northeast-2" },
  { name: "af-south-1", optIn: "not-opted-in" as const },
];

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function account(id: string, perRegion: number, extra: Partial<FakeAccount> = {}): FakeAccount {
  return {
    id,
    resources: Object.fromEntries(
      REGIONS.map((region) => [region.name, syntheticResources(id, region.name, perRegion)]),
    ),
    globalResources: [
      { arn: `arn:aws:iam::${id}:role/app-runner`, tags: { app: "pos" } },
      { arn: `arn:aws:cloudfront::${id}:distribution/E${id}`, tags: {} },
    ],
    ...extra,
  };
}

describe("collectAws against a fake AWS", () => {
  it("reads every page of every enabled region, keeping global resources once, despite throttling", async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: [account(MANAGEMENT, 53)],
      regions: REGIONS,
      pageSize: 7,
      throttleShare: 0.3,
    });
    const result = await collect(fake, { regions: "all" });

    expect(result.diagnostics).toEqual([]);
    expect(ids(result)).toEqual(fake.expectedArns());
    expect(new Set(ids(result)).size).toBe(result.resources.length);
    expect(result.resources).toHaveLength(3 * 53 + 2);
    // Throttled calls were retried by the SDK, not lost.
    expect(fake.stats.throttled).toBeGreaterThan(0);
    expect(fake.stats.maxAttempt).toBeGreaterThan(1);
    // af-south-1 is not opted in: never read, not reported as a failure.
    expect(result.coverage.map((entry) => entry.scope.region).sort()).toEqual([
      "ap-northeast-2",
      "eu-west-1",
      "us-east-1",
    ]);
    for (const entry of result.coverage) {
      expect(entry.status).toBe("complete");
      expect(entry.note).toMatch(/only resources that are or were tagged/);
    }
    expect(result.coverage.reduce((sum, entry) => sum + entry.resources, 0)).toBe(result.resources.length);

    const table = result.resources.find((resource) => resource.id.endsWith(":table/orders-1"));
    expect(table).toMatchObject({
      provider: "aws",
      account: MANAGEMENT,
      type: "dynamodb:table",
      name: "orders-1",
      tags: { env: "prod", app: "app-1" },
    });
    expect(result.resources.find((resource) => resource.type === "iam:role")?.region).toBe("global");
    const done = result.progress.filter((event) => event.status === "done");
    expect(done).toHaveLength(3);
  });

  it("scans an organisation: assumes the role per account, reports denied accounts and scopes", async () => {
    const accounts = [
      account(MANAGEMENT, 4),
      account("200000000000", 11, { optedIn: ["af-south-1"], externalId: "landlord-ext" }),
      account("300000000000", 3, { denyAssumeRole: true }),
      account("400000000000", 5, { denyTagging: true }),
      account("500000000000", 2, { status: "SUSPENDED" }),
    ];
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts,
      regions: REGIONS,
      pageSize: 4,
      accountsPageSize: 2,
      throttleShare: 0.2,
    });
    const result = await collect(fake, {
      regions: "all",
      organization: { roleName: "OrganizationAccountAccessRole", externalId: "landlord-ext" },
    });

    expect(ids(result)).toEqual(fake.expectedArns({ accounts: [MANAGEMENT, "200000000000"] }));
    expect(result.diagnostics).toHaveLength(4);
    expect(new Set(ids(result)).size).toBe(result.resources.length);
    // The opted-in region of account 2 is read.
    expect(result.resources.some((resource) => resource.region === "af-south-1")).toBe(true);
    // The suspended account is not read at all.
    expect(result.resources.some((resource) => resource.account === "500000000000")).toBe(false);
    expect(fake.stats.calls.AssumeRole).toBe(3);

    const withCode = (code: string) => result.diagnostics.filter((diagnostic) => diagnostic.code === code);
    expect(withCode("aws-assume-role-failed")).toEqual([
      expect.objectContaining({
        level: "error",
        scope: { provider: "aws", account: "300000000000" },
        hint: expect.stringMatching(/trusts the scanning identity/),
      }),
    ]);
    expect(
      withCode("aws-access-denied")
        .map((diagnostic) => diagnostic.scope?.region)
        .sort(),
    ).toEqual(["ap-northeast-2", "eu-west-1", "us-east-1"]);
    expect(withCode("aws-access-denied")[0]?.hint).toMatch(/tag:GetResources/);
    const failed = result.coverage.filter((entry) => entry.status === "failed");
    expect(failed.map((entry) => `${entry.scope.account}/${entry.scope.region}`).sort()).toEqual([
      "300000000000/all",
      "400000000000/ap-northeast-2",
      "400000000000/eu-west-1",
      "400000000000/us-east-1",
    ]);

    // No credential value (caller keys, issued session keys) appears anywhere in the result.
    const serialized = JSON.stringify(result);
    for (const secret of [
      ...fake.stats.secretsIssued,
      CALLER_CREDENTIALS.secretAccessKey,
      CALLER_CREDENTIALS.accessKeyId,
    ]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it("reports a region that does not answer as a timeout and keeps the others", async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: [account(MANAGEMENT, 6)],
      regions: REGIONS,
      hangRegions: ["ap-northeast-2"],
    });
    const result = await collect(fake, {
      regions: ["eu-west-1", "ap-northeast-2", "us-east-1"],
      timeoutMs: 300,
    });

    expect(ids(result)).toEqual(fake.expectedArns({ regions: ["eu-west-1", "us-east-1"] }));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        level: "error",
        code: "aws-timeout",
        scope: { provider: "aws", account: MANAGEMENT, region: "ap-northeast-2" },
        message: expect.stringMatching(/did not answer within 300 ms/),
      }),
    ]);
    expect(result.coverage.find((entry) => entry.scope.region === "ap-northeast-2")?.status).toBe("failed");
  });

  it("reports an explicitly listed region that is disabled for the account", async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: [account(MANAGEMENT, 3)],
      regions: REGIONS,
    });
    const result = await collect(fake, { regions: ["eu-west-1", "af-south-1"] });

    expect(result.resources).toHaveLength(3 + 2);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: "aws-region-unavailable",
        scope: expect.objectContaining({ region: "af-south-1" }),
      }),
    ]);
  });

  it("reads an explicit account list with a role, split into shards that add up to the whole", async () => {
    const members = ["211111111111", "222222222222", "233333333333", "244444444444", "255555555555"];
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: members.map((id) => account(id, 3)),
      regions: REGIONS,
    });
    const source = { regions: ["us-east-1"], accounts: members, roleName: "LandlordReader" };
    const whole = await collect(fake, source);
    expect(ids(whole)).toEqual(fake.expectedArns({ regions: ["us-east-1"] }));

    const first = await collect(fake, source, { shard: { index: 1, count: 2 } });
    const second = await collect(fake, source, { shard: { index: 2, count: 2 } });
    expect([...ids(first), ...ids(second)].sort()).toEqual(ids(whole));
    expect(first.resources.length).toBeGreaterThan(0);
    expect(second.resources.length).toBeGreaterThan(0);
  });

  it("adds untagged resources through Resource Explorer when enabled", async () => {
    const acct = account(MANAGEMENT, 3);
    acct.resources?.["eu-west-1"]?.push({
      arn: `arn:aws:ec2:eu-west-1:${MANAGEMENT}:volume/vol-untagged`,
      untagged: true,
    });
    acct.resources?.["eu-west-1"]?.push({ arn: "arn:aws:s3:::never-tagged-bucket", untagged: true });
    fake = await startFakeAws({ callerAccount: MANAGEMENT, accounts: [acct], regions: REGIONS, pageSize: 5 });

    const tagged = await collect(fake, { regions: ["eu-west-1"] });
    expect(tagged.resources.some((resource) => resource.id.endsWith("vol-untagged"))).toBe(false);

    const explored = await collect(fake, { regions: ["eu-west-1"], resourceExplorer: true });
    expect(ids(explored)).toEqual(fake.expectedArns({ regions: ["eu-west-1"], includeUntagged: true }));
    expect(
      explored.resources.find((resource) => resource.id === "arn:aws:s3:::never-tagged-bucket"),
    ).toMatchObject({
      region: "eu-west-1",
      type: "s3:bucket",
      tags: {},
    });
    const explorerEntry = explored.coverage.find((entry) => entry.scope.region === "resource-explorer");
    expect(explorerEntry).toMatchObject({ status: "complete", resources: 2 });
  });

  it("stays under the account-region rate limit without needing retries", async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: [account(MANAGEMENT, 30)],
      regions: REGIONS,
      pageSize: 5,
      rateLimitPerSecond: 5,
    });
    const result = await collect(fake, { regions: ["eu-west-1"], requestsPerSecond: 2 }, { maxAttempts: 1 });

    expect(result.diagnostics).toEqual([]);
    expect(fake.stats.throttled).toBe(0);
    expect(ids(result)).toEqual(fake.expectedArns({ regions: ["eu-west-1"] }));
  });

  it("turns missing caller permissions into one scoped error instead of an empty inventory", async () => {
    fake = await startFakeAws({
      callerAccount: MANAGEMENT,
      accounts: [account(MANAGEMENT, 2)],
      regions: REGIONS,
    });
    const result = await collect(fake, {
      endpoint: "http://127.0.0.1:9",
      regions: ["eu-west-1"],
      timeoutMs: 2000,
    });
    expect(result.resources).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ level: "error", scope: { provider: "aws" } });
    expect(result.coverage).toEqual([
      expect.objectContaining({ status: "failed", scope: { account: "unknown", region: "eu-west-1" } }),
    ]);
  });
});
