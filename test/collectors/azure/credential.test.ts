import { describe, expect, it } from "vitest";
import { credentialScopeFor, TokenScrubber } from "../../../src/collectors/azure/credential.js";
import { parseQuotaReset, retryAfterMs } from "../../../src/collectors/azure/retry.js";

describe("TokenScrubber", () => {
  it("removes tokens it handed out, bearer headers, JWTs and secrets from messages", () => {
    const scrubber = new TokenScrubber();
    scrubber.remember("opaque-token-123456");
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYW5kbG9yZCJ9.c2lnbmF0dXJl";
    const text = scrubber.scrub(
      `failed with opaque-token-123456; Authorization: Bearer abc.def-ghi; raw ${jwt}; {"access_token":"s3cr3t"} url?sig=xyz&x=1`,
    );
    for (const secret of ["opaque-token-123456", "abc.def-ghi", jwt, "s3cr3t", "sig=xyz"])
      expect(text).not.toContain(secret);
    expect(text).toContain("failed with");
  });
});

describe("credentialScopeFor", () => {
  it("asks sovereign clouds for their own audience and everything else for the public one", () => {
    expect(credentialScopeFor(undefined)).toBe("https://management.azure.com/.default");
    expect(credentialScopeFor("https://127.0.0.1:8443")).toBe("https://management.azure.com/.default");
    expect(credentialScopeFor("https://management.usgovcloudapi.net/")).toBe(
      "https://management.usgovcloudapi.net/.default",
    );
  });
});

describe("retry timing from headers", () => {
  const headers = (values: Record<string, string>) => ({
    response: { headers: { get: (name: string) => values[name] } },
    statusCode: 429,
  });
  it("reads retry-after-ms, Retry-After seconds and Resource Graph's quota reset", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "20" }))).toBe(20);
    expect(retryAfterMs(headers({ "retry-after": "6" }))).toBe(6000);
    expect(retryAfterMs(headers({ "x-ms-user-quota-resets-after": "00:00:05" }))).toBe(5000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(parseQuotaReset("01:02:03.5")).toBe(3_723_500);
    expect(parseQuotaReset("soon")).toBeUndefined();
  });
});
