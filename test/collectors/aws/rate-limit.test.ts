/**
 * The account-region token bucket, on a fake clock: which calls it lets go and which it holds, not
 * how long anything takes on a real machine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TokenBucket } from "../../../src/collectors/aws/rate-limit.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts a take and reports whether it has resolved. */
function track(promise: Promise<void>): { done: () => boolean } {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  return { done: () => done };
}

/** One call through `bucket`: takes a token, then answers at once. */
async function callThrough(bucket: TokenBucket): Promise<void> {
  await bucket.take();
  bucket.finished();
  bucket.succeeded();
}

describe("TokenBucket", () => {
  it("lets a window's calls go back to back, then holds the next until the window has passed", async () => {
    const bucket = new TokenBucket(2);
    await callThrough(bucket);
    await callThrough(bucket);
    const third = track(bucket.take());
    await vi.advanceTimersByTimeAsync(999);
    expect(third.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(third.done()).toBe(true);
  });

  it("gives a first refused call its token and window place back, but not a second", async () => {
    const bucket = new TokenBucket(2);
    await callThrough(bucket);
    await bucket.take();
    bucket.throttled();
    // The refused call was not served: its retry goes out at once.
    const retry = track(bucket.take());
    await vi.advanceTimersByTimeAsync(0);
    expect(retry.done()).toBe(true);
    // Refused again: the next attempt waits its turn.
    bucket.throttled();
    const again = track(bucket.take());
    await vi.advanceTimersByTimeAsync(0);
    expect(again.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(again.done()).toBe(true);
  });
});
