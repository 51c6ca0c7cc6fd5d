/**
 * Writes a document produced as string chunks to a file. A million-resource JSON report is half a
 * gigabyte: each chunk is encoded straight into one of two reusable buffers, and one buffer is
 * written while the other fills, instead of allocating a buffer per chunk as a write stream does.
 */
import { constants } from "node:fs";
import { type FileHandle, lstat, open, rename, unlink } from "node:fs/promises";
import path from "node:path";

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
  const { handle, removal } = await openReplacing(file);
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
    await removal;
  }
}

/** Writes `content` to `file`, replacing a previous file as {@link writeChunksToFile} does. */
export async function writeWholeFile(file: string, content: string | Uint8Array): Promise<void> {
  const { handle, removal } = await openReplacing(file);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
    await removal;
  }
}

/**
 * Opens `file` to be written from empty. A previous report is replaced by a new file rather than
 * truncated: on ext4, truncating a large file waits while its blocks are freed, and closing a file
 * that was truncated and written again starts writing all of it back to disk (the file system's
 * guard for programs that replace files without syncing them). Rewriting a 480 MB report cost
 * 0.25-0.3 s more than writing a new file on the benchmark machine. The old file is moved aside and
 * removed while the new one is written; the new one gets its permissions.
 *
 * Anything else is opened in place, as before: a path that does not exist yet, a symbolic link (the
 * report goes where it points), a file with other links or another owner, a file its owner made
 * read-only (which stays protected), a device or a pipe, or a folder where the old file cannot be
 * moved.
 */
async function openReplacing(file: string): Promise<{ handle: FileHandle; removal: Promise<void> }> {
  const old = await lstat(file).catch(() => undefined);
  const replaceable =
    old?.isFile() === true &&
    old.nlink === 1 &&
    old.uid === process.getuid?.() &&
    (old.mode & constants.S_IWUSR) !== 0;
  if (old === undefined || !replaceable) return { handle: await open(file, "w"), removal: Promise.resolve() };
  const aside = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.replaced`);
  try {
    await rename(file, aside);
  } catch {
    return { handle: await open(file, "w"), removal: Promise.resolve() };
  }
  // A file left behind would only take space: it is not worth failing the scan for.
  const removal = unlink(aside).catch(() => undefined);
  const mode = old.mode & 0o7777;
  try {
    // Created with the old permissions (less the umask), then given exactly those: a report kept
    // private stays private.
    const handle = await open(file, "w", mode);
    await handle.chmod(mode);
    return { handle, removal };
  } catch (error) {
    await removal;
    throw error;
  }
}
