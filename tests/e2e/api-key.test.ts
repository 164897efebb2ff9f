// The dashboard on a server that needs its API key (issue 18), in a real Chromium:
// - a server with a key, as off loopback (reads open, training needs the key): Train gets a
//   401, the dashboard asks for the key, refuses a wrong one, trains with the right one, and
//   does not ask again in the same tab;
// - a server with app.read_auth: the dashboard asks before it shows anything, then shows the data.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import { buildApp, listen, type ListeningServer } from "../../src/server/index.js";
import { launchBrowser, openPage, screenshot } from "./support/browser.js";
import { waitForChart } from "./support/chart.js";
import { makeProject, type TestProject } from "./support/project.js";
import { DASHBOARD_BUILD } from "./support/server.js";

const KEY = "e2e-dashboard-key-0123456789abcdef";

let browser: Browser;
const cleanups: Array<() => Promise<void>> = [];
let pageProblems: string[][] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await browser?.close().catch(() => undefined);
});
afterEach(() => {
  const seen = pageProblems.flat();
  pageProblems = [];
  expect(seen, "the dashboard logged errors").toEqual([]);
});

/** A project and a server over it with SALESCAST_API_KEY set (and app.read_auth as asked), on loopback. */
async function keyedServer(readAuth: boolean, pretrain: string[]): Promise<{ project: TestProject; server: ListeningServer }> {
  const project = await makeProject({ categories: ["Beauty", "Clothing"], pretrain });
  cleanups.push(() => project.remove());
  const config = withOverrides(project.config, { app: { read_auth: readAuth } });
  const app = await buildApp({ config, host: "127.0.0.1", logger: false, trainingThreads: 1, env: { SALESCAST_API_KEY: KEY }, dashboardRoot: DASHBOARD_BUILD });
  const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
  cleanups.push(() => server.close());
  return { project, server };
}

async function newPage(url: string): Promise<Page> {
  const opened = await openPage(browser);
  pageProblems.push(opened.problems);
  cleanups.push(() => opened.page.context().close());
  await opened.page.goto(url);
  return opened.page;
}

const dialogOpen = (page: Page) => page.getByTestId("key-dialog").evaluate((d) => (d as unknown as { open: boolean }).open);

describe("a server whose training routes need the key", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    ({ server } = await keyedServer(false, []));
  });

  it("asks for the key when training gets a 401, refuses a wrong key, trains with the right one, and asks only once", async () => {
    const page = await newPage(`${server.address}/#/train`);
    const trainAuth: Array<string | undefined> = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/train")) trainAuth.push(request.headers().authorization);
    });
    const picker = page.getByTestId("train-categories");
    await picker.getByRole("button", { name: "None" }).click();
    await picker.getByLabel("Beauty").check();
    expect(await dialogOpen(page)).toBe(false);
    await page.getByTestId("train-start").click();

    // The 401 opens the prompt, with the server's reason.
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await expect(page.getByTestId("key-dialog-message").textContent()).resolves.toContain("this route needs the API key");
    await screenshot(page, "key-dialog");
    // Nothing typed: said in the dialog, nothing sent.
    await page.getByTestId("key-submit").click();
    await expect(page.getByTestId("key-problem").textContent()).resolves.toContain("Type the key");
    expect(trainAuth).toEqual([undefined]);

    await page.getByTestId("key-input").fill("not-the-key-0000000000");
    await page.getByTestId("key-submit").click();
    await expect.poll(() => page.locator("#key-dialog-title").textContent()).toBe("That API key was refused");
    await expect(page.getByTestId("key-dialog-message").textContent()).resolves.toContain("the API key is wrong");

    await page.getByTestId("key-input").fill(KEY);
    await page.getByTestId("key-submit").click();
    const job = page.getByTestId("train-job");
    await job.waitFor();
    await expect.poll(() => dialogOpen(page)).toBe(false);
    await expect.poll(() => job.getAttribute("data-state"), { timeout: 90_000 }).toBe("succeeded");
    await expect(page.getByTestId("train-version-Beauty").textContent()).resolves.toBe("1");
    expect(trainAuth).toEqual([undefined, "Bearer not-the-key-0000000000", `Bearer ${KEY}`]);
    // Kept for this tab only.
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem("salescast.api_key"),
      ),
    ).toBe(KEY);

    // A reload in the same tab trains again without asking.
    await page.goto(`${server.address}/#/train`);
    await page.reload();
    const again = page.getByTestId("train-categories");
    await again.getByRole("button", { name: "None" }).click();
    await again.getByLabel("Beauty").check();
    await page.getByTestId("train-start").click();
    await expect.poll(() => page.getByTestId("train-job").getAttribute("data-state"), { timeout: 90_000 }).toBe("succeeded");
    await expect(page.getByTestId("train-version-Beauty").textContent()).resolves.toBe("2");
    expect(await dialogOpen(page)).toBe(false);
    expect(trainAuth.slice(3)).toEqual([`Bearer ${KEY}`]);
  });

  it("shows the refusal as the page's error when the person cancels", async () => {
    const page = await newPage(`${server.address}/#/train`);
    await page.getByTestId("train-start").click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await page.getByTestId("key-cancel").click();
    await expect.poll(() => dialogOpen(page)).toBe(false);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("this route needs the API key");
    expect(await page.getByTestId("train-job").count()).toBe(0);
  });
});

describe("a server with app.read_auth", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    ({ server } = await keyedServer(true, ["Beauty"]));
  });

  it("asks for the key before showing anything, then shows the data", async () => {
    const page = await newPage(`${server.address}/#/explorer`);
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await expect(page.getByTestId("key-dialog-message").textContent()).resolves.toContain("this route needs the API key");
    // Nothing of the server's data is on the page meanwhile.
    expect(await page.getByTestId("explorer-chart").count()).toBe(0);
    await page.getByTestId("key-input").fill(KEY);
    await page.getByTestId("key-submit").click();
    await waitForChart(page, "explorer-chart");
    await expect.poll(() => dialogOpen(page)).toBe(false);
  });
});
