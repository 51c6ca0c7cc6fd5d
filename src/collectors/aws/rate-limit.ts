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
 * A token bucket: `ratePerSecond` tokens refill continuously, up to `burst` (by default the calls
 * one server window holds, `ceil(ratePerSecond)`: a window that allows two calls a second allows
 * them back to back, so a sequential page chain need not space its first calls). On top of that, a
 * call starts no sooner than one second after the call `ceil(ratePerSecond)` places before it
 * *finished*: that call reached the server before it answered, and this one reaches it after it
 * starts, so no one-second window of the server ever sees more than `ceil(ratePerSecond)` calls,
 * however late or bunched requests leave a busy event loop. A call the server refused (throttled)
 * was not served, so it does not count against the window.
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

  constructor(ratePerSecond: number, burst?: number) {
    this.#ratePerSecond = ratePerSecond;
    this.#window = Math.max(1, Math.ceil(ratePerSecond));
    this.#burst = burst ?? this.#window;
    this.#tokens = this.#burst;
    this.#updatedAt = Date.now();
  }

  /** Resolves when a call may go out; callers are served in order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The server throttled the latest call. The first refusal of a streak gives the call's token and
   * its place in the window back (the server did not serve it), so its retry goes out at once: a
   * refusal the collector did not cause (a share of calls any server may refuse) costs one round
   * trip, not a turn of the bucket. While refusals repeat (another client may share the quota), the
   * next call waits its normal turn, then twice, four times, ... as long, up to ten seconds.
   */
  throttled(): void {
    this.#consecutiveThrottles++;
    this.#refill();
    const refused = this.#latestUnfinished();
    if (this.#consecutiveThrottles === 1) {
      if (refused !== undefined) this.#recent.splice(refused, 1);
      this.#tokens = Math.min(this.#burst, this.#tokens + 1);
      return;
    }
    const extraTokens = 2 ** (this.#consecutiveThrottles - 2) - 1;
    const maxTokens = (MAX_THROTTLE_PAUSE_MS / 1000) * this.#ratePerSecond;
    this.#tokens -= Math.min(extraTokens, maxTokens);
  }

  /** A call succeeded: throttling, if any, is over. */
  succeeded(): void {
    this.#consecutiveThrottles = 0;
  }

  /** The answer (or error) of the latest call that took a token came back. */
  finished(): void {
    const index = this.#latestUnfinished();
    const call = index === undefined ? undefined : this.#recent[index];
    if (call) call.finishedAt = Date.now();
  }

  #latestUnfinished(): number | undefined {
    for (let index = this.#recent.length - 1; index >= 0; index--) {
      if (this.#recent[index]?.finishedAt === undefined) return index;
    }
    return undefined;
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
  readonly #fallbackSignal: AbortSignal | undefined;
  readonly #call: CallSignal | undefined;
  readonly #inner: RetryStrategyV2 | undefined;

  /**
   * `signal` aborts waits when no call signal is set; `call` carries the signal of the call under
   * way (its timeout and the run's signal), which then aborts them instead.
   */
  constructor(options: {
    bucket: TokenBucket;
    maxAttempts: number;
    signal?: AbortSignal | undefined;
    call?: CallSignal | undefined;
    inner?: RetryStrategyV2 | undefined;
  }) {
    this.#bucket = options.bucket;
    this.#maxAttempts = Math.max(1, options.maxAttempts);
    this.#fallbackSignal = options.signal;
    this.#call = options.call;
    this.#inner = options.inner;
  }

  get #signal(): AbortSignal | undefined {
    return this.#call?.signal ?? this.#fallbackSignal;
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

/**
 * The abort signal of the call one client has under way. A client that reads one account-region
 * makes one call at a time, so the call sets it before sending and the client's request handler and
 * retry strategy read it: the SDK then keeps the client's resolved middleware between calls, which
 * it does only for calls sent without per-call options.
 */
export interface CallSignal {
  signal: AbortSignal | undefined;
}

function unwrap(token: RetryToken): RetryToken {
  return token instanceof AttemptToken && token.inner ? token.inner : token;
}
