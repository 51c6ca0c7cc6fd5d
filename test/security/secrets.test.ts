/**
 * Credentials never reach what landlord prints or writes. The built binary scans a fake AWS and a
 * fake ARM whose error bodies echo the caller's key, secret, session token, bearer token and
 * signed URLs; every output format, stdout and stderr are then searched for those values.
 * The same runs prove the CLI side of fault handling: a scope that cannot be read is named on
 * stderr and the scan exits 3.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type FakeAws, startFakeAws, syntheticResources } from "../collectors/aws/fake-aws.js";
import {
  type FakeArm,
  makeResources,
  makeSubscriptionId,
  startFakeArm,
  testCertificate,
} from "../collectors/azure/fake-arm.js";
import { type FaultProxy, startFaultProxy } from "../faults/fault-proxy.js";
import { recordTally } from "../faults/tally.js";
import { runCli } from "../helpers/cli.js";

const AWS_KEY = "AKIAZZLANDLORDLEAK01";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLANDLORDLEAK";
const AWS_TOKEN = "IQoJb3JpZ2luX2VjELANDLORDSESSIONTOKEN0123456789abcdefXYZ";
const AWS_SIGNATURE = "3f1c0ffee0ddba11c0ffee0ddba11c0ffee0ddba11c0ffee0ddba11c0ffee0d";
const ARM_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJsYW5kbG9yZCJ9.c2lnbmF0dXJlLWxhbmRsb3Jk";
const SAS_SIGNATURE = "sv2023Leak%2Fsig%3DLANDLORDSASSIGNATURE";

/** Every output a scan can write at once, by file name. */
const OUTPUTS = [
  ["text", "report.txt"],
  ["json", "report.json"],
  ["markdown", "report.md"],
  ["html", "report.html"],
  ["csv", "report.csv"],
  ["inventory-csv", "inventory.csv"],
  ["sarif", "report.sarif"],
  ["junit", "report.xml"],
] as const;

const folders: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
let outputsSearched = 0;
afterAll(() => recordTally("secrets", { outputsSearched }));

function workspace(profile: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), "landlord-secrets-"));
  folders.push(folder);
  writeFileSync(path.join(folder, "landlord.yaml"), profile);
  return folder;
}

function formatArgs(): string[] {
  return OUTPUTS.flatMap(([format, file]) => ["--format", format, "--output", file]);
}

/** Asserts none of `secrets` (nor a recognisable piece of one) appears in any output. */
function expectNoSecrets(folder: string, streams: string[], secrets: readonly string[]): void {
  const texts = [...streams, ...OUTPUTS.map(([, file]) => readFileSync(path.join(folder, file), "utf8"))];
  outputsSearched += texts.length;
  for (const text of texts) {
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(8, 28));
    }
  }
}

