/**
 * Pacing of calls that share one quota shape across many scopes (Cloud Asset searches, one chain of
 * pages per project), learned from the quota errors themselves.
 *
 * Google's quota errors say nothing about when to come back (no `Retry-After`, no `RetryInfo`), so
 * a throttled page retried after a jittered backoff either comes back too early and is throttled
 * again, or waits far longer than the quota needed. The pacer models each scope's quota as a token
 * bucket on the client side, with two numbers learned once for every scope (they share one quota
 * shape):
 *
 * - the **burst**: how many calls a fresh scope can make back to back. While it is unknown, a fresh
 *   scope sends its calls back to back until its bucket is found empty; the successes before that
 *   are one observation, and a scope that spends a known burst without being refused observes the
 *   burst again. The burst is the lower quartile of the last 15 observations: a scope whose first
 *   calls were slow enough for a refill to come in between observes one too many, and new
 *   observations replace those.
 * - the **interval** (the refill), bounded from both sides. A fresh scope's bucket is full at its
 *   first success, so its k-th success past its burst (k = 1, 2, ...) proves that the refill takes
 *   at most (answer - first call) / k: the interval in force is the smallest such upper bound, so
 *   it comes down to the refill within a few scopes and cannot sit above it. A refused call gives
 *   a lower bound: counted from the scope's last empty answer (proven), or from its full bucket with
 *   the learned burst (tighter, as good as the burst: it is dropped when the burst estimate moves,
 *   and a scope whose own first burst was larger than the estimate gives none, since refills came
 *   in during it). While the bounds are more than 25% apart
 *   every scope spaces its calls at their middle, and while they are apart at all one scope in 8
 *   does, so the upper bound keeps coming down without every scope paying for the probe. The lower
 *   bound eases by 0.05% with every call that goes through, so the probing resumes and follows a
 *   quota that loosens; an empty answer at a spacing the proven lower bound already puts past the
 *   upper raises the interval 1.25x (the quota tightened).
 *
 * A throttled answer after a success (or to a scope's first call) is a surprise: Google also
 * throttles the odd call at random. The token is given back and the call retried at once, which
 * costs one round trip, and the pacer learns nothing from it: on a cold start, with no interval
 * known yet, a random refusal after a long wait would otherwise pass for an empty bucket and hold
 * the interval at that wait. Only a second refusal in a row says that the scope's bucket is empty:
 * its client tokens drop to 0, and its next attempt waits until the upper bound, counted from the
 * scope's first call, gives it a token. Found empty there, it tries once more at the bound counted
 * from its first answer (the server's bucket started when that call arrived, up to a round trip
 * after it was sent); a further empty answer waits a whole interval from then. Before any bound is
 * known, the wait is 100 ms, then twice as long after every further empty answer.
 */
import { sleep } from "./retry.js";

/** How the learned burst and interval move. */
export interface PacerOptions {
  /** The first wait after a scope's bucket was found empty while no interval is known, in milliseconds. @default 100 */
  minIntervalMs: number;
  /** The longest interval, in milliseconds. @default 10000 */
  maxIntervalMs: number;
  /** Factor applied to the interval when a bucket was found empty at a spacing proven enough. @default 1.25 */
  growth: number;
  /** The bounds on the interval count as met when the upper is within this share of the lower. @default 0.02 */
  tolerance: number;
  /** Factor applied to the interval's lower bound for every call that goes through. @default 0.9995 */
  decay: number;
  /** Burst observations the estimate is taken over. @default 15 */
  burstSamples: number;
  /** One scope in this many probes a shorter spacing while the bounds are apart. @default 8 */
  exploreEvery: number;
  /** Every scope probes while the upper bound is more than this share above the lower. @default 0.25 */
  farApart: number;
}

export const DEFAULT_PACER_OPTIONS: PacerOptions = {
  minIntervalMs: 100,
  maxIntervalMs: 10_000,
  growth: 1.25,
  tolerance: 0.02,
  decay: 0.9995,
  burstSamples: 15,
  exploreEvery: 8,
  farApart: 0.25,
};

