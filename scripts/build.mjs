// The build, in one place for `npm run build`, the test setup and the benchmark: compiles the
// sources to dist/, then validates the builtin catalog and rules once and writes them as
// dist/catalog/builtin.snapshot.json and dist/rules/builtin-rules.snapshot.json, which every
// command reads instead of parsing the YAML.
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
execFileSync(
  process.execPath,
  [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
const { writeBuiltinSnapshot } = await import("../dist/catalog/load.js");
await writeBuiltinSnapshot();
const { writeBuiltinRulesSnapshot } = await import("../dist/rules/load.js");
await writeBuiltinRulesSnapshot();
