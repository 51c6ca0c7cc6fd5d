// Run by `npm run build` after the compiler: validates the builtin catalog once and writes it as
// dist/catalog/builtin.snapshot.json, which every command then reads instead of parsing the YAML.
const { writeBuiltinSnapshot } = await import("../dist/catalog/load.js");
await writeBuiltinSnapshot();
