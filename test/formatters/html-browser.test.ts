/** The HTML report in a real headless Chromium: renders cleanly, charts present, filtering works, PDF prints. */
import { existsSync } from "node:fs";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHtml } from "../../src/formatters/html.js";
import { CHROMIUM_PATHS, findChromium, launchChromium, renderPdf } from "../../src/formatters/pdf.js";
import { buildReport, hostileReport } from "./fixtures/retailer.js";

const chromium = CHROMIUM_PATHS.find((candidate) => existsSync(candidate));
const mustRun = process.env["CI"] !== undefined && process.env["CI"] !== "";
if (!chromium && !mustRun) {
  console.warn("Skipping headless-Chromium tests: no Chromium found (apt-get install chromium).");
}

describe.skipIf(!chromium && !mustRun)("HTML report in headless Chromium", () => {
  const env = {};
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let outDir: string;

  beforeAll(async () => {
    browser = await launchChromium({ env });
    outDir = await mkdtemp(path.join(tmpdir(), "landlord-html-"));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.setContent(html, { waitUntil: "load" });
    return { page, problems };
  }

  it("renders without console errors, with charts, filtering, sorting and a screenshot", async () => {
    const { page, problems } = await open(formatHtml(buildReport(), { color: false }));
    expect(await page.locator('svg[data-chart="share"] rect').count()).toBeGreaterThan(4);
    expect(await page.locator('svg[data-chart="hhi"]').count()).toBe(2);
    expect(await page.locator("#chart-providers").boundingBox()).not.toBeNull();

    const rows = page.locator("#findings-table tbody tr");
    expect(await rows.count()).toBe(9);
    await expect.poll(() => page.locator("#finding-count").textContent()).toBe("9 of 9 findings shown");

    await page.fill("#finding-filter", "huawei");
    expect(await page.locator("#findings-table tbody tr:not([hidden])").count()).toBe(1);
    expect(await page.locator("#finding-count").textContent()).toBe("1 of 9 findings shown");

    await page.fill("#finding-filter", "");
    await page.selectOption("#severity-filter", "2");
    expect(await page.locator("#findings-table tbody tr:not([hidden])").count()).toBe(8);

    await page.click("#findings-table th:nth-child(1)");
    expect(await rows.first().locator(".sev").textContent()).toBe("low");
    await page.click("#findings-table th:nth-child(1)");
    expect(await rows.first().locator(".sev").textContent()).toBe("high");

    const screenshot = path.join(outDir, "report.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs no injected script from hostile inventory values", async () => {
    const { page, problems } = await open(formatHtml(hostileReport(), { color: false }));
    expect(problems).toEqual([]);
    expect(await page.locator("body").textContent()).toContain("<script>alert(1)</script>");
    await page.close();
  });

  it("prints the report to PDF", async () => {
    const pdf = await renderPdf(formatHtml(buildReport(), { color: false }), { env });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});

describe("finding Chromium", () => {
  it("names the Debian package when the given path does not exist", async () => {
    await expect(findChromium({ chromiumPath: "/nonexistent/chromium", env: {} })).rejects.toMatchObject({
      code: "chromium-not-found",
      hint: expect.stringContaining("apt-get install chromium"),
    });
  });

  it("uses LANDLORD_CHROMIUM when no path is given", async () => {
    const file = path.join(tmpdir(), "landlord-no-such-chromium");
    await expect(findChromium({ env: { LANDLORD_CHROMIUM: file } })).rejects.toThrow(file);
    if (chromium) expect(await findChromium({ env: { LANDLORD_CHROMIUM: chromium } })).toBe(chromium);
  });
});
