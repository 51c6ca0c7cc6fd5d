/**
 * `--format pdf`: prints the HTML report through a locally installed Chromium driven by
 * playwright-core. The page is self-contained, so the browser is kept off the network entirely.
 */
import { access, constants } from "node:fs/promises";
import { LandlordError } from "../diagnostics.js";

/** Where Chromium is looked for when no path is given, in order. */
export const CHROMIUM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
] as const;

/** Environment variable naming a Chromium executable, used when no path is passed. */
export const CHROMIUM_ENV = "LANDLORD_CHROMIUM";

/** Flags that keep a headless Chromium quiet, offline and usable as root in containers. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
] as const;

export interface ChromiumOptions {
  /** Explicit Chromium executable (`--chromium PATH`); otherwise `LANDLORD_CHROMIUM`, then {@link CHROMIUM_PATHS}. */
  chromiumPath?: string | undefined;
  env: Record<string, string | undefined>;
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the Chromium to use. An explicit path that does not exist is an error, not a silent fallback.
 * Throws `chromium-not-found` naming the Debian package when there is none.
 */
export async function findChromium(options: ChromiumOptions): Promise<string> {
  const explicit = options.chromiumPath ?? options.env[CHROMIUM_ENV];
  if (explicit) {
    if (await executable(explicit)) return explicit;
    throw new LandlordError("chromium-not-found", `Chromium not found at ${explicit}`, {
      hint: "Give the path of an installed Chromium or Chrome executable, or install Debian's package: apt-get install chromium",
    });
  }
  for (const candidate of CHROMIUM_PATHS) if (await executable(candidate)) return candidate;
  throw new LandlordError("chromium-not-found", "PDF output needs Chromium, and none was found", {
    details: [{ message: `looked in ${CHROMIUM_PATHS.join(", ")} and $${CHROMIUM_ENV}` }],
    hint: "Install the Debian/Ubuntu package `chromium` (apt-get install chromium), or pass the path of a Chromium or Chrome executable.",
  });
}

/** Launches headless Chromium with a fresh profile; the caller closes the browser. */
export async function launchChromium(options: ChromiumOptions) {
  const executablePath = await findChromium(options);
  const { chromium } = await import("playwright-core");
  try {
    // playwright gives every launch a fresh temporary user-data-dir and removes it on close.
    return await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    throw new LandlordError("chromium-launch-failed", `Chromium at ${executablePath} did not start`, {
      details: [{ message: String((error as Error).message).split("\n")[0] ?? "" }],
      hint: "Check that the executable is a working Chromium (try running it with --version).",
      cause: error,
    });
  }
}

/**
 * Most rows each findings table of the printed report shows (about 60 A4 pages); the rest are
 * counted under the table. A million resources gave 371k rows: Chromium closed the page instead of
 * laying them out, and no one reads such a PDF.
 */
export const PDF_TABLE_ROWS = 2000;

/** Prints a self-contained HTML report to an A4 PDF. */
export async function renderPdf(html: string, options: ChromiumOptions): Promise<Uint8Array> {
  const browser = await launchChromium(options);
  try {
    return await printPage(browser, html);
  } catch (error) {
    if (error instanceof LandlordError) throw error;
    throw new LandlordError("pdf-render-failed", "Chromium could not print the report", {
      details: [{ message: String((error as Error).message ?? error).split("\n")[0]! }],
      hint: "Write the report as HTML (--format html) and print it from a browser, or check that Chromium runs with --chromium PATH.",
    });
  } finally {
    await browser.close();
  }
}

/** Loads the page offline and prints it. */
async function printPage(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  html: string,
): Promise<Uint8Array> {
  const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
  // The report needs nothing from the network; refuse anything a value might try to load.
  await context.route("**/*", (route) => route.abort());
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: "load" });
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({
    format: "A4",
    printBackground: true,
    margin: { top: "14mm", bottom: "14mm", left: "12mm", right: "12mm" },
  });
  return new Uint8Array(pdf);
}
