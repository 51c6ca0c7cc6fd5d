/** Builds dist/ once before the tests, so end-to-end tests run the binary users run. */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, "..");
  // The same build as `npm run build`: compiler, then the builtin catalog's snapshot.
  execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
}
