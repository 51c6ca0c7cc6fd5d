/**
 * Regenerates docs/screenshots/*.png: the HTML report of each given JSON report, rendered in the
 * local headless Chromium. Screenshots are generated files; do not edit them by hand.
 *
 *   npm run screenshots                        # scans the bundled examples
 *   npx tsx scripts/screenshots.ts saved.json  # or renders saved JSON reports
 *
 * Each report produces `<name>.png` (the first screen) and `<name>-full.png` (the whole page), where
 * `<name>` is the example's or the report's folder name.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { formatHtml } from "../src/formatters/html.js";
import { launchChromium } from "../src/formatters/pdf.js";
import { loadProfile } from "../src/profile/load.js";
import type { Report } from "../src/report/types.js";
import { scan } from "../src/scan.js";

const EXAMPLES = ["retailer-multicloud", "financial-services"];
/** A fixed scan time keeps the screenshots stable between runs. */
const SCAN_TIME = new Date("2026-11-21T00:00:00Z");

/** The bundled examples' reports, scanned as `landlord scan` would. */
async function exampleReports(): Promise<{ name: string; report: Report }[]> {
  const reports: { name: string; report: Report }[] = [];
  for (const name of EXAMPLES) {
    const profile = await loadProfile(
      path.resolve(import.meta.dirname, "../examples", name, "landlord.yaml"),
    );
    const { report } = await scan({ profile, scanTime: SCAN_TIME, includeDora: profile.dora !== undefined });
    reports.push({ name, report });
  }
  return reports;
}

async function main(argv: readonly string[]): Promise<number> {
  const files = argv.filter((arg) => !arg.startsWith("--"));
  const outFlag = argv.find((arg) => arg.startsWith("--out="));
  const outDir = path.resolve(outFlag ? outFlag.slice("--out=".length) : "docs/screenshots");
  const reports =
    files.length === 0
      ? await exampleReports()
      : await Promise.all(
          files.map(async (file) => ({
            name: path.basename(path.dirname(path.resolve(file))),
            report: JSON.parse(await readFile(file, "utf8")) as Report,
          })),
        );
  await mkdir(outDir, { recursive: true });
  const browser = await launchChromium({ env: process.env });
  try {
    for (const { name, report } of reports) {
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
