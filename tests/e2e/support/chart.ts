// Reads what an ECharts chart on the page is drawing. The dashboard's Chart component keeps
// its instance on the element (element.__chart), so tests check the plotted data itself
// rather than pixels. Time charts plot from a columnar dataset (a "t" column of timestamps
// and one column per line, see web/src/charts/options.ts); x/y charts from [x, y] pairs.
import type { Page } from "playwright-core";
import type { BrowserDocument, BrowserElement, ChartOptionSeen } from "./dom.js";

declare const document: BrowserDocument;

export interface DrawnSeries {
  name: string;
  /** Points with a value (gaps not counted). */
  points: number;
  /** First and last point with a value: [x, y], x as YYYY-MM-DD on time charts. */
  first?: [string | number, number];
  last?: [string | number, number];
}

/** Runs in the page: the series of the chart in (or under) the element with this test id. */
function readChart(id: string): DrawnSeries[] | null {
  const marked = document.querySelector(`[data-testid="${id}"]`);
  if (!marked) return null;
  const element: BrowserElement = marked.__chart ? marked : (marked.querySelector(".chart") ?? marked);
  if (!element.__chart) return null;
  const option: ChartOptionSeen = element.__chart.getOption();
  const source = option.dataset?.[0]?.source as Record<string, ArrayLike<number | null>> | undefined;
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  return (option.series ?? []).map((s) => {
    let xs: ArrayLike<unknown>;
    let ys: ArrayLike<unknown>;
    if (s.data) {
      const pairs = s.data as Array<[unknown, unknown]>;
      xs = pairs.map((p) => p[0]);
      ys = pairs.map((p) => p[1]);
    } else {
      xs = source?.[String(one(s.encode?.x))] ?? [];
      ys = source?.[String(one(s.encode?.y))] ?? [];
    }
    const kept: Array<[string | number, number]> = [];
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i];
      if (typeof y !== "number" || !Number.isFinite(y)) continue;
      const x = xs[i];
      kept.push([s.data ? (x as number) : new Date(x as number).toISOString().slice(0, 10), y]);
    }
    return { name: s.name ?? "", points: kept.length, first: kept[0], last: kept[kept.length - 1] };
  });
}

export async function chartSeries(page: Page, testId: string): Promise<DrawnSeries[]> {
  const seen = await page.evaluate(readChart, testId);
  if (seen === null) throw new Error(`no chart with data-testid ${testId} on the page`);
  return seen;
}

/** Waits until the chart exists, draws at least one point, and its canvas has a size. */
export async function waitForChart(page: Page, testId: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const marked = document.querySelector(`[data-testid="${id}"]`);
      if (!marked) return false;
      const element: BrowserElement = marked.__chart ? marked : (marked.querySelector(".chart") ?? marked);
      const canvas = element.querySelector("canvas");
      const option = element.__chart?.getOption();
      const drawn = (option?.series?.length ?? 0) > 0 && ((option?.dataset?.length ?? 0) > 0 || option!.series!.some((s) => (s.data?.length ?? 0) > 0));
      return drawn && canvas !== null && (canvas.width ?? 0) > 0 && (canvas.height ?? 0) > 0;
    },
    testId,
    { timeout },
  );
}

/** Zooms the chart as a drag on its slider would (percent of the x range). */
export async function zoomChart(page: Page, testId: string, start: number, end: number): Promise<void> {
  await page.evaluate(
    ([id, from, to]) => {
      const marked = document.querySelector(`[data-testid="${id}"]`)!;
      const element: BrowserElement = marked.__chart ? marked : marked.querySelector(".chart")!;
      element.__chart!.dispatchAction({ type: "dataZoom", start: from, end: to });
    },
    [testId, start, end] as const,
  );
}

/** The chart's zoom window, percent of the x range. */
export async function chartZoom(page: Page, testId: string): Promise<{ start?: number; end?: number }> {
  return page.evaluate((id) => {
    const marked = document.querySelector(`[data-testid="${id}"]`)!;
    const element: BrowserElement = marked.__chart ? marked : marked.querySelector(".chart")!;
    const zoom = element.__chart!.getOption().dataZoom?.[0] ?? {};
    return { start: zoom.start, end: zoom.end };
  }, testId);
}

/** The series drawn on the small chart of the Catalogue page's tile of `name`. */
export async function chartSeriesInTile(page: Page, name: string): Promise<DrawnSeries[]> {
  const id = `tile-${Math.random().toString(36).slice(2)}`;
  await page
    .locator(`[data-testid="catalogue-grid-tile"][data-series="${name}"] .chart`)
    .evaluate((element, mark) => element.setAttribute("data-testid", mark), id);
  return chartSeries(page, id);
}
