// The Explorer on a store x item catalogue of more series than one list can show (issue 19): the
// picker is a search box answered by the server (GET /api/series?search=), not a checklist of
// every name, and a series found by search is charted; names hold "/" (CA_1/FOODS_3_001).
import { describe, expect, it } from "vitest";
import { chartSeries, waitForChart } from "./support/chart.js";
import { dashboardSuite } from "./support/suite.js";

// 3 stores x 80 items: 240 series, over the picker's 200.
const { open, api } = dashboardSuite({ catalogue: { stores: 3, items: 80, days: 60 } });

interface Listed {
  total_count: number;
  series: { name: string }[];
}

describe("Explorer on a catalogue", () => {
  it("searches series on the server and charts a found one", async () => {
    const all = await api<Listed>("series?page_size=1");
    expect(all.total_count).toBe(240);
    const first = all.series[0].name;
    const requested: string[] = [];
    const page = await open("explorer", undefined, async (p) => {
      p.on("request", (request) => requested.push(new URL(request.url()).pathname));
    });
    await waitForChart(page, "explorer-chart");
    const picker = page.getByTestId("explorer-categories");
    // Not one checkbox per series: the first shown (picked) and the first matches of an empty search.
    await expect.poll(async () => picker.locator("input[type=checkbox]").count()).toBeLessThanOrEqual(21);
    await expect(picker.locator("legend").textContent()).resolves.toContain("(1 of 240)");

    const wanted = await api<Listed>(`series?search=${encodeURIComponent("tx_1 foods")}&page_size=20`);
    expect(wanted.total_count).toBeGreaterThan(0);
    await page.getByTestId("explorer-categories-search").fill("tx_1 FOODS");
    const expectedLabels = [first, ...wanted.series.map((s) => s.name).filter((name) => name !== first)];
    await expect.poll(async () => picker.locator("li label").allTextContents()).toEqual(expectedLabels);
    if (wanted.total_count > 20)
      await expect(page.getByTestId("explorer-categories-more").textContent()).resolves.toContain(`${wanted.total_count - 20} more match`);

    // The page never downloads every name.
    expect(requested.filter((path) => path === "/api/categories")).toEqual([]);

    const target = wanted.series[wanted.series.length - 1].name;
    expect(target).toMatch(/^TX_1\//);
    await picker.getByLabel(target).check();
    await expect.poll(async () => (await chartSeries(page, "explorer-chart")).map((s) => s.name).some((name) => name.startsWith(`${target} `))).toBe(true);
    await expect(picker.locator("legend").textContent()).resolves.toContain("(2 of 240)");
    // The page's own request for the series: its name with "/" sent percent-encoded.
    const series = await api<{ category: string; values: number[] }>(`series/${encodeURIComponent(target)}`);
    expect(series.category).toBe(target);
  });
});
