/**
 * Regenerates docs/screenshots/*.png: the HTML report of each given JSON report, rendered in the
 * local headless Chromium. Screenshots are generated files; do not edit them by hand.
 *
 *   npx tsc -p tsconfig.json --noEmit false --outDir .build-scripts
 *   node .build-scripts/scripts/screenshots.js examples/retailer-multicloud/report.json [...]
 *
 * Each report produces `<name>.png` (the first screen) and `<name>-full.png` (the whole page), where
 * `<name>` is the report's folder name (or its file name when the folder is the current one).
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { formatHtml } from "../src/formatters/html.js";
import { launchChromium } from "../src/formatters/pdf.js";
import type { Report } from "../src/report/types.js";

async function main(argv: readonly string[]): Promise<number> {
  const files = argv.filter((arg) => !arg.startsWith("--"));
  const outFlag = argv.find((arg) => arg.startsWith("--out="));
  const outDir = path.resolve(outFlag ? outFlag.slice("--out=".length) : "docs/screenshots");
  if (files.length === 0) {
    process.stderr.write("usage: screenshots.js [--out=docs/screenshots] <report.json> [...]\n");
    return 2;
  }
  await mkdir(outDir, { recursive: true });
  const browser = await launchChromium({ env: process.env });
  try {
    for (const file of files) {
      const report = JSON.parse(await readFile(file, "utf8")) as Report;
      const folder = path.basename(path.dirname(path.resolve(file)));
      const name = folder && path.dirname(file) !== "." ? folder : path.basename(file, ".json");
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
      await page.setContent(formatHtml(report, { color: false }), { waitUntil: "load" });
      await page.screenshot({ path: path.join(outDir, `${name}.png`) });
      await page.screenshot({ path: path.join(outDir, `${name}-full.png`), fullPage: true });
      await page.close();
      process.stdout.write(`wrote ${path.join(outDir, `${name}.png`)} and ${name}-full.png\n`);
    }
  } finally {
    await browser.close();
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
