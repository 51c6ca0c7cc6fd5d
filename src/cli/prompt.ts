/** Asking the user a question on the terminal (used by `landlord init`). */
import { createInterface } from "node:readline/promises";

/** Asks `question` on stdin/stdout and resolves with the trimmed answer. */
export async function prompt(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await readline.question(question)).trim();
  } finally {
    readline.close();
  }
}
