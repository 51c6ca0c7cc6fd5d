/**
 * Client-side rate limiting per account-region. The Tagging API allows 15 GetResources calls per second
 * per account per region and counts them in a strict one-second window; every attempt, retries
 * included, takes a token of its account-region's bucket so the collector never exceeds the rate it
 * was given, and a throttled answer slows that bucket instead of waiting out an SDK backoff.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@aws-sdk/types";

/** Longest extra pause after repeated throttling of one bucket. */
const MAX_THROTTLE_PAUSE_MS = 10_000;

/**
 * A token bucket: `ratePerSecond` tokens refill continuously, up to `burst`. With the default burst
 * of 1, consecutive calls start at least `1 / ratePerSecond` apart. On top of that, a call starts no
 * sooner than one second after the call `ceil(ratePerSecond)` places before it *finished*: that call
 * reached the server before it answered, and this one reaches it after it starts, so no one-second
 * window of the server ever sees more than `ceil(ratePerSecond)` calls, however late or bunched
 * requests leave a busy event loop.
 */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();
  #consecutiveThrottles = 0;
  /** Calls a one-second window may hold. */
  readonly #window: number;
  /** The latest `#window` calls: when each started and, once known, when its answer came. */
  readonly #recent: { startedAt: number; finishedAt?: number }[] = [];

  constructor(ratePerSecond: number, burst = 1) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#window = Math.max(1, Math.ceil(ratePerSecond));
    this.#tokens = burst;
    this.#updatedAt = Date.now();
  }

  /** Resolves when a call may go out; callers are served in order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The server throttled a call: the next call waits its normal turn the first time, then twice,
   * four times, ... as long, while throttling repeats (another client may share the quota).
   */
  throttled(): void {
    this.#consecutiveThrottles++;
    const extraTokens = 2 ** (this.#consecutiveThrottles - 1) - 1;
    const maxTokens = (MAX_THROTTLE_PAUSE_MS / 1000) * this.#ratePerSecond;
    this.#refill();
    this.#tokens -= Math.min(extraTokens, maxTokens);
  }

  /** A call succeeded: throttling, if any, is over. */
  succeeded(): void {
    this.#consecutiveThrottles = 0;
  }

  /** The answer (or error) of the latest call that took a token came back. */
  finished(): void {
    for (let index = this.#recent.length - 1; index >= 0; index--) {
      const call = this.#recent[index];
      if (call && call.finishedAt === undefined) {
        call.finishedAt = Date.now();
        return;
      }
    }
  }

  async #wait(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      this.#refill();
      const tokenWaitMs = this.#tokens < 1 ? ((1 - this.#tokens) / this.#ratePerSecond) * 1000 : 0;
      // A call whose end is unknown (aborted, or not reported) counts from its start, as before.
      const oldest = this.#recent.length >= this.#window ? this.#recent[0] : undefined;
      const windowWaitMs = oldest ? (oldest.finishedAt ?? oldest.startedAt) + 1000 - Date.now() : 0;
      const waitMs = Math.max(tokenWaitMs, windowWaitMs);
      if (waitMs <= 0) break;
      await sleep(waitMs, signal);
    }
    this.#tokens -= 1;
    this.#recent.push({ startedAt: Date.now() });
    if (this.#recent.length > this.#window) this.#recent.shift();
  }

  #refill(): void {
    const now = Date.now();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.#ratePerSecond,
    );
    this.#updatedAt = now;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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

/** One bucket per key (`account/region`), created on first use. */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #ratePerSecond: number;

  constructor(ratePerSecond: number) {
    this.#ratePerSecond = ratePerSecond;
  }

  /** The bucket of `key`. */
  bucket(key: string): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#ratePerSecond);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits for a token of the bucket of `key`. */
  take(key: string, signal?: AbortSignal): Promise<void> {
    return this.bucket(key).take(signal);
  }
}

/** Backoff base for transient failures and server errors (throttling is paced by the bucket). */
const TRANSIENT_DELAY_BASE_MS = 100;
const MAX_TRANSIENT_DELAY_MS = 20_000;

/** An attempt counter, as the SDK's retry middleware expects; wraps the injected strategy's token. */
class AttemptToken implements RetryToken {
  readonly #count: number;
  readonly inner: RetryToken | undefined;

  constructor(count: number, inner?: RetryToken) {
    this.#count = count;
    this.inner = inner;
  }

  getRetryCount(): number {
    return this.#count;
  }

  /** The wait happened inside the strategy, in the bucket's queue. */
  getRetryDelay(): number {
    return 0;
  }
}

/**
 * The retry strategy of a client bound to one account-region: every attempt, the first and each
 * retry, waits for a token of that bucket. Throttling and transient failures (network errors, 500,
 * 502, 503, 504)
 * are retried up to `maxAttempts`; a throttled answer slows the bucket (see
 * {@link TokenBucket.throttled}) rather than adding the SDK's throttling backoff, which would stall
 * the account-region's sequential page chain; transient failures back off exponentially with jitter.
 * When `inner` is given (tests inject one through the client overrides), it decides whether and after
 * what delay to retry, and the bucket still paces every attempt.
 */
export class PacedRetryStrategy implements RetryStrategyV2 {
  readonly #bucket: TokenBucket;
  readonly #maxAttempts: number;
  readonly #signal: AbortSignal | undefined;
  readonly #inner: RetryStrategyV2 | undefined;

  constructor(options: {
    bucket: TokenBucket;
    maxAttempts: number;
    signal?: AbortSignal | undefined;
    inner?: RetryStrategyV2 | undefined;
  }) {
    this.#bucket = options.bucket;
    this.#maxAttempts = Math.max(1, options.maxAttempts);
    this.#signal = options.signal;
    this.#inner = options.inner;
  }

  async acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    const inner = await this.#inner?.acquireInitialRetryToken(retryTokenScope);
    await this.#bucket.take(this.#signal);
    return new AttemptToken(0, inner);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (errorInfo.errorType === "THROTTLING") this.#bucket.throttled();
    let next: AttemptToken;
    if (this.#inner) {
      const inner = await this.#inner.refreshRetryTokenForRetry(unwrap(token), errorInfo);
      const delay = inner.getRetryDelay();
      if (delay > 0) await sleep(delay, this.#signal);
      next = new AttemptToken(inner.getRetryCount(), inner);
    } else {
      const retryable = errorInfo.errorType === "THROTTLING" || errorInfo.errorType === "TRANSIENT";
      if (!retryable || token.getRetryCount() + 1 >= this.#maxAttempts) {
        throw new Error("No retry token available");
      }
      if (errorInfo.errorType !== "THROTTLING") {
        const ceiling = Math.min(
          MAX_TRANSIENT_DELAY_MS,
          TRANSIENT_DELAY_BASE_MS * 2 ** token.getRetryCount(),
        );
        await sleep(Math.floor(Math.random() * ceiling), this.#signal);
      }
      next = new AttemptToken(token.getRetryCount() + 1);
    }
    await this.#bucket.take(this.#signal);
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.#bucket.finished();
    this.#bucket.succeeded();
    this.#inner?.recordSuccess(unwrap(token));
  }
}

function unwrap(token: RetryToken): RetryToken {
  return token instanceof AttemptToken && token.inner ? token.inner : token;
}
