/**
 * Normalized resources in transit from a reader thread to the main thread, in columns.
 *
 * Posting resource objects would have the main thread rebuild every object, string and property from
 * a structured clone, which costs about as much as parsing the records itself. Columns cost a
 * fraction: the fields that repeat (provider, region, account, type, attributes, tag keys and
 * values) travel as indices into a table of strings that each batch extends with the strings it
 * adds, so every distinct value crosses once; ids and names, which do not repeat, travel as lists of
 * strings; the numbers travel in typed arrays whose memory is handed over, not copied.
 */
import { fixedShape, RELEASED_TAGS } from "./normalize.js";
import type { Resource } from "./types.js";

/** The fields sent as one table index each (0: unset), in this order. */
const SCALAR_FIELDS = [
  "provider",
  "region",
  "account",
  "type",
  "vendor",
  "classification",
  "workload",
  "environment",
  "criticality",
  "sector",
  "kind",
  "source",
] as const satisfies readonly (keyof Resource)[];

/** The list fields, each sent as a count (-1: unset) and that many table indices: `residency`, `requiredCertifications`, `hierarchy`. */

/** Count of a `tags` map that stands for {@link RELEASED_TAGS}, and of an unset `tagOrigins`. */
const NO_MAP = -1;

/** Resources as one message from a reader thread. */
export interface ResourceBatch {
  /** Strings this batch adds to the table, in the order of their indices. */
  strings: string[];
  ids: string[];
  names: (string | undefined)[];
  /** The {@link idHash} of each id, computed where the id was read. */
  hashes: Int32Array;
  /** Per resource, one table index per scalar field. */
  scalars: Int32Array;
  /** Per resource: each list field as a count and indices, then `tags` and `tagOrigins` as a count and key-value index pairs. */
  lists: Int32Array;
}

/** A growable list of 32-bit integers, handed over as an `Int32Array`. */
class IntList {
  #values = new Int32Array(4096);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Int32Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
  }

  /** The values so far, in an array of their own; the list starts empty again. */
  take(): Int32Array {
    const values = this.#values.slice(0, this.#length);
    this.#length = 0;
    return values;
  }
}

/** Encodes resources into batches (on the reader thread). */
export class ResourceBatchWriter {
  readonly #indices = new Map<string, number>();
  #strings: string[] = [];
  #ids: string[] = [];
  #names: (string | undefined)[] = [];
  #hashes = new IntList();
  #scalars = new IntList();
  #lists = new IntList();

  /** Resources written since the last {@link take}. */
  get size(): number {
    return this.#ids.length;
  }

  add(resource: Resource, hash: number): void {
    this.#ids.push(resource.id);
    this.#names.push(resource.name);
    this.#hashes.push(hash);
    // One line per field of SCALAR_FIELDS, in its order: a loop over the names would read each
    // field by a computed key, several times slower on this path.
    const scalars = this.#scalars;
    scalars.push(this.#index(resource.provider));
    scalars.push(this.#index(resource.region));
    scalars.push(this.#index(resource.account));
    scalars.push(this.#index(resource.type));
    scalars.push(this.#index(resource.vendor));
    scalars.push(this.#index(resource.classification));
    scalars.push(this.#index(resource.workload));
    scalars.push(this.#index(resource.environment));
    scalars.push(this.#index(resource.criticality));
    scalars.push(this.#index(resource.sector));
    scalars.push(this.#index(resource.kind));
    scalars.push(this.#index(resource.source));
    this.#list(resource.residency);
    this.#list(resource.requiredCertifications);
    this.#list(resource.hierarchy);
    this.#map(resource.tags === RELEASED_TAGS ? undefined : resource.tags);
    this.#map(resource.tagOrigins);
  }

  /** The batch of the resources written since the last call, and the buffers to hand over with it. */
  take(): { batch: ResourceBatch; transfer: ArrayBuffer[] } {
    const batch: ResourceBatch = {
      strings: this.#strings,
      ids: this.#ids,
      names: this.#names,
      hashes: this.#hashes.take(),
      scalars: this.#scalars.take(),
      lists: this.#lists.take(),
    };
    this.#strings = [];
    this.#ids = [];
    this.#names = [];
    return {
      batch,
      transfer: [batch.hashes.buffer, batch.scalars.buffer, batch.lists.buffer] as ArrayBuffer[],
    };
  }

  #list(list: readonly string[] | undefined): void {
    if (list === undefined) {
      this.#lists.push(-1);
      return;
    }
    this.#lists.push(list.length);
    for (const item of list) this.#lists.push(this.#index(item));
  }

  #map(map: Readonly<Record<string, string>> | undefined): void {
    if (map === undefined) {
      this.#lists.push(NO_MAP);
      return;
    }
    let count = 0;
    for (const _ in map) count++;
    this.#lists.push(count);
    for (const key in map) {
      this.#lists.push(this.#index(key));
      this.#lists.push(this.#index(map[key]));
    }
  }

  #index(value: string | undefined): number {
    if (value === undefined) return 0;
    let index = this.#indices.get(value);
    if (index === undefined) {
      index = this.#indices.size + 1;
      this.#indices.set(value, index);
      this.#strings.push(value);
    }
    return index;
  }
}

/** Decodes the batches of one writer, in the order it wrote them (on the main thread). */
export class ResourceBatchReader {
  /** Index 0 is "unset". */
  readonly #table: (string | undefined)[] = [undefined];

  /** Calls `onResource` with each resource of the batch, in order, and its id's hash. */
  read(batch: ResourceBatch, onResource: (resource: Resource, hash: number) => void): void {
    const table = this.#table;
    for (const value of batch.strings) table.push(value);
    const { ids, names, hashes, scalars, lists } = batch;
    let at = 0;
    const list = (): string[] | undefined => {
      const count = lists[at++]!;
      if (count < 0) return undefined;
      const items: string[] = [];
      for (let index = 0; index < count; index++) items.push(table[lists[at++]!]!);
      return items;
    };
    const map = (): Record<string, string> | undefined => {
      const count = lists[at++]!;
      if (count === NO_MAP) return undefined;
      const entries: Record<string, string> = {};
      for (let index = 0; index < count; index++) {
        const key = table[lists[at++]!]!;
        entries[key] = table[lists[at++]!]!;
      }
      return entries;
    };
    for (let index = 0; index < ids.length; index++) {
      const row = index * SCALAR_FIELDS.length;
      const residency = list();
      const requiredCertifications = list();
      const hierarchy = list();
      const tags = map() ?? (RELEASED_TAGS as Record<string, string>);
      const tagOrigins = map();
      // The scalars by their position in SCALAR_FIELDS.
      const resource = fixedShape({
        id: ids[index]!,
        provider: table[scalars[row]!]!,
        region: table[scalars[row + 1]!],
        account: table[scalars[row + 2]!],
        type: table[scalars[row + 3]!],
        name: names[index],
        tags,
        vendor: table[scalars[row + 4]!],
        classification: table[scalars[row + 5]!],
        workload: table[scalars[row + 6]!],
        environment: table[scalars[row + 7]!],
        criticality: table[scalars[row + 8]!],
        sector: table[scalars[row + 9]!],
        residency,
        requiredCertifications,
        kind: table[scalars[row + 10]!],
        source: table[scalars[row + 11]!],
        tagOrigins,
        hierarchy,
      });
      onResource(resource, hashes[index]!);
    }
  }
}
