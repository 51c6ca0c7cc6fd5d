/**
 * Deterministic sharding of collection scopes (accounts, subscriptions, projects) across runs:
 * `landlord collect --shard 2/8` reads exactly the scopes this function assigns to shard 2.
 */
import type { Shard } from "./types.js";

/** FNV-1a 32-bit hash: stable across runs, platforms and Node versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** True when `scopeId` (an account id, subscription id or project id) belongs to `shard`. */
export function inShard(scopeId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count <= 1) return true;
  return (fnv1a(scopeId) % shard.count) + 1 === shard.index;
}

/** Parses `i/n` (1-based) as given to `--shard`. Returns undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}