interface ScopeState {
  /** Client tokens, as of `at` (Infinity while the burst is unknown). */
  tokens: number;
  /** When `tokens` was last brought up to date (epoch milliseconds). */
  at: number;
  /** Set after the bucket was found empty: the earliest start of the next attempt. */
  resumeAt?: number | undefined;
  /** Start of the attempt in flight. */
  sentAt: number;
  /** The last answer was a surprise throttle (its retry goes at once). */
  surprised: boolean;
  /** Empty answers in a row, for the wait while no interval is known. */
  empties: number;
  /** Calls that went through. */
  successes: number;
  /** When the scope was last found empty, and its successes then. */
  empty?: { answeredAt: number; successes: number } | undefined;
  /** The first success: the moment the server's bucket for the scope started to drain. */
  anchor?: { sentAt: number; answeredAt: number } | undefined;
  /** Probes a shorter spacing while the bounds on the interval are apart. */
  explorer: boolean;
  /** Still spending its first burst back to back: no wait yet, never found empty. */
  inFirstBurst: boolean;
  /** The calls its first burst took (set when it ends). */
  firstBurst?: number | undefined;
}

/** A client-side token bucket per scope, with one learned burst and interval for all scopes. */
export class ScopePacer {
  /** Proven bounds on the refill interval, in milliseconds. */
  private upper = Number.POSITIVE_INFINITY;
  /** Lower bound from refusals confirmed by a second one in a row: holds whatever the burst. */
  private provenLower = 0;
  /**
   * Lower bound counted from full buckets: only as good as the burst it was counted with
   * (`likelyBurst`), so it is dropped when the burst estimate changes. A cold start with slow
   * round trips observes bursts a refill too large, and the bound they give would otherwise hold
   * the interval above the refill long after the burst estimate came down.
   */
  private likelyLower = 0;
  private likelyBurst: number | undefined;
  private readonly burstObservations: number[] = [];
  private readonly scopes = new Map<string, ScopeState>();
  private readonly options: PacerOptions;
  private scopesSeen = 0;

  constructor(
    options: Partial<PacerOptions> = {},
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
  ) {
    this.options = { ...DEFAULT_PACER_OPTIONS, ...options };
  }

  /** The spacing of paced calls in force, in milliseconds (0 while no refill has been observed). */
  get interval(): number {
    return Number.isFinite(this.upper) ? this.upper : 0;
  }

  /**
   * The spacing of `state`'s paced calls: the interval in force, but halfway to the lower bound
   * while the two are far apart, and for one scope in `exploreEvery` while they are apart at all,
   * so that the upper bound comes down to the refill without every scope paying for the probe.
   */
  private spacing(state: ScopeState): number {
    const interval = this.interval;
    const far = interval > this.lower * (1 + this.options.farApart);
    if (interval <= this.lower * (1 + this.options.tolerance) || !(far || state.explorer)) return interval;
    return (this.lower + this.upper) / 2;
  }

  /** The lower bound on the refill interval, in milliseconds (never above the upper bound). */
  private get lower(): number {
    const likely = this.likelyBurst === this.burst ? this.likelyLower : 0;
    return Math.min(this.upper, Math.max(this.provenLower, likely));
  }

