// The dashboard in a real Chromium against a real salescast server with freshly trained
// models: each page's main scenario from issue 6, its errors and empty states, and the phone
// layout. One server and one browser for the file; both are stopped even when a test fails.
import { describe, expect, it } from "vitest";
import { DESKTOP, documentWidth, PHONE, screenshot } from "./support/browser.js";
import { chartSeries, chartZoom, waitForChart, zoomChart } from "./support/chart.js";
import { dashboardSuite } from "./support/suite.js";

// Beauty and Electronics have models (and runs) before the browser starts; the Train test trains Clothing.
const suite = dashboardSuite({ pretrain: ["Beauty", "Electronics"] });
const { open, api } = suite;

/** A calendar date as the en-US pages write it: "Mar 4, 2024". */
const usDate = (iso: string) => new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(Date.parse(`${iso}T00:00:00Z`));

describe("Explorer", () => {
  it("draws the picked category's sales and follows the date range", async () => {
    const series = await api<{ dates: string[]; values: number[] }>("series/Beauty");
    const page = await open("explorer");
    await waitForChart(page, "explorer-chart");

    // The default category (data.item_id = Beauty): every day as a point, and its rolling mean.
    let drawn = await chartSeries(page, "explorer-chart");
    expect(drawn.map((s) => s.name)).toEqual(["Daily sales", "7-day mean"]);
    expect(drawn[0].points).toBe(series.dates.length);
    expect(drawn[0].first).toEqual([series.dates[0], series.values[0]]);
    await screenshot(page, "explorer");

    // A narrower range redraws with exactly the days inside it.
    const from = series.dates[series.dates.length - 60];
    await page.getByTestId("explorer-from").fill(from);
    await expect.poll(async () => (await chartSeries(page, "explorer-chart"))[0].points).toBe(60);
    drawn = await chartSeries(page, "explorer-chart");
    expect(drawn[0].first?.[0]).toBe(from);
    expect(drawn[0].last?.[0]).toBe(series.dates[series.dates.length - 1]);
    await expect.poll(() => page.getByTestId("explorer-summary").textContent()).toContain(`Summary, ${usDate(from)} to last day`);

    // The rolling window slider changes the mean line (keyboard: arrow keys on the slider),
    // and the zoom the user chose stays where it was.
    await zoomChart(page, "explorer-chart", 20, 70);
    await page.getByTestId("explorer-window").focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await chartSeries(page, "explorer-chart"))[1].name).toBe("8-day mean");
    expect(await chartZoom(page, "explorer-chart")).toEqual({ start: 20, end: 70 });
  });

  it("draws 50 series of five years of daily data", async () => {
    // Served by the page's own route handler: the point is the browser side at full scale.
    const names = Array.from({ length: 50 }, (_, i) => `Category ${String(i + 1).padStart(2, "0")}`);
    const dates = Array.from({ length: 1827 }, (_, d) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10));
    const page = await open("explorer", DESKTOP, async (p) => {
      await p.route("**/api/categories", (route) =>
        route.fulfill({ json: { default: names[0], categories: names.map((name) => ({ name, in_data: true, has_model: false, version: null })) } }),
      );
      await p.route("**/api/series/**", (route) => {
        const name = decodeURIComponent(new URL(route.request().url()).pathname.split("/").pop()!);
        const k = names.indexOf(name) + 1;
        const values = dates.map((_, d) => Math.round(1000 * k + 300 * Math.sin(d / 7) + 200 * Math.sin(d / 365) + ((d * k) % 97)));
        return route.fulfill({ json: { category: name, frequency: "D", dates, values } });
      });
    });
    await waitForChart(page, "explorer-chart");
    await page.getByTestId("explorer-categories").getByRole("button", { name: "All" }).click();
    // 50 series: small multiples by default, twelve small charts a page, each its own series.
    const tiles = page.getByTestId("explorer-grid-tile");
    await expect.poll(async () => tiles.count(), { timeout: 60_000 }).toBe(12);
    await expect(page.getByTestId("explorer-pager-position").textContent()).resolves.toBe("Page 1 of 5");
    await page.getByTestId("explorer-pager").getByRole("button", { name: "Next" }).click();
    await expect.poll(async () => tiles.first().getAttribute("data-series")).toBe("Category 13");
    await waitForChart(page, "explorer-grid-chart");
    expect((await chartSeries(page, "explorer-grid-chart")).map((s) => [s.name, s.points])).toEqual([["Category 13", dates.length]]);
    // Overlaid on one chart when asked: 50 series and their means.
    await page.getByTestId("explorer-view").getByLabel("One chart").check();
    await waitForChart(page, "explorer-chart");
    await expect.poll(async () => (await chartSeries(page, "explorer-chart")).length, { timeout: 60_000 }).toBe(100);
    // The address is updated by an effect after the render: polled, not read at once.
    await expect.poll(() => page.url()).toContain("view=overlay");
    const drawn = await chartSeries(page, "explorer-chart");
    expect(drawn.every((s) => s.points === dates.length)).toBe(true);
    await expect(page.getByTestId("explorer-summary").locator("tbody tr").count()).resolves.toBe(50);
    // The slider still answers with 100 series on the chart.
    await page.getByTestId("explorer-window").focus();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => (await chartSeries(page, "explorer-chart"))[1].name).toBe("Category 01 6-day mean");
  });

  it("overlays several categories with one summary row each", async () => {
    const page = await open("explorer");
    await waitForChart(page, "explorer-chart");
    await page.getByTestId("explorer-categories").getByLabel("Clothing").check();
    await expect
      .poll(async () => (await chartSeries(page, "explorer-chart")).map((s) => s.name))
      .toEqual(["Beauty", "Beauty 7-day mean", "Clothing", "Clothing 7-day mean"]);
    await expect(page.getByTestId("explorer-summary").locator("tbody tr").count()).resolves.toBe(2);
    await expect.poll(() => page.url()).toContain("categories=Beauty%2CClothing");
  });
});

