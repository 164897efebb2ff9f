// One browser suite file's fixtures: a project (generated data, models pretrained), a real
// server on it and one Chromium, started before the file's tests and stopped after them even
// when a test fails; pages opened by a test are closed after it, and any error the dashboard
// logged fails that test.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { DESKTOP, launchBrowser, openPage } from "./browser.js";
import { makeProject, type ProjectOptions, type TestProject } from "./project.js";
import { startTestServer, type RunningServer } from "./server.js";

export interface DashboardSuite {
  project(): TestProject;
  /** Opens the dashboard at a page (`before` runs first, e.g. to route requests). */
  open(hash: string, viewport?: { width: number; height: number }, before?: (page: Page) => Promise<void>, locale?: string): Promise<Page>;
  /** The server's JSON answer to /api/<path>; throws on an error status. */
  api<T>(path: string, init?: RequestInit): Promise<T>;
}

export function dashboardSuite(options: ProjectOptions): DashboardSuite {
  let project: TestProject | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];
  let problems: string[][] = [];

  beforeAll(async () => {
    project = await makeProject(options);
    server = await startTestServer(project.config);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await project?.remove();
  });

  afterEach(async () => {
    const seen = problems.flat();
    for (const page of pages.splice(0))
      await page
        .context()
        .close()
        .catch(() => undefined);
    problems = [];
    expect(seen, "the dashboard logged errors").toEqual([]);
  });

  return {
    project: () => project!,
    async open(hash, viewport = DESKTOP, before, locale = "en-US") {
      const opened = await openPage(browser!, viewport, locale);
      pages.push(opened.page);
      problems.push(opened.problems);
      await before?.(opened.page);
      await opened.page.goto(`${server!.url}/#/${hash}`);
      return opened.page;
    },
    async api<T>(path: string, init?: RequestInit): Promise<T> {
      const response = await fetch(`${server!.url}/api/${path}`, init);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}
