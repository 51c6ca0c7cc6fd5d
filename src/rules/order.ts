/**
 * The order of per-resource findings, worked out on the resources they are about: by provider, then
 * resource id, in code unit order (what `<` on the strings gives), ties in their original order.
 *
 * At a million resources a comparison sort spent over a second here: n log n calls of a comparator
 * that reads two strings scattered over the heap. This is a most-significant-digit radix sort
 * instead: the ids are copied once into one array of code units, then the items are
 * distributed by one code unit at a time, deeper only within groups that still share a prefix. The
 * cost is the length of the prefixes that tell the ids apart, not n log n comparisons, and every
 * pass reads contiguous memory.
 */
import { endianness } from "node:os";

/** Groups smaller than this are finished by insertion sort. */
const SMALL_GROUP = 8;
/** A group whose code units at one depth span more values than this is finished by a comparison sort. */
const MAX_SPAN = 4096;

/**
 * The order of `items` by provider, then id, ties in their original order: `order[k]` is the index
 * of the k-th item. Undefined when the items are already in order.
 */
export function resourceOrder<T>(
  items: readonly T[],
  providerOf: (item: T) => string,
  idOf: (item: T) => string,
): Int32Array | undefined {
  const count = items.length;
  if (count < 2) return undefined;
  const ids = new PackedIds(items, providerOf, idOf);
  if (ids.inOrder()) return undefined;

  // By provider first: a counting sort on the providers' ranks.
  const order = new Int32Array(count);
  const providerStarts = new Int32Array(ids.providerCount + 1);
  for (let index = 0; index < count; index++) providerStarts[ids.ranks[index]! + 1]!++;
  for (let rank = 0; rank < ids.providerCount; rank++) providerStarts[rank + 1]! += providerStarts[rank]!;
  const next = providerStarts.slice(0, ids.providerCount);
  for (let index = 0; index < count; index++) order[next[ids.ranks[index]!]!++] = index;

  const sorter = new RadixSorter(ids, order);
  for (let rank = 0; rank < ids.providerCount; rank++) {
    sorter.sort(providerStarts[rank]!, providerStarts[rank + 1]!, 0);
  }
  return order;
}

/** The items' ids as code units in one array, and their providers' ranks. */
class PackedIds<T> {
  readonly ranks: Int32Array;
  readonly providerCount: number;
  /** Id `i` is `units[starts[i] .. starts[i + 1])`. */
  readonly units: Uint16Array;
  readonly starts: Int32Array;

  constructor(items: readonly T[], providerOf: (item: T) => string, idOf: (item: T) => string) {
    const count = items.length;
    const providers = [...new Set(items.map(providerOf))].sort();
    const rankOf = new Map(providers.map((provider, rank) => [provider, rank]));
    this.providerCount = providers.length;
    this.ranks = new Int32Array(count);
    this.starts = new Int32Array(count + 1);
    const ids: string[] = new Array(count);
    let total = 0;
    for (let index = 0; index < count; index++) {
      const item = items[index]!;
      const id = idOf(item);
      this.ranks[index] = rankOf.get(providerOf(item))!;
      ids[index] = id;
      this.starts[index] = total;
      total += id.length;
    }
    this.starts[count] = total;
    this.units = codeUnits(ids.join(""));
  }

  /** Compares two findings by provider, then id from `depth` on (the sorts that use it are stable). */
  compare(a: number, b: number, depth = 0): number {
    if (this.ranks[a] !== this.ranks[b]) return this.ranks[a]! - this.ranks[b]!;
    const { units, starts } = this;
    let left = starts[a]! + depth;
    let right = starts[b]! + depth;
    const leftEnd = starts[a + 1]!;
    const rightEnd = starts[b + 1]!;
    for (; left < leftEnd && right < rightEnd; left++, right++) {
      if (units[left] !== units[right]) return units[left]! - units[right]!;
    }
    return leftEnd - left - (rightEnd - right) || a - b;
  }

  inOrder(): boolean {
    for (let index = 1; index < this.ranks.length; index++)
      if (this.compare(index - 1, index) > 0) return false;
    return true;
  }
}

/** Sorts groups of `order` (indices into the packed ids) that share a provider and a prefix. */
class RadixSorter {
  readonly #counts = new Int32Array(MAX_SPAN + 2);
  readonly #scratch: Int32Array;
  readonly #values: Int32Array;