describe("Predict", () => {
  it("predicts from the prefilled window the same number as the API", async () => {
    const latest = await api<{ values: number[]; dates: string[] }>("series/Beauty/latest");
    const direct = await api<{ predicted_sales: number }>("predict/Beauty", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ series: latest.values }),
    });

    const page = await open("predict?category=Beauty");
    await expect.poll(() => page.getByTestId("predict-window").locator("tbody tr").count()).toBe(14);
    // T-14 … T-1 with their dates, prefilled with the latest data.
    await expect(page.getByTestId("cell-0").inputValue()).resolves.toBe(String(latest.values[0]));
    await expect(page.getByTestId("predict-window").textContent()).resolves.toContain(usDate(latest.dates[13]));

    await page.getByTestId("predict-submit").click();
    const shown = page.getByTestId("predicted-sales");
    await shown.waitFor();
    expect(Number(await shown.getAttribute("data-value"))).toBe(direct.predicted_sales);
    // The model's version and its validation metrics beside the seasonal-naive baseline.
    await expect(page.getByTestId("model-version").textContent()).resolves.toBe("1");
    const metrics = await page.getByTestId("model-metrics").textContent();
    expect(metrics).toContain("Seasonal naive");
    expect(metrics).toContain("MASE");
    // The chart was drawn before the answer (the input window), takes the forecast in an effect
    // after the next paint, and its history from a request of its own: polled until all are in.
    await waitForChart(page, "predict-chart");
    await expect
      .poll(async () => (await chartSeries(page, "predict-chart")).map((s) => [s.name, s.points]))
      .toEqual([
        ["History", expect.any(Number)],
        ["Input window", 14],
        ["Forecast", 2], // the last input joined to the forecast
      ]);
  });

  it("forecasts several periods ahead, like the API", async () => {
    const latest = await api<{ values: number[] }>("series/Beauty/latest");
    const direct = await api<{ forecast: number[] }>("predict/Beauty", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ series: latest.values, horizon: 14 }),
    });
    const page = await open("predict?category=Beauty");
    await page.getByTestId("predict-horizon").fill("14");
    await page.getByTestId("predict-submit").click();
    await page.getByTestId("predicted-sales").waitFor();
    await expect.poll(async () => (await chartSeries(page, "predict-chart"))[2]?.points).toBe(15);
    const forecast = await chartSeries(page, "predict-chart");
    expect(forecast[2].last?.[1]).toBe(direct.forecast[13]);
    await expect(page.getByTestId("forecast-table").locator("tbody tr").count()).resolves.toBe(14);

    // Out-of-range horizons are refused before sending.
    await page.getByTestId("predict-horizon").fill("366");
    await expect(page.getByTestId("predict-problems").textContent()).resolves.toContain("from 1 to 365");
    expect(await page.getByTestId("predict-submit").isDisabled()).toBe(true);
    await page.getByTestId("predict-horizon").fill("14");
    await screenshot(page, "predict");
  });

  it("shades the prediction intervals the API gives when a level is chosen", async () => {
    const latest = await api<{ values: number[] }>("series/Beauty/latest");
    const direct = await api<{ forecast: number[]; intervals: Array<{ level: number; lower: number[]; upper: number[] }> }>("predict/Beauty", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ series: latest.values, horizon: 3, level: [80, 95] }),
    });
    const page = await open("predict?category=Beauty");
    await page.getByTestId("predict-horizon").fill("3");
    await page.getByTestId("predict-level").selectOption("both");
    await page.getByTestId("predict-submit").click();
    await page.getByTestId("predicted-sales").waitFor();
    const shown80 = page.getByTestId("predict-interval-80");
    expect(Number(await shown80.getAttribute("data-lower"))).toBe(direct.intervals[0].lower[0]);
    expect(Number(await shown80.getAttribute("data-upper"))).toBe(direct.intervals[0].upper[0]);

    // Each band is two stacked series of one name: the lower bound, then the width on top.
    await expect
      .poll(async () => (await chartSeries(page, "predict-chart")).map((s) => s.name))
      .toEqual(["History", "Input window", "Forecast", "95% interval", "95% interval", "80% interval", "80% interval"]);
    const drawn = await chartSeries(page, "predict-chart");
    const [, , forecast, lower95, width95, lower80, width80] = drawn;
    expect(lower80.points).toBe(4); // the last input (zero width), then 3 steps
    expect(lower80.first?.[1]).toBe(forecast.first?.[1]);
    expect(lower80.last?.[1]).toBe(direct.intervals[0].lower[2]);
    expect(width80.last?.[1]).toBeCloseTo(direct.intervals[0].upper[2] - direct.intervals[0].lower[2], 6);
    expect(lower95.last?.[1]).toBe(direct.intervals[1].lower[2]);
    expect(width95.last![1]).toBeGreaterThan(width80.last![1]);
    await screenshot(page, "predict-intervals", "predict-chart");

    // Back to "None": no bands.
    await page.getByTestId("predict-level").selectOption("none");
    await page.getByTestId("predict-submit").click();
    await expect.poll(async () => (await chartSeries(page, "predict-chart")).map((s) => s.name)).toEqual(["History", "Input window", "Forecast"]);
  });

  it("flags wrong cells and sends nothing until they are fixed", async () => {
    const page = await open("predict?category=Beauty");
    const sent: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/predict")) sent.push(request.postData() ?? "");
    });
    const cell3 = page.getByTestId("cell-3");
    await cell3.waitFor();

    await cell3.fill("12abc");
    await expect(cell3.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.getByTestId("cell-problem-3").textContent()).resolves.toContain("not a number");
    await page.getByTestId("cell-5").fill("");
    await expect(page.getByTestId("cell-problem-5").textContent()).resolves.toContain("empty");
    await expect(page.getByTestId("predict-problems").textContent()).resolves.toContain("T-11, T-9");
    expect(await page.getByTestId("predict-submit").isDisabled()).toBe(true);
    // Enter in a cell submits the form: still nothing may be sent.
    await cell3.press("Enter");

    await cell3.fill("1,250.5");
    await page.getByTestId("cell-5").fill("300");
    await expect(cell3.getAttribute("aria-invalid")).resolves.toBeNull();
    expect(sent).toEqual([]);

    await page.getByTestId("cell-5").press("Enter");
    await page.getByTestId("predicted-sales").waitFor();
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]) as { series: number[] };
    expect(body.series[3]).toBe(1250.5);
    expect(body.series[5]).toBe(300);
  });

  it("shows the API's error message, not a blank page", async () => {
    const page = await open("predict?category=Beauty");
    await page.route("**/api/predict/**", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: "model_unavailable", message: "the model of Beauty is being replaced; retry in a second" }),
      }),
    );
    await page.getByTestId("predict-submit").click();
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("the model of Beauty is being replaced; retry in a second");
    await expect(page.getByTestId("predict-window").isVisible()).resolves.toBe(true);
  });

  it("says how to train a model when there is none", async () => {
    const page = await open("explorer");
    await page.route("**/api/models", (route) => route.fulfill({ status: 200, contentType: "application/json", body: '{"models":[]}' }));
    await page.getByTestId("nav-predict").click();
    await expect(page.getByTestId("empty").textContent()).resolves.toContain("npx salescast train");
  });

  it("fits a phone screen", async () => {
    const page = await open("predict?category=Beauty", PHONE);
    await page.getByTestId("cell-0").waitFor();
    await page.getByTestId("predict-submit").click();
    await page.getByTestId("predicted-sales").waitFor();
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "predict-phone", "predict-result");
  });
});

