// Chromium from Debian (/usr/bin/chromium) driven by playwright-core: no browser download,
// ever. Screenshots go to test-output/e2e/ and, with UPDATE_SCREENSHOTS=1, to
// docs/screenshots/ (the README's pictures).
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { BrowserDocument } from "./dom.js";

declare const document: BrowserDocument;
declare const requestAnimationFrame: (callback: () => void) => number;
declare const scrollTo: (x: number, y: number) => void;

export const CHROMIUM = process.env.SALESCAST_CHROMIUM ?? "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const OUTPUT_DIR = join(ROOT, "test-output", "e2e");
export const DOCS_DIR = join(ROOT, "docs", "screenshots");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set SALESCAST_CHROMIUM to its path)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
}

/**
 * A page that fails the test on any uncaught error or console error in the dashboard. The
 * locale is en-US unless asked otherwise, so the suite does not depend on the machine's.
 */
export async function openPage(browser: Browser, viewport = DESKTOP, locale = "en-US"): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: "reduce", locale, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs every 4xx/5xx answer as a console error; the pages must handle those
    // (tests check the message shown), so only other errors count as problems.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource: the server responded with a status of")) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return { page, problems };
}

/**
 * Saves test-output/e2e/<name>.png, and docs/screenshots/<name>.png when UPDATE_SCREENSHOTS=1.
 * The page is scrolled to the top first (clicks scroll it), unless `show` names an element
 * (data-testid) to bring into view instead.
 */
export async function screenshot(page: Page, name: string, show?: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  if (show) await page.getByTestId(show).scrollIntoViewIfNeeded();
  else await page.evaluate(() => scrollTo(0, 0));
  // Let ECharts finish its last frame (animations are off for large data, not for small).
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.screenshot({ path, fullPage: false, animations: "disabled", caret: "hide" });
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    await mkdir(DOCS_DIR, { recursive: true });
    await copyFile(path, join(DOCS_DIR, `${name}.png`));
  }
  return path;
}

/** Width of the whole document: more than the viewport means the page scrolls sideways. */
export function documentWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
