// Swagger UI at /docs in a real Chromium: the API's description must show "<key>" (issue 15:
// the Markdown renderer dropped it as an unknown HTML tag), and the page loads its files
// compressed like every browser asks for.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage } from "./support/browser.js";
import { makeProject, type TestProject } from "./support/project.js";
import { startTestServer, type RunningServer } from "./support/server.js";

let project: TestProject | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  project = await makeProject();
  server = await startTestServer(project.config);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await project?.remove();
});

describe("Swagger UI", () => {
  it("shows the bearer header with its <key> placeholder", async () => {
    const { page, problems } = await openPage(browser!);
    try {
      await page.goto(`${server!.url}/docs`);
      const description = page.locator(".info .description");
      await description.waitFor();
      expect(await description.innerText()).toContain("Authorization: Bearer <key>");
      expect(problems).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
