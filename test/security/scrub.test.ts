/**
 * The secret scrubbers: the shared {@link redactSecrets} and the collectors' own scrubbers built on
 * it remove every credential shape landlord can meet, and leave ordinary diagnostics readable.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SecretScrubber } from "../../src/collectors/aws/scrub.js";
import { TokenScrubber } from "../../src/collectors/azure/credential.js";
import { redactSecrets } from "../../src/secrets.js";
import { recordTally } from "../faults/tally.js";

/** A message carrying a secret, and the secret that must disappear from it. */
const LEAKS: Array<[string, string, string]> = [
  [
    "SigV4 presigned URL",
    "https://b.s3.amazonaws.com/k?X-Amz-Signature=3f1c0ffee0ddba11c0ffee0ddba11c0ffee0d&x=1",
    "3f1c0ffee0ddba11c0ffee0ddba11",
  ],
  [
    "SigV4 session token in a URL",
    "GET /?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEAb%2Fabc&X-Amz-Date=1",
    "IQoJb3JpZ2luX2VjEAb",
  ],
  [
    "SigV4 credential in a URL",
    "?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261121%2Fus-east-1",
    "AKIAIOSFODNN7EXAMPLE",
  ],
  [
    "SigV4 Authorization header",
    "authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261121/us-east-1/tag/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027",
    "fe5f80f77d5fa3beca038a248ff027",
  ],
  [
    "Azure SAS signature",
    "https://acct.blob.core.windows.net/c/b?sv=2023-01-03&sp=r&sig=abcdef0123456789abcdef0123456789%3D",
    "abcdef0123456789abcdef",
  ],
  [
    "Google signed URL",
    "https://storage.googleapis.com/b/o?X-Goog-Signature=0123abcd0123abcd0123abcd0123abcd&X-Goog-Date=1",
    "0123abcd0123abcd0123abcd",
  ],
  [
    "Basic Authorization header",
    "proxy said: Authorization: Basic bGFuZGxvcmQ6aHVudGVyMg== (denied)",
    "bGFuZGxvcmQ6aHVudGVyMg",
  ],
  ["bearer token", "request failed: Authorization was Bearer abc.def-ghi_jkl~mno", "abc.def-ghi_jkl~mno"],
  [
    "JWT",
    "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYW5kbG9yZCJ9.c2lnbmF0dXJl rejected",
    "eyJzdWIiOiJsYW5kbG9yZCJ9",
  ],
  [
    "Google OAuth access token",
    "invalid credential ya29.a0AfH6SMBx-landlord-token_value",
    "a0AfH6SMBx-landlord-token_value",
  ],
  [
    "OAuth JSON field",
    '{"access_token":"opaque-token-value-123","token_type":"Bearer"}',
    "opaque-token-value-123",
  ],
  [
    "client secret in a form body",
    "grant_type=client_credentials&client_id=x&client_secret=Very~Secret.Value_1",
    "Very~Secret.Value_1",
  ],
  ["AWS secret field", "SecretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG"],
  ["AWS access key id", "The key AKIAIOSFODNN7EXAMPLE is not valid", "AKIAIOSFODNN7EXAMPLE"],
  [
    "service account private key",
    '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0B\\n-----END PRIVATE KEY-----\\n"',
    "MIIEvQIBADANBgkqhkiG9w0B",
  ],
  [
    "PEM block",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1x\n-----END RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEA1x",
  ],
];

/** Ordinary diagnostic text that must come through unchanged. */
const ORDINARY = [
  "AWS account 123456789012, region eu-west-1: GetResources was denied (AccessDeniedException)",
  "arn:aws:s3:::pos-exports-2024 and arn:aws:lambda:us-east-1:123456789012:function:checkout",
  "/subscriptions/5ab0c0de-0000-4000-8000-000000000001/resourceGroups/rg-1/providers/Microsoft.Web/sites/app",
  "The client does not have authorization to perform action 'Microsoft.Resources/subscriptions/resources/read'",
  "projects/landlord-prod/locations/asia-northeast3/instances/pos-db",
];

const scrubbers: Array<[string, (text: string) => string]> = [
  ["redactSecrets", (text) => redactSecrets(text)],
  ["AWS SecretScrubber", (text) => new SecretScrubber().scrub(text)],
  ["Azure TokenScrubber", (text) => new TokenScrubber().scrub(text)],
];

let payloads = 0;
afterAll(() => recordTally("secrets:scrubbers", { payloads }));

describe.each(scrubbers)("%s", (_name, scrub) => {
  it.each(LEAKS)("removes a %s", (_what, message, secret) => {
    payloads++;
    const clean = scrub(message);
    expect(clean).not.toContain(secret);
    expect(clean).toContain("[redacted]");
  });

  it("leaves ordinary diagnostics readable", () => {
    for (const text of ORDINARY) expect(scrub(text)).toBe(text);
  });
});

describe("redactSecrets with known values", () => {
  it("removes a known value wherever it appears, also percent-encoded", () => {
    const secret = "opaque/secret+value=1";
    const text = `raw ${secret} and encoded ${encodeURIComponent(secret)}`;
    expect(redactSecrets(text, [secret])).toBe("raw [redacted] and encoded [redacted]");
  });

  it("ignores known values too short to be secrets", () => {
    expect(redactSecrets("region us-east-1", ["us"])).toBe("region us-east-1");
  });
});
