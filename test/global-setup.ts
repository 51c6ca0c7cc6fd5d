/** Builds dist/ once before the tests, so end-to-end tests run the binary users run. */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  // As `npm run build` does: the binary reads the builtin catalog from its snapshot.
  execFileSync(process.execPath, [path.join(root, "scripts/snapshot-catalog.mjs")], {
    cwd: root,
    stdio: "inherit",
  });
}
