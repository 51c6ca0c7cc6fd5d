import { describe, expect, it } from "vitest";
import { parseArn } from "../../../src/collectors/aws/arn.js";
import { toResource } from "../../../src/collectors/aws/resource.js";
import { SecretScrubber } from "../../../src/collectors/aws/scrub.js";
import { tagsToRecord } from "../../../src/collectors/aws/tags.js";

const scope = { account: "111111111111", region: "eu-west-1", source: "aws:111111111111/eu-west-1" };

describe("ARN mapping", () => {
  it.each([
    ["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", "ec2:instance", "i-0abc", "us-east-1"],
    ["arn:aws:dynamodb:us-west-2:644160558196:table/rolltop", "dynamodb:table", "rolltop", "us-west-2"],
    [
      "arn:aws:lambda:us-east-1:123412341234:function:resource-fixer",
      "lambda:function",
      "resource-fixer",
      "us-east-1",
    ],
    ["arn:aws:rds:eu-central-1:123456789012:db:pos", "rds:db", "pos", "eu-central-1"],
    ["arn:aws:sqs:us-west-1:644160558196:test-sqs-4", "sqs:queue", "test-sqs-4", "us-west-1"],
    [
      "arn:aws:logs:us-west-2:644160558196:log-group:expert-cougar-1:*",
      "logs:log-group",
      "expert-cougar-1",
      "us-west-2",
    ],
    [
      "arn:aws:apigateway:us-east-1::/restapis/5xhc1cnb7h/stages/latest",
      "apigateway:restapis",
      "5xhc1cnb7h/stages/latest",
      "us-east-1",
    ],
    [
      "arn:aws:cassandra:us-east-1:644160558196:/keyspace/c7n_test/",
      "cassandra:keyspace",
      "c7n_test",
      "us-east-1",
    ],
    ["arn:aws:iam::644160558196:policy/MyAdminPolicy", "iam:policy", "MyAdminPolicy", "global"],
    [
      "arn:aws:cloudfront::644160558196:distribution/E3U7J4TIDRMINY",
      "cloudfront:distribution",
      "E3U7J4TIDRMINY",
      "global",
    ],
  ])("%s -> %s named %s in %s", (arn, type, name, region) => {
    const resource = toResource(arn, {}, scope);
    expect(resource).toMatchObject({ id: arn, provider: "aws", type, name, region });
  });

  it("keeps an S3 bucket in the region that listed it and in the scanning account", () => {
    expect(toResource("arn:aws:s3:::pos-exports", {}, scope)).toMatchObject({
      type: "s3:bucket",
      name: "pos-exports",
      region: "eu-west-1",
      account: "111111111111",
    });
  });

  it.each([
    ["arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1", "cn-north-1"],
    ["arn:aws-us-gov:s3:::gov-bucket", "eu-west-1"],
    ["arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/t", "us-gov-west-1"],
  ])("maps the %s partition to provider aws", (arn, region) => {
    expect(parseArn(arn)).toBeDefined();
    expect(toResource(arn, {}, scope)).toMatchObject({ provider: "aws", region });
  });

  it("rejects text that is not an ARN", () => {
    expect(toResource("i-0abc", {}, scope)).toBeUndefined();
    expect(parseArn("arn:gcp:ec2:r:a:x")).toBeUndefined();
  });

  it("turns a tag list into a record, dropping keyless tags", () => {
    expect(tagsToRecord([{ Key: "env", Value: "prod" }, { Key: "empty" }, { Value: "orphan" }])).toEqual({
      env: "prod",
      empty: "",
    });
  });
});

describe("secret scrubbing", () => {
  it("removes remembered values and key-shaped strings but keeps ARNs", () => {
    const scrubber = new SecretScrubber();
    scrubber.remember({
      accessKeyId: "AKIDREMEMBERED",
      secretAccessKey: "s3cr3t-value",
      sessionToken: "tok-123",
    });
    const text = scrubber.scrub(
      "key AKIDREMEMBERED secret s3cr3t-value token tok-123 other ASIAABCDEFGHIJKLMNOP long wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY on arn:aws:iam::123456789012:role/OrganizationAccountAccessRole",
    );
    expect(text).not.toMatch(/AKIDREMEMBERED|s3cr3t-value|tok-123|ASIAABCDEFGHIJKLMNOP|wJalrXUtnFEMI/);
    expect(text).toContain("arn:aws:iam::123456789012:role/OrganizationAccountAccessRole");
  });
});