  constructor(
    private readonly ids: PackedIds<unknown>,
    private readonly order: Int32Array,
  ) {
    this.#scratch = new Int32Array(order.length);
    this.#values = new Int32Array(order.length);
  }

  /** Sorts `order[from .. to)`, whose ids are equal before `depth`. */
  sort(from: number, to: number, depth: number): void {
    const stack: number[] = [from, to, depth];
    while (stack.length > 0) {
      let level = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      if (end - start < SMALL_GROUP) {
        this.#insertionSort(start, end, level);
        continue;
      }
      level = this.#sharedPrefix(start, end, level);
      // The code unit of every id at this depth, plus one (0 past the id's end: shorter ids first).
      const { units, starts } = this.ids;
      const order = this.order;
      const values = this.#values;
      let min = Number.MAX_SAFE_INTEGER;
      let max = -1;
      for (let at = start; at < end; at++) {
        const index = order[at]!;
        const position = starts[index]! + level;
        const value = position < starts[index + 1]! ? units[position]! + 1 : 0;
        values[at] = value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      // Every id ended: all equal, already in their original order.
      if (max === 0) continue;
      if (max - min > MAX_SPAN) {
        this.#comparisonSort(start, end, level);
        continue;
      }
      this.#distribute(start, end, min, max);
      // Bucket `k` (value min + k) now ends at start + counts[k]. Ids that go on past this depth are
      // sorted deeper; ended ids (value 0) are all equal.
      const counts = this.#counts;
      for (let bucket = 0, bucketStart = start; bucket <= max - min; bucket++) {
        const bucketEnd = start + counts[bucket]!;
        if (bucketEnd - bucketStart > 1 && min + bucket !== 0) stack.push(bucketStart, bucketEnd, level + 1);
        bucketStart = bucketEnd;
      }
    }
  }

  /** The depth from which the ids of `order[start .. end)`, equal before `depth`, differ. */
  #sharedPrefix(start: number, end: number, depth: number): number {
    const { units, starts } = this.ids;
    const order = this.order;
    const first = order[start]!;
    const base = starts[first]!;
    let length = starts[first + 1]! - base;
    for (let at = start + 1; at < end && length > depth; at++) {
      const index = order[at]!;
      const from = starts[index]!;
      const limit = Math.min(length, starts[index + 1]! - from);
      let common = depth;
      while (common < limit && units[base + common] === units[from + common]) common++;
      length = common;
    }
    return length;
  }

  /**
   * A stable counting sort of `order[start .. end)` by the values gathered for it. Leaves in
   * `counts[k]` the end of the bucket of value `min + k`, relative to `start`.
   */
  #distribute(start: number, end: number, min: number, max: number): void {
    const counts = this.#counts;
    const values = this.#values;
    const order = this.order;
    const scratch = this.#scratch;
    const span = max - min + 1;
    counts.fill(0, 0, span + 1);
    for (let at = start; at < end; at++) counts[values[at]! - min + 1]!++;
    for (let bucket = 1; bucket <= span; bucket++) counts[bucket]! += counts[bucket - 1]!;
    // counts[k] is where bucket k starts; placing advances it to where the bucket ends.
    for (let at = start; at < end; at++) scratch[start + counts[values[at]! - min]!++] = order[at]!;
    order.set(scratch.subarray(start, end), start);
  }

  #insertionSort(start: number, end: number, depth: number): void {
    const order = this.order;
    for (let at = start + 1; at < end; at++) {
      const index = order[at]!;
      let to = at;
      while (to > start && this.ids.compare(order[to - 1]!, index, depth) > 0) {
        order[to] = order[to - 1]!;
        to--;
      }
      order[to] = index;
    }
  }

  #comparisonSort(start: number, end: number, depth: number): void {
    const group = Array.from(this.order.subarray(start, end)).sort((a, b) => this.ids.compare(a, b, depth));
    this.order.set(group, start);
  }
}

/** The UTF-16 code units of `text`, copied natively where the machine is little-endian. */
function codeUnits(text: string): Uint16Array {
  if (endianness() === "LE") {
    // A loop of charCodeAt over a million ids costs many times this one copy.
    const bytes = Buffer.from(text, "utf16le");
    return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length);
  }
  const units = new Uint16Array(text.length);
  for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index);
  return units;
}