  /** The calls a fresh scope sends back to back (undefined until a scope has observed it). */
  get burst(): number | undefined {
    if (this.burstObservations.length === 0) return undefined;
    const sorted = [...this.burstObservations].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 4)];
  }

  /** Waits until `scope` may send its next attempt. A scope sends one attempt at a time. */
  async turn(scope: string, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    let state = this.scopes.get(scope);
    if (!state) {
      state = {
        tokens: this.burst ?? Number.POSITIVE_INFINITY,
        at: now,
        sentAt: now,
        surprised: false,
        empties: 0,
        successes: 0,
        explorer: this.scopesSeen++ % this.options.exploreEvery === 0,
        inFirstBurst: true,
      };
      this.scopes.set(scope, state);
    }
    this.refill(state, now);
    let at = now;
    if (state.resumeAt !== undefined) {
      at = Math.max(now, state.resumeAt);
    } else if (state.tokens < 1) {
      const interval = this.spacing(state);
      at =
        interval > 0
          ? state.at + (1 - state.tokens) * interval
          : state.at +
            Math.min(
              this.options.maxIntervalMs,
              this.options.minIntervalMs * 2 ** Math.max(0, state.empties - 1),
            );
      at = Math.max(now, at);
    }
    if (at > now) {
      if (state.inFirstBurst) this.endFirstBurst(state);
      await this.wait(at - now, signal);
    }
    this.refill(state, at);
    state.tokens = Math.max(0, state.tokens - 1);
    state.at = at;
    state.resumeAt = undefined;
    state.sentAt = at;
  }

  /** The attempt of `scope` went through. */
  succeeded(scope: string): void {
    const state = this.scopes.get(scope);
    if (!state) return;
    const now = this.now();
    const calls = this.callsPastBurst(state);
    if (!state.anchor) state.anchor = { sentAt: state.sentAt, answeredAt: now };
    else if (calls !== undefined && calls >= 1) {
      this.upper = Math.min(this.upper, (now - state.anchor.sentAt) / calls);
    }
    this.provenLower *= this.options.decay;
    this.likelyLower *= this.options.decay;
    state.successes++;
    state.surprised = false;
    state.empties = 0;
  }

  /** The attempt of `scope` was throttled without saying when to come back. */
  throttled(scope: string): void {
    const state = this.scopes.get(scope);
    if (!state) return;
    const now = this.now();
    // The server did not count a refused call: its token comes back.
    state.tokens += 1;
    // The scope's bucket was empty when it was last refused, so it has refilled less than one token
    // more than the calls that went through since: the interval is longer than that (`proven`).
    // Counted from the scope's full bucket with the learned burst, the bound is tighter but only as
    // good as the burst (`likely`): it moves the lower bound, never the upper.
    const proven = state.empty
      ? (state.sentAt - state.empty.answeredAt) / (state.successes - state.empty.successes + 1)
      : undefined;
    const calls = this.callsPastBurst(state);
    // A scope whose first burst outran the learned one had refills in it (slow round trips): its
    // calls past the burst undercount the refills, and the bound would come out too high.
    const likely =
      state.anchor && calls !== undefined && calls >= 1 && (state.firstBurst ?? 0) <= (this.burst ?? 0)
        ? (state.sentAt - state.anchor.answeredAt) / calls
        : undefined;
    const raiseLower = () => {
      this.provenLower = Math.max(this.provenLower, proven ?? 0);
      if (likely === undefined) return;
      if (this.likelyBurst !== this.burst) this.likelyLower = 0;
      this.likelyBurst = this.burst;
      this.likelyLower = Math.max(this.likelyLower, likely);
    };
    if (!state.surprised && state.empties === 0) {
      state.surprised = true;
      return;
    }
    state.surprised = false;
    state.empties++;
    if (state.inFirstBurst) this.endFirstBurst(state);
    if (proven !== undefined && proven >= this.upper) {
      // Empty at a spacing proven enough: the quota tightened (or an old bound no longer holds).
      this.upper = Math.min(this.options.maxIntervalMs, proven * this.options.growth);
    }
    raiseLower();
    state.empty = { answeredAt: now, successes: state.successes };
    state.tokens = 0;
    state.at = now;
    if (state.anchor && calls !== undefined && state.empties <= 2 && Number.isFinite(this.upper)) {
      // The proven bound gives the scope its next token here, counted from when its first call was
      // sent. The server's bucket started to drain when that call arrived, a one-way trip later:
      // found empty again, the scope tries once more at the bound counted from the first answer,
      // which the server cannot be ahead of. Found empty a third time, it waits a whole interval.
      const from = state.empties === 1 ? state.anchor.sentAt : state.anchor.answeredAt;
      state.resumeAt = Math.max(now, from + Math.max(1, calls) * this.upper);
    }
  }

  /** The scope is done: its state is dropped. */
  forget(scope: string): void {
    this.scopes.delete(scope);
  }

  /**
   * Successes of `state` beyond its burst, the attempt in flight included (it needs as many
   * refills); undefined while the burst is unknown.
   */
  private callsPastBurst(state: ScopeState): number | undefined {
    const burst = this.burst;
    if (burst === undefined || state.inFirstBurst) return undefined;
    return state.successes + 1 - Math.max(burst, state.firstBurst ?? 0);
  }

  private endFirstBurst(state: ScopeState): void {
    state.inFirstBurst = false;
    state.firstBurst = state.successes;
    this.observeBurst(state.successes);
  }

  private refill(state: ScopeState, now: number): void {
    const burst = this.burst ?? Number.POSITIVE_INFINITY;
    // A scope that started before the burst was known has spent part of it already.
    if (state.tokens === Number.POSITIVE_INFINITY && state.inFirstBurst) {
      state.tokens = Math.max(0, burst - state.successes);
    }
    const interval = this.spacing(state);
    const refilled =
      interval > 0 && now > state.at ? state.tokens + (now - state.at) / interval : state.tokens;
    state.tokens = Math.min(burst, refilled);
    state.at = Math.max(state.at, now);
  }

  private observeBurst(successes: number): void {
    this.burstObservations.push(successes);
    if (this.burstObservations.length > this.options.burstSamples) this.burstObservations.shift();
  }
}
