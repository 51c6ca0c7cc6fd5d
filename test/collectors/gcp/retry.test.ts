import { describe, expect, it } from "vitest";
import {
  describeGoogleError,
  parseRetryAfter,
  redactCredentials,
} from "../../../src/collectors/gcp/errors.js";
import { backoffDelay, GoogleCallError, withRetry } from "../../../src/collectors/gcp/retry.js";

const POLICY = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 1000 };

/** A gaxios-shaped REST error, as the Google clients raise it on `fallback: true`. */
function restError(status: number, body: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(JSON.stringify(body)), {
    code: status,
    status,
    response: { status, headers: new Headers(headers) },
  });
}

function failing(errors: unknown[], result = "ok") {
  let calls = 0;
  const operation = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return result;
  };
  return { operation, calls: () => calls };
}

describe("withRetry", () => {
  it("retries HTTP 429 and 503 and gRPC UNAVAILABLE, then succeeds", async () => {
    const delays: number[] = [];
    const { operation, calls } = failing([
      restError(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded" } }),
      restError(503, { error: { code: 503, status: "UNAVAILABLE", message: "try again" } }),
      Object.assign(new Error("14 UNAVAILABLE"), { code: 14 }),
    ]);
    const result = await withRetry(operation, POLICY, {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    });
    expect(result).toBe("ok");
    expect(calls()).toBe(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it("waits at least as long as Retry-After or RetryInfo asks", async () => {
    const delays: number[] = [];
    const { operation } = failing([
      restError(429, { error: { code: 429, message: "slow down" } }, { "retry-after": "0.7" }),
      restError(429, {
        error: {
          code: 429,
          message: "slow down",
          details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "0.4s" }],
        },
      }),
    ]);
    await withRetry(operation, POLICY, {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0,
    });
    expect(delays).toEqual([700, 400]);
  });

  it("does not retry a 403 and reports it", async () => {
    const { operation, calls } = failing([
      restError(403, { error: { code: 403, status: "PERMISSION_DENIED", message: "denied" } }),
    ]);
    const error = await withRetry(operation, POLICY, { sleep: async () => {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GoogleCallError);
    expect((error as GoogleCallError).failure).toMatchObject({
      httpStatus: 403,
      status: "PERMISSION_DENIED",
      retryable: false,
    });
    expect(calls()).toBe(1);
  });

  it("stops after the configured attempts", async () => {
    const throttled = restError(429, {
      error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded" },
    });
    const { operation, calls } = failing(Array(10).fill(throttled));
    const error = await withRetry(operation, POLICY, { sleep: async () => {} }).catch(
      (caught: unknown) => caught,
    );
    expect((error as GoogleCallError).attempts).toBe(4);
    expect(calls()).toBe(4);
  });

  it("times out a call that never answers and retries it", async () => {
    let calls = 0;
    const operation = () => {
      calls++;
      return calls === 1 ? new Promise<string>(() => {}) : Promise.resolve("late but fine");
    };
    const result = await withRetry(operation, { ...POLICY, timeoutMs: 20 }, { sleep: async () => {} });
    expect(result).toBe("late but fine");
    expect(calls).toBe(2);
  });

  it("stops waiting when the scan is aborted", async () => {
    const controller = new AbortController();
    const { operation } = failing(Array(10).fill(restError(503, { error: { code: 503, message: "down" } })));
    const pending = withRetry(
      operation,
      { ...POLICY, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      {
        signal: controller.signal,
        random: () => 1,
      },
    );
    controller.abort(new Error("interrupted"));
    await expect(pending).rejects.toThrow("interrupted");
  });
});

describe("backoff and error reading", () => {
  it("grows exponentially and never exceeds the ceiling", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(
      [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, undefined, () => 0.999)),
    ).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(1, policy, 5000, () => 0)).toBe(1000);
  });

  it("parses Retry-After as seconds or as a date", () => {
    const now = Date.parse("2026-11-21T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Sat, 21 Nov 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  it("reads ErrorInfo reason, service and consumer", () => {
    const failure = describeGoogleError(
      restError(403, {
        error: {
          code: 403,
          status: "PERMISSION_DENIED",
          message: "Cloud Asset API has not been used in project 42 before or it is disabled.",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "SERVICE_DISABLED",
              metadata: { service: "cloudasset.googleapis.com", consumer: "projects/42" },
            },
          ],
        },
      }),
    );
    expect(failure).toMatchObject({
      httpStatus: 403,
      reason: "SERVICE_DISABLED",
      service: "cloudasset.googleapis.com",
      consumer: "projects/42",
      message: "Cloud Asset API has not been used in project 42 before or it is disabled.",
    });
  });

  it("removes tokens from messages", () => {
    expect(redactCredentials('Authorization: Bearer ya29.a0AfB_secret and {"access_token": "abc"}')).toBe(
      'Authorization: Bearer [redacted] and {"access_token": "[redacted]"}',
    );
  });
});
