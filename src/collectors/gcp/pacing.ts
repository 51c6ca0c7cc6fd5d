/**
 * Pacing of calls that share one quota shape across many scopes (Cloud Asset searches, one chain of
 * pages per project), learned from the quota errors themselves.
 *
 * Google's quota errors say nothing about when to come back (no `Retry-After`, no `RetryInfo`), so
 * a throttled page retried after a jittered backoff either comes back too early and is throttled
 * again, or waits far longer than the quota needed; and because nothing spaces the next page, every
 * page after the first burst is throttled once. Every project has the same quota, so one interval
 * between two calls of the same scope is learned for all of them: it grows when a share of the
 * calls sent since it last changed are throttled, and shrinks a little with every call that goes
 * through, so it settles just above what the quota allows and follows it if it changes. A share,
 * not a single answer, because Google also throttles the odd call at random: one throttled answer
 * says little about the quota, several in a row across projects say the interval is too short.
 */
import { sleep } from "./retry.js";

/** How the learned interval moves. */
export interface PacerOptions {
  /** The first interval, and the shortest wait after a throttled call, in milliseconds. @default 100 */
  minIntervalMs: number;
  /** The longest interval, in milliseconds. @default 10000 */
  maxIntervalMs: number;
  /** Factor applied to the interval when it is found too short. @default 1.5 */
  growth: number;
  /** Factor applied to the interval for every call that goes through. @default 0.9995 */
  decay: number;
  /**
   * The interval is too short when at least this share of the answers to calls sent since it was
   * last raised are throttled... @default 0.1
   */
  raiseShare: number;
  /** ... and at least this many. @default 2 */
  raiseCount: number;
}

export const DEFAULT_PACER_OPTIONS: PacerOptions = {
  minIntervalMs: 100,
  maxIntervalMs: 10_000,
  growth: 1.5,
  decay: 0.9995,
  raiseShare: 0.1,
  raiseCount: 2,
};

interface ScopeState {
  /** Earliest start of the scope's next attempt (epoch milliseconds). */
  next: number;
  /** The generation of the interval that spaced the scope's next attempt. */
  nextGeneration: number;
  /** The generation of the interval that spaced the scope's attempt in flight. */
  generation: number;
}

/** One learned interval between two calls of the same scope, shared by every scope. */
export class ScopePacer {
  private intervalMs = 0;
  /** Raised intervals so far: an attempt spaced by an older one says nothing about this one. */
  private generation = 0;
  /** Answers to attempts spaced by the current interval, and how many were throttled. */
  private window = { answers: 0, throttled: 0 };
  private readonly scopes = new Map<string, ScopeState>();
  private readonly options: PacerOptions;

  constructor(
    options: Partial<PacerOptions> = {},
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
  ) {
    this.options = { ...DEFAULT_PACER_OPTIONS, ...options };
  }

  /** The interval in force, in milliseconds (0 until a call has been throttled). */
  get interval(): number {
    return this.intervalMs;
  }

  /** Waits until `scope` may send its next attempt. A scope sends one attempt at a time. */
  async turn(scope: string, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const state = this.scopes.get(scope) ?? { next: now, nextGeneration: this.generation, generation: 0 };
    const at = Math.max(now, state.next);
    state.generation = state.nextGeneration;
    state.next = at + this.intervalMs;
    state.nextGeneration = this.generation;
    this.scopes.set(scope, state);
    if (at > now) await this.wait(at - now, signal);
  }

  /** The attempt of `scope` went through. */
  succeeded(scope: string): void {
    this.intervalMs *= this.options.decay;
    if (this.inWindow(scope)) this.window.answers++;
  }

  /** The attempt of `scope` was throttled without saying when to come back. */
  throttled(scope: string): void {
    // Answers to attempts spaced before the last raise say nothing about the raised interval, so
    // many scopes throttled at the old interval raise it once, not once each.
    if (this.inWindow(scope)) {
      this.window.answers++;
      this.window.throttled++;
      const { answers, throttled } = this.window;
      if (throttled >= this.options.raiseCount && throttled >= this.options.raiseShare * answers) {
        this.intervalMs = Math.min(
          this.options.maxIntervalMs,
          Math.max(this.options.minIntervalMs, this.intervalMs * this.options.growth),
        );
        this.generation++;
        this.window = { answers: 0, throttled: 0 };
      }
    }
    const state = this.scopes.get(scope);
    if (state) {
      // Never at once, even before the interval has been raised for the first time.
      state.next = this.now() + Math.max(this.intervalMs, this.options.minIntervalMs);
      state.nextGeneration = this.generation;
    }
  }

  private inWindow(scope: string): boolean {
    return (this.scopes.get(scope)?.generation ?? this.generation) === this.generation;
  }

  /** The scope is done: its state is dropped. */
  forget(scope: string): void {
    this.scopes.delete(scope);
  }
}
