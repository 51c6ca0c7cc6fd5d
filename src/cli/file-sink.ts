/**
 * Writes a document produced as string chunks to a file. A million-resource JSON report is half a
 * gigabyte: each chunk is encoded straight into one of two reusable buffers, and one buffer is
 * written while the other fills, instead of allocating a buffer per chunk as a write stream does.
 */
import { open } from "node:fs/promises";

/** Where chunks go: resolves when the sink can take more. */
export type StringSink = (chunk: string) => Promise<void>;

/** Bytes per buffer: few, large writes. */
const BUFFER_BYTES = 1 << 20;

/** UTF-8 needs at most three bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/** Creates or truncates `file`, hands `produce` a sink for its content, and closes it when done. */
export async function writeChunksToFile(
  file: string,
  produce: (sink: StringSink) => Promise<void>,
): Promise<void> {
  const handle = await open(file, "w");
  try {
    let filling = Buffer.allocUnsafe(BUFFER_BYTES);
    let spare = Buffer.allocUnsafe(BUFFER_BYTES);
    let used = 0;
    /** The write in flight, if any: `spare` is free again once it settles. */
    let writing: Promise<void> = Promise.resolve();
    let failure: Error | undefined;
    // A failed write is kept until the next wait, rather than left as an unhandled rejection.
    const start = (write: Promise<unknown>): void => {
      writing = write.then(
        () => undefined,
        (error: Error) => {
          failure ??= error;
        },
      );
    };
    const settle = async (): Promise<void> => {
      await writing;
      if (failure) throw failure;
    };
    const flush = async (): Promise<void> => {
      await settle();
      if (used === 0) return;
      start(handle.write(filling, 0, used));
      [filling, spare] = [spare, filling];
      used = 0;
    };
    await produce(async (chunk) => {
      if (chunk.length * MAX_BYTES_PER_UNIT > BUFFER_BYTES - used) await flush();
      if (chunk.length * MAX_BYTES_PER_UNIT > BUFFER_BYTES) {
        // Too large for a buffer: written on its own, in order after the others.
        await settle();
        start(handle.write(chunk));
        return;
      }
      used += filling.write(chunk, used);
    });
    await flush();
    await settle();
  } finally {
    await handle.close();
  }
}
