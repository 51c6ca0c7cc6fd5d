/**
 * Landlord's own retry around every Azure call. The SDK pipeline retries a 429 only when a
 * retry-after header is present and the Resource Graph client has no 429 handling worth keeping,
 * so throttling without a header, 5xx and dropped connections are retried here with backoff.
 */

/** How often and how long to retry. Mirrors the SDKs' `retryOptions` so one setting tunes both. */
export interface RetryPolicy {
  /** Attempts after the first. @default 5 */
  maxRetries: number;
  /** Base delay of the exponential backoff, in milliseconds. @default 1000 */
  retryDelayInMs: number;
  /** Upper bound of one wait, in milliseconds. @default 64000 */
  maxRetryDelayInMs: number;
  /** Longest wait for one page before its scope is reported as unread; none when absent. */
  timeoutMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  retryDelayInMs: 1_000,
  maxRetryDelayInMs: 64_000,
};

/** Reads a `retryOptions` object (as given to the SDK clients) over the defaults. */
export function retryPolicyFrom(retryOptions: unknown): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  if (retryOptions && typeof retryOptions === "object") {
    const options = retryOptions as Record<string, unknown>;
    for (const key of ["maxRetries", "retryDelayInMs", "maxRetryDelayInMs"] as const) {
      const value = options[key];
      if (typeof value === "number" && Number.isFinite(value) && value >= 0) policy[key] = value;
    }
  }
  return policy;
}

interface HeaderBag {
  get(name: string): string | undefined | null;
}

/** The parts of a core-rest-pipeline or ms-rest-js `RestError` landlord looks at. */
export interface AzureErrorShape {
  statusCode?: number;
  code?: string;
  message: string;
  response?: { headers?: HeaderBag; status?: number };
}

/** Narrows an unknown thrown value to the fields shared by both Azure HTTP stacks. */
export function asAzureError(error: unknown): AzureErrorShape {
  if (error && typeof error === "object") {
    const fields = error as Record<string, unknown>;
    const shape: AzureErrorShape = {
      message: typeof fields.message === "string" ? fields.message : String(error),
    };
    if (typeof fields.statusCode === "number") shape.statusCode = fields.statusCode;
    if (typeof fields.code === "string") shape.code = fields.code;
    const response = fields.response as AzureErrorShape["response"] | undefined;
    if (response && typeof response === "object") shape.response = response;
    if (shape.statusCode === undefined && typeof response?.status === "number")
      shape.statusCode = response.status;
    return shape;
  }
  return { message: String(error) };
}

const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "REQUEST_SEND_ERROR",
  "UND_ERR_SOCKET",
]);

/** True for throttling, server errors other than "not implemented", and dropped connections. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof Error && error.name === "MalformedPageError")
    return (error as { unparsable?: unknown }).unparsable === true;
  const { statusCode, code } = asAzureError(error);
  if (statusCode === 429 || statusCode === 408) return true;
  if (statusCode !== undefined && statusCode >= 500 && statusCode !== 501 && statusCode !== 505) return true;
  return statusCode === undefined && code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** Milliseconds the server asked us to wait (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After`). */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = asAzureError(error).response?.headers;
  if (!headers || typeof headers.get !== "function") return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(headers.get(name) ?? Number.NaN);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  // Resource Graph throttles per user and says when its quota window resets (hh:mm:ss).
  const quotaReset = parseQuotaReset(headers.get("x-ms-user-quota-resets-after") ?? undefined);
  if (quotaReset !== undefined) return quotaReset;
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `operation`, retrying retryable failures with the server's Retry-After when given,
 * otherwise exponential backoff with jitter. Rethrows the last error.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRetryable(error) || signal?.aborted) throw error;
      onRetry?.(error, attempt + 1);
      const backoff = Math.min(policy.maxRetryDelayInMs, policy.retryDelayInMs * 2 ** attempt);
      const jittered = backoff * (0.8 + Math.random() * 0.4);
      await sleep(Math.min(policy.maxRetryDelayInMs, retryAfterMs(error) ?? jittered), signal);
    }
  }
}

/** Parses Resource Graph's `x-ms-user-quota-resets-after` (`hh:mm:ss`, seconds may be fractional) to ms. */
export function parseQuotaReset(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return undefined;
  return Math.round((Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])) * 1000);
}