/** A training job as GET /api/jobs/{id} answers, for pages whose job is played by the test. */
function fakeJob(epoch: number, clothingDone: boolean) {
  const losses = (e: number) => (e === 0 ? { train_loss: null, val_loss: null } : { train_loss: 1 / e, val_loss: 1.5 / e });
  return {
    id: "job-e2e-live",
    kind: "train",
    state: "running",
    categories: ["Beauty", "Clothing"],
    experiment_name: "sales-forecast",
    overrides: { train: { max_epochs: 9 } },
    created_at: "2024-01-01T00:00:00Z",
    started_at: "2024-01-01T00:00:00Z",
    finished_at: null,
    error: null,
    progress: [
      { category: "Beauty", state: "training", epoch, max_epochs: 9, batch: 2, batches: 4, loss: 0.5, ...losses(epoch) },
      {
        category: "Clothing",
        state: clothingDone ? "done" : "training",
        epoch: 2,
        max_epochs: 9,
        batch: 4,
        batches: 4,
        loss: 0.4,
        train_loss: 0.4,
        val_loss: 0.5,
      },
    ],
    results: clothingDone
      ? [
          {
            category: "Clothing",
            status: "ok",
            reason: null,
            version: 3,
            run_id: null,
            epochs: 2,
            best_epoch: 2,
            seconds: 1.5,
            metrics: { rmse: 10, mae: 8, smape: 12, mase: 0.9 },
            baselines: null,
            test_metrics: null,
          },
        ]
      : [],
  };
}

