// Reads what an ECharts chart on the page is drawing. The dashboard's Chart component keeps
// its instance on the element (element.__chart), so tests check the plotted data itself
// rather than pixels.
import type { Page } from "playwright-core";
import type { BrowserDocument, BrowserElement } from "./dom.js";

declare const document: BrowserDocument;

export interface DrawnSeries {
  name: string;
  points: number;
  first?: [string | number, number | null];
  last?: [string | number, number | null];
}

export async function chartSeries(page: Page, testId: string): Promise<DrawnSeries[]> {
  return page.evaluate((id) => {
    const marked = document.querySelector(`[data-testid="${id}"]`);
    if (!marked) throw new Error(`no element with data-testid ${id}`);
    const element: BrowserElement = marked.__chart ? marked : (marked.querySelector(".chart") ?? marked);
    const chart = element.__chart;
    if (!chart) throw new Error(`element ${id} holds no chart`);
    return (chart.getOption().series ?? []).map((s) => {
      const data = (s.data ?? []) as Array<[string | number, number | null]>;
      return { name: s.name ?? "", points: data.length, first: data[0], last: data[data.length - 1] };
    });
  }, testId);
}

/** Waits until the chart exists, draws at least one point, and its canvas has a size. */
export async function waitForChart(page: Page, testId: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const marked = document.querySelector(`[data-testid="${id}"]`);
      if (!marked) return false;
      const element: BrowserElement = marked.__chart ? marked : (marked.querySelector(".chart") ?? marked);
      const canvas = element.querySelector("canvas");
      const drawn = (element.__chart?.getOption().series ?? []).some((s) => (s.data?.length ?? 0) > 0);
      return drawn && canvas !== null && (canvas.width ?? 0) > 0 && (canvas.height ?? 0) > 0;
    },
    testId,
    { timeout },
  );
}
