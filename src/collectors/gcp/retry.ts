/**
 * Retries for Google API calls. The REST transport never retries by itself (the gaxios error it
 * raises carries an HTTP status where gax expects a gRPC code), so every call goes through here.
 */
import { describeGoogleError, type GoogleApiFailure, GoogleCallTimeoutError } from "./errors.js";

/** How one call is retried. */
export interface RetryPolicy {
  /** Attempts, the first included. @default 6 */
  attempts: number;
  /** Base of the exponential backoff in milliseconds. @default 1000 */
  baseDelayMs: number;
  /** Longest wait between two attempts in milliseconds, `Retry-After` included. @default 60000 */
  maxDelayMs: number;
  /** Per-attempt timeout in milliseconds. @default 60000 */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  timeoutMs: 60_000,
};

/**
 * A call that failed for good, with what Google said on the last attempt. The original error is
 * not kept as `cause`: a transport error carries the request configuration, headers included, and
 * nothing downstream should be able to print a bearer token by accident.
 */
export class GoogleCallError extends Error {
  override readonly name = "GoogleCallError";
  constructor(
    readonly failure: GoogleApiFailure,
    readonly attempts: number,
  ) {
    super(failure.message);
  }
}

/** Hooks for tests and telemetry. */
export interface RetryHooks {
  /** Called before each wait; `attempt` is the attempt that just failed (1-based). */
  onRetry?: (failure: GoogleApiFailure, attempt: number, delayMs: number) => void;
  /** Source of randomness for jitter. @default Math.random */
  random?: () => number;
  /** Waits; injectable so the policy can be tested without real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The wait before the next attempt when the caller knows better than the policy (a pacer that
   * spaces attempts itself); undefined leaves it to the policy's backoff.
   */
  backoff?: (failure: GoogleApiFailure, attempt: number) => number | undefined;
  /** Runs before every attempt, outside its timeout (a pacer waiting for the scope's turn). */
  beforeAttempt?: () => Promise<void>;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("collection aborted");
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Delay before attempt `attempt + 1`: "full jitter" exponential backoff (a random wait between
 * zero and base * 2^(attempt-1)), never shorter than what the server asked for, never longer than
 * `maxDelayMs`. Jitter spreads many concurrent projects so they do not hit the quota in step.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Rejects when `operation` has not settled within `timeoutMs`. The generated clients drop the
 * canceller of REST calls, so a timed-out request is abandoned rather than aborted; its late
 * answer is ignored.
 */
function withTimeout<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GoogleCallTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([operation(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or runs out of attempts.
 * Throws a {@link GoogleCallError} describing the last failure.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  options: RetryHooks & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    await options.beforeAttempt?.();
    try {
      return await withTimeout(operation, policy.timeoutMs);
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const failure = describeGoogleError(error);
      if (!failure.retryable || attempt >= policy.attempts) {
        throw new GoogleCallError(failure, attempt);
      }
      const delay =
        options.backoff?.(failure, attempt) ?? backoffDelay(attempt, policy, failure.retryAfterMs, random);
      options.onRetry?.(failure, attempt, delay);
      await wait(delay, options.signal);
    }
  }
}