describe("no credential reaches an output", () => {
  it("AWS: keys from the environment and echoed in error bodies and signed URLs are redacted; exit 3", async () => {
    const account = "100000000000";
    const fake: FakeAws = await startFakeAws({
      callerAccount: account,
      accounts: [
        {
          id: account,
          resources: {
            "eu-west-1": syntheticResources(account, "eu-west-1", 12),
            "us-east-1": syntheticResources(account, "us-east-1", 12),
          },
        },
      ],
      regions: [{ name: "eu-west-1" }, { name: "us-east-1" }],
    });
    closers.push(() => fake.close());
    const signedUrl = `https://landlord-exports.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${AWS_KEY}%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${AWS_TOKEN}&X-Amz-Signature=${AWS_SIGNATURE}`;
    const proxy: FaultProxy = await startFaultProxy(fake.url, ({ headers }) => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(headers.authorization ?? ""))?.[1];
      if (!String(headers["x-amz-target"] ?? "").endsWith("GetResources") || region !== "us-east-1")
        return undefined;
      return {
        kind: "respond",
        status: 400,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: JSON.stringify({
          __type: "AccessDeniedException",
          message: `User with key ${AWS_KEY} and secret ${AWS_SECRET} (token ${AWS_TOKEN}) may not call tag:GetResources; see ${signedUrl} or ${String(headers.authorization)}`,
        }),
      };
    });
    closers.push(() => proxy.close());
    const folder = workspace(
      `organization: { name: Leak Test, segments: [retail], jurisdiction: US }\nsources:\n  - aws: { endpoint: "${proxy.url}", regions: [eu-west-1, us-east-1], maxAttempts: 2 }\n`,
    );
    const result = await runCli(["scan", ...formatArgs()], {
      cwd: folder,
      env: {
        AWS_ACCESS_KEY_ID: AWS_KEY,
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_SESSION_TOKEN: AWS_TOKEN,
        AWS_REGION: "us-east-1",
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/us-east-1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(path.join(folder, "report.json"), "utf8")) as {
      summary: { resources: number; complete: boolean };
      diagnostics: Array<{ code: string; message: string }>;
    };
    expect(report.summary).toMatchObject({ resources: 12, complete: false });
    expect(report.diagnostics.map((diagnostic) => diagnostic.code)).toContain("aws-access-denied");
    expectNoSecrets(folder, [result.stdout, result.stderr], [AWS_KEY, AWS_SECRET, AWS_TOKEN, AWS_SIGNATURE]);
  });

  it("Azure: a managed-identity token that expires, echoed by ARM with a SAS URL, is redacted; exit 3", async () => {
    const subscriptions = [1, 2].map(makeSubscriptionId);
    const fake: FakeArm = await startFakeArm({
      token: ARM_TOKEN,
      subscriptions: subscriptions.map((subscriptionId) => ({
        subscriptionId,
        resources: makeResources(subscriptionId, 9),
      })),
    });
    closers.push(() => fake.close());
    const victim = subscriptions[1] as string;
    const sasUrl = `https://landlordleak.blob.core.windows.net/exports/report.csv?sv=2023-01-03&se=2026-12-01&sp=r&sig=${SAS_SIGNATURE}`;
    const proxy = await startFaultProxy(
      fake.endpoint,
      ({ url, headers }) =>
        url.includes(`${victim}/resources`)
          ? {
              kind: "respond",
              status: 401,
              body: JSON.stringify({
                error: {
                  code: "ExpiredAuthenticationToken",
                  message: `Failed for ${String(headers.authorization)}; token=${ARM_TOKEN}; upload to ${sasUrl}`,
                },
              }),
            }
          : undefined,
      testCertificate(),
    );
    closers.push(() => proxy.close());
    const identity = http.createServer((request, response) => {
      const body = JSON.stringify({
        access_token: ARM_TOKEN,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        token_type: "Bearer",
        resource: "https://management.azure.com",
      });
      response.writeHead(request.url?.startsWith("/msi/token") ? 200 : 404, {
        "content-type": "application/json",
      });
      response.end(body);
    });
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => identity.close(() => resolve())));
    const folder = workspace(
      `organization: { name: Leak Test, segments: [retail], jurisdiction: US }\nsources:\n  - azure: { endpoint: "${proxy.url}", subscriptions: all }\n`,
    );
    writeFileSync(path.join(folder, "ca.pem"), fake.ca);
    const result = await runCli(["scan", ...formatArgs()], {
      cwd: folder,
      env: {
        IDENTITY_ENDPOINT: `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`,
        IDENTITY_HEADER: "landlord-test",
        NODE_EXTRA_CA_CERTS: path.join(folder, "ca.pem"),
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(victim);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(path.join(folder, "report.json"), "utf8")) as {
      summary: { resources: number; complete: boolean };
    };
    expect(report.summary).toMatchObject({ resources: 9, complete: false });
    expectNoSecrets(folder, [result.stdout, result.stderr], [ARM_TOKEN, SAS_SIGNATURE]);
  });
});
