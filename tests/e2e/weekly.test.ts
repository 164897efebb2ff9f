// The dashboard on weekly data (issue 15): every label speaks of weeks, never days; amounts carry
// the configured currency (app.currency) in the browser's locale; the Predict page opens on the
// default category (data.item_id, not the first model), gives each forecast week its date and a
// CSV download, and lets a model that reads a covariate forecast, with the window's covariate
// values prefilled from the data file.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DESKTOP, screenshot } from "./support/browser.js";
import { chartSeries, waitForChart } from "./support/chart.js";
import { dashboardSuite } from "./support/suite.js";

// 700 days of transactions read as 100 weeks; Electronics (the default category, not the first
// alphabetically) reads the Quantity column as a covariate.
const { open: openAt, api } = dashboardSuite({
  days: 700,
  overrides: ["data.frequency=W", "app.currency=EUR"],
  defaultCategory: "Electronics",
  pretrain: ["Beauty", { category: "Electronics", settings: { model: { features: { covariates: ["Quantity"] } } } }],
});
const open = (hash: string, locale = "en-US") => openAt(hash, DESKTOP, undefined, locale);

const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("Explorer on weekly data", () => {
  it("labels weeks as weeks and shows amounts in the configured currency", async () => {
    const series = await api<{ frequency: string; dates: string[]; values: number[] }>("series/Electronics");
    expect(series.frequency).toBe("W");
    const page = await open("explorer");
    await waitForChart(page, "explorer-chart");
    const drawn = await chartSeries(page, "explorer-chart");
    // The default category, one point per week, and a 4-week mean (not "Daily sales", "7-day mean").
    expect(drawn.map((s) => s.name)).toEqual(["Weekly sales", "4-week mean"]);
    expect(drawn[0].points).toBe(series.dates.length);
    await expect(page.getByTestId("explorer-window-value").textContent()).resolves.toBe("4 weeks");

    const headers = await page.getByTestId("explorer-summary").locator("thead th").allTextContents();
    expect(headers).toEqual(["Category", "Total", "Mean per week", "Last 4 weeks", "4 weeks before", "Change"]);
    const summary = (await page.getByTestId("explorer-summary").textContent()) ?? "";
    expect(summary).not.toMatch(/\bdays?\b/);
    const total = series.values.reduce((a, b) => a + b, 0);
    const euros = (v: number, locale: string) =>
      new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(v);
    const cells = await page.getByTestId("explorer-summary").locator("tbody td").allTextContents();
    expect(cells[0]).toBe(euros(total, "en-US"));
    expect(cells[2]).toBe(
      euros(
        series.values.slice(-4).reduce((a, b) => a + b, 0),
        "en-US",
      ),
    );
    await screenshot(page, "explorer-weekly");
  });

  it("follows the browser's locale for numbers and dates (German)", async () => {
    const series = await api<{ dates: string[]; values: number[] }>("series/Electronics");
    const page = await open("explorer", "de-DE");
    await waitForChart(page, "explorer-chart");
    const from = series.dates[series.dates.length - 10];
    await page.getByTestId("explorer-from").fill(from);
    const inRange = series.values.slice(-10).reduce((a, b) => a + b, 0);
    const german = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(inRange);
    await expect.poll(async () => (await page.getByTestId("explorer-summary").locator("tbody td").allTextContents())[0]).toBe(german);
    const germanDate = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "UTC" }).format(Date.parse(`${from}T00:00:00Z`));
    await expect(page.getByTestId("explorer-summary").locator("caption").textContent()).resolves.toContain(germanDate);
  });
});

