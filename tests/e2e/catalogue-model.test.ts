// The Catalogue page with a catalogue model (train --catalogue, trained before the browser
// starts): every tile of every level, aggregates included (the total, a store, a store's
// department), draws the model's reconciled forecast as GET /api/forecasts/{level} gives it, and
// the download button saves that route's CSV for the series shown, as the server sent it.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chartSeriesInTile as chartSeriesIn, waitForChart } from "./support/chart.js";
import { dashboardSuite } from "./support/suite.js";

const { open } = dashboardSuite({
  catalogue: { stores: 2, items: 24, days: 120, hierarchy: "[[], [store_id], [store_id, dept_id]]", train: true },
  overrides: ["catalogue.horizon=7", "catalogue.max_rounds=10", "catalogue.training_days=60", "model.gbdt.threads=1"],
});

/** The server's answer as text (the suite's api() reads JSON). */
async function csvOf(page: Page, path: string): Promise<string> {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.text();
  }, `/api/${path}`);
}

/** series → [date, forecast] rows of a level's CSV. */
function forecastsOf(csv: string): Map<string, Array<[string, number]>> {
  const out = new Map<string, Array<[string, number]>>();
  for (const line of csv.trim().split("\n").slice(1)) {
    const [, series, date, forecast] = line.split(",");
    if (!out.has(series)) out.set(series, []);
    out.get(series)!.push([date, Number(forecast)]);
  }
  return out;
}

const tileNames = async (page: Page) => page.getByTestId("catalogue-grid-tile").evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute("data-series")));

describe("Catalogue page with a catalogue model", () => {
  it("draws the reconciled forecast of the total, of each store and of a store's departments", async () => {
    const page = await open("catalogue");
    await waitForChart(page, "catalogue-grid-chart");
    await expect.poll(() => tileNames(page)).toEqual(["total"]);
    for (const [level, path] of [
      ["total", []],
      ["store_id", ["total"]],
      ["store_id/dept_id", ["total", "CA_1"]],
    ] as const) {
      if (path.length > 0) await page.getByRole("button", { name: `Drill into ${path[path.length - 1]}` }).click();
      const expected = forecastsOf(await csvOf(page, `forecasts/${encodeURIComponent(level)}?format=csv`));
      const names = await (async () => {
        await expect.poll(async () => (await tileNames(page)).every((name) => expected.has(name!))).toBe(true);
        return (await tileNames(page)) as string[];
      })();
      expect(names.length).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByTestId("catalogue-forecast-count").textContent())
        .toBe(`${names.length} of ${names.length} series on this page have a forecast.`);
      for (const name of names) {
        await expect
          .poll(async () => (await chartSeriesIn(page, name)).find((s) => s.name === `${name} forecast`))
          .toMatchObject({ points: expected.get(name)!.length, first: expected.get(name)![0] });
      }
    }
  });

  it("downloads the forecasts shown: GET /api/forecasts/{level} for the page's series, as the server sends it", async () => {
    const page = await open(`catalogue?path=${encodeURIComponent(JSON.stringify(["total", "CA_1"]))}`);
    await expect.poll(async () => (await tileNames(page)).length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("catalogue-download").isDisabled()).toBe(false);
    const names = (await tileNames(page)) as string[];
    const requested: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/forecasts/")) requested.push(request.url());
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("catalogue-download").click()]);
    expect(download.suggestedFilename()).toBe("forecasts-CA_1-page-1.csv");
    const saved = await readFile((await download.path())!, "utf8");
    const query = names.map((name) => `series=${encodeURIComponent(name)}`).join("&");
    expect(saved).toBe(await csvOf(page, `forecasts/${encodeURIComponent("store_id/dept_id")}?format=csv&${query}`));
    expect(saved.split("\n")[0]).toBe("level,series,date,forecast,lo_80,hi_80,lo_95,hi_95");
    expect(
      new Set(
        saved
          .trim()
          .split("\n")
          .slice(1)
          .map((line) => line.split(",")[1]),
      ),
    ).toEqual(new Set(names));
    // The click asked the server; the file was not built in the page.
    expect(requested.some((url) => url.includes(`/api/forecasts/${encodeURIComponent("store_id/dept_id")}?format=csv`))).toBe(true);
  });
});