describe("Train", () => {
  it("draws the live loss curve epoch by epoch, and shows a finished category's result while the others train", async () => {
    // The server side of a running job is played here: one epoch more at each look.
    let looks = 0;
    const page = await open("train?job=job-e2e-live", DESKTOP, async (p) => {
      await p.route("**/api/jobs/job-e2e-live/events", (route) =>
        // The stream ends after its snapshot: the page falls back to polling GET /api/jobs/{id}.
        route.fulfill({ status: 200, contentType: "text/event-stream", body: `event: snapshot\ndata: ${JSON.stringify(fakeJob(0, false))}\n\n` }),
      );
      await p.route("**/api/jobs/job-e2e-live", (route) => {
        looks += 1;
        return route.fulfill({ json: fakeJob(Math.min(looks, 5), looks >= 2) });
      });
    });
    const beauty = page.getByTestId("train-card-Beauty");
    await beauty.waitFor();
    // Each epoch adds a point: the chart does not stay at epoch 1 (issue 15).
    for (const epochs of [2, 3, 5]) {
      await expect
        .poll(async () => (await chartSeries(page, "train-live-loss-Beauty").catch(() => [])).find((s) => s.name === "train loss")?.points, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(epochs);
    }
    const drawn = await chartSeries(page, "train-live-loss-Beauty");
    expect(drawn.find((s) => s.name === "train loss")).toMatchObject({ points: 5, first: [1, 1], last: [5, 0.2] });
    // Clothing finished: its result is on its card while the job still runs.
    await expect(page.getByTestId("train-job").getAttribute("data-state")).resolves.toBe("running");
    await expect(page.getByTestId("train-card-Clothing").getAttribute("data-status")).resolves.toBe("ok");
    await expect(page.getByTestId("train-version-Clothing").textContent()).resolves.toBe("3");
    await expect(beauty.getAttribute("data-status")).resolves.toBe("training");
    await expect(page.getByTestId("train-job").textContent()).resolves.toContain("1 trained");
    await expect(page.getByTestId("train-job-overrides").textContent()).resolves.toContain("9 epochs");
  });

  it("shows the API's refusal of a setting next to that setting, and starts nothing", async () => {
    const page = await open("train");
    const sent: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/train")) sent.push(request.postData() ?? "");
    });
    const windowBox = page.getByTestId("train-window");
    await expect(windowBox.inputValue()).resolves.toBe("14"); // the server's data.window_size
    await windowBox.fill("2");
    await page.getByTestId("train-start").click();
    const error = page.getByTestId("train-error-window");
    await expect(error.textContent()).resolves.toBe("overrides.data.window_size: must be at least 3 (the convolution needs 3 periods); found 2");
    await expect(windowBox.getAttribute("aria-invalid")).resolves.toBe("true");
    expect(JSON.parse(sent[0]).overrides).toEqual({ data: { window_size: 2 } });
    expect(await page.getByTestId("train-job").count()).toBe(0);

    // The server's own limit on epochs, also next to its box; text is refused before sending.
    await windowBox.fill("14");
    await expect(error.count()).resolves.toBe(0);
    await page.getByTestId("train-epochs").fill("5000");
    await page.getByTestId("train-start").click();
    await expect(page.getByTestId("train-error-epochs").textContent()).resolves.toContain("must be <= 1000");
    await page.getByTestId("train-epochs").fill("");
    await expect(page.getByTestId("train-error-epochs").textContent()).resolves.toBe("type a whole number");
    expect(await page.getByTestId("train-start").isDisabled()).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it("trains one category end to end with the settings chosen, and shows its result", async () => {
    const page = await open("train");
    const picker = page.getByTestId("train-categories");
    await picker.getByRole("button", { name: "None" }).click();
    await picker.getByLabel("Clothing").check();
    await page.getByTestId("train-experiment").fill("e2e-dashboard");
    await page.getByTestId("train-epochs").fill("3");
    await page.getByTestId("train-seed").fill("7");
    await page.getByTestId("train-day-of-week").check();
    await page.getByTestId("train-start").click();

    const job = page.getByTestId("train-job");
    await job.waitFor();
    await expect(page.getByTestId("train-job-overrides").textContent()).resolves.toBe(" · 3 epochs · seed 7 · day of week on");
    await expect.poll(() => job.getAttribute("data-state"), { timeout: 90_000 }).toBe("succeeded");
    const card = page.getByTestId("train-card-Clothing");
    await expect(card.getAttribute("data-status")).resolves.toBe("ok");
    await expect(page.getByTestId("train-version-Clothing").textContent()).resolves.toBe("1");
    await expect(card.textContent()).resolves.toMatch(/best epoch \d of 3/);
    await expect(page.getByTestId("train-metrics-Clothing").textContent()).resolves.toContain("Seasonal naive");
    await card.locator(".eval-plot img").waitFor();
    // The image really loaded (an artifact route failure would leave it broken).
    await expect.poll(() => card.locator(".eval-plot img").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, "train", "train-job");

    // Served at once, without a restart, and trained as asked: day-of-week channels.
    const models = await api<{ models: Array<{ category: string; inputs: { features: { day_of_week: boolean } } }> }>("models");
    expect(models.models.find((m) => m.category === "Clothing")?.inputs.features.day_of_week).toBe(true);
  });

  it("shows a refused start as a readable message", async () => {
    const page = await open("train");
    await page.route("**/api/train", (route) =>
      route.fulfill({
        status: 409,
        contentType: "application/json",
        body: JSON.stringify({ error: "training_in_progress", message: 'category "Beauty" is already being trained by job 42' }),
      }),
    );
    await page.getByTestId("train-start").click();
    // It names a category: shown beside the category picker.
    await expect(page.getByTestId("train-error-categories").textContent()).resolves.toBe('category "Beauty" is already being trained by job 42');
    await expect(page.getByRole("alert").textContent()).resolves.toContain('category "Beauty" is already being trained by job 42');
  });
});

describe("Runs", () => {
  it("compares two runs side by side", async () => {
    const page = await open("runs");
    const rows = page.getByTestId("run-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(2);

    await page.getByTestId("runs-category").selectOption("Beauty");
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId("runs-category").selectOption("");

    const beauty = suite.project().pretrained.find((r) => r.category === "Beauty")!.runId!;
    const electronics = suite.project().pretrained.find((r) => r.category === "Electronics")!.runId!;
    await page.getByTestId(`run-check-${beauty}`).check();
    await page.getByTestId(`run-check-${electronics}`).check();

    const compare = page.getByTestId("runs-compare");
    await compare.waitFor();
    const headers = await compare.getByTestId("compare-metrics").locator("thead th").allTextContents();
    expect(headers).toHaveLength(3); // the key column and one per run
    // Whole numbers read as whole numbers: best_epoch 2, not 2.000.
    const bestEpoch = await compare
      .getByTestId("compare-metrics")
      .locator("tr", { has: page.locator("th", { hasText: /^best_epoch$/ }) })
      .locator("td")
      .allTextContents();
    expect(bestEpoch).toHaveLength(2);
    for (const cell of bestEpoch) expect(cell).toMatch(/^[12]$/);
    await expect(page.getByTestId("run-window").first().textContent()).resolves.toBe("14 days");
    const params = await compare.getByTestId("compare-params").textContent();
    expect(params).toContain("data.item_id"); // differs between the two runs
    // The loss histories are fetched, then the chart is made after the next paint: wait for it
    // to draw (the box can be there a moment before its chart is). Train and validation loss of
    // each run, two epochs each.
    await waitForChart(page, "compare-loss");
    await expect.poll(async () => (await chartSeries(page, "compare-loss")).map((s) => s.points)).toEqual([2, 2, 2, 2]);
    await screenshot(page, "runs");
  });
});

describe("Phone layout", () => {
  it("keeps the explorer within a 390 px screen", async () => {
    const page = await open("explorer", PHONE);
    await waitForChart(page, "explorer-chart");
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "explorer-phone");
  });
});