describe("Predict on weekly data with a covariate model", () => {
  it("opens on the default category, not the first model", async () => {
    const page = await open("predict");
    await expect.poll(() => page.getByTestId("predict-category").inputValue()).toBe("Electronics");
    const options = await page.getByTestId("predict-category").locator("option").allTextContents();
    expect(options[0]).toBe("Beauty"); // the first model is another one
    await expect(page.getByTestId("model-window").textContent()).resolves.toBe("14 weeks");
    await expect(page.getByTestId("model-inputs").textContent()).resolves.toBe("sales, covariate Quantity");
  });

  it("prefills the covariate over the window, asks for its forecast weeks, and forecasts like the API", async () => {
    const latest = await api<{ values: number[]; dates: string[]; next_date: string; covariates: Record<string, number[]> }>("series/Electronics/latest");
    expect(latest.covariates.Quantity).toHaveLength(14);
    const future = [2, 5, 3];
    const direct = await api<{ forecast: number[]; intervals: Array<{ level: number; lower: number[]; upper: number[] }> }>(
      "predict/Electronics",
      post({ series: latest.values, horizon: 3, level: [80], covariates: { Quantity: [...latest.covariates.Quantity, ...future] } }),
    );

    const page = await open("predict");
    const box = page.getByTestId("covariate-Quantity");
    await box.waitFor();
    // The window's 14 weekly values from the data file, one per line.
    expect((await box.inputValue()).split("\n").map(Number)).toEqual(latest.covariates.Quantity);
    await expect(page.getByTestId("predict-window").locator("thead").textContent()).resolves.toContain("Week starting");
    await expect(page.getByTestId("predict-window").locator("caption").textContent()).resolves.toContain("The last 14 weeks");
    await expect(page.locator("label", { hasText: "Horizon" }).first().textContent()).resolves.toContain("weeks ahead");

    await page.getByTestId("predict-horizon").fill("3");
    await page.getByTestId("predict-level").selectOption("80");
    // 14 of 17 values: nothing can be sent yet.
    await expect(page.getByTestId("covariate-status-Quantity").textContent()).resolves.toBe("14 of 17 values: add 3 more");
    expect(await page.getByTestId("predict-submit").isDisabled()).toBe(true);
    await box.fill(`${await box.inputValue()}\n${future.join("\n")}`);
    await expect(page.getByTestId("covariate-status-Quantity").textContent()).resolves.toBe("17 values");
    await page.getByTestId("predict-submit").click();

    const shown = page.getByTestId("predicted-sales");
    await shown.waitFor();
    expect(Number(await shown.getAttribute("data-value"))).toBe(direct.forecast[0]);
    // Each forecast week has its date: next_date, then 7 days apart.
    const weeks = [0, 1, 2].map((k) => addDays(latest.next_date, 7 * k));
    const rows = page.getByTestId("forecast-table").locator("tbody tr");
    await expect(rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { date: string } }).dataset.date))).resolves.toEqual(weeks);
    // The chart takes the forecast in an effect after the next paint: polled, not read at once.
    await waitForChart(page, "predict-chart");
    await expect.poll(async () => (await chartSeries(page, "predict-chart")).find((s) => s.name === "Forecast")?.last).toEqual([weeks[2], direct.forecast[2]]);
    await screenshot(page, "predict-weekly", "predict-result");

    // The CSV download: the same weeks, forecasts and bounds, machine-readable.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("forecast-download").click()]);
    expect(download.suggestedFilename()).toBe(`forecast-Electronics-${weeks[0]}.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    const band = direct.intervals[0];
    expect(csv).toBe(
      ["date,forecast,lower_80,upper_80", ...weeks.map((week, k) => `${week},${direct.forecast[k]},${band.lower[k]},${band.upper[k]}`)].join("\n") + "\n",
    );
  });

  it("names what is wrong with a covariate value", async () => {
    const page = await open("predict?category=Electronics");
    const box = page.getByTestId("covariate-Quantity");
    await box.waitFor();
    await box.fill(`${await box.inputValue()}\nlots`);
    await expect(page.getByTestId("covariate-status-Quantity").textContent()).resolves.toBe('value 15: "lots" is not a number');
    await expect(box.getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await page.getByTestId("predict-submit").isDisabled()).toBe(true);
    await expect(page.getByTestId("predict-problems").textContent()).resolves.toContain("Covariate Quantity");
  });
});

describe("Runs on weekly data", () => {
  it("gives each run's window in weeks", async () => {
    const page = await open("runs");
    await page.getByTestId("run-row").first().waitFor();
    const windows = await page.getByTestId("run-window").allTextContents();
    expect(windows).toEqual(["14 weeks", "14 weeks"]);
  });
});
