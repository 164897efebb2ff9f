// Live forecast quality on the dashboard (issue 18): the Predict page's model panel says when no
// served forecast has been scored yet, and once actual values arrive for dated forecasts it
// shows their live MASE beside the served version's validation (backtest) MASE, the ratio the
// alert watches, and the intervals' coverage, the same figures GET /api/monitoring answers.
import { describe, expect, it } from "vitest";
import { documentWidth, PHONE, screenshot } from "./support/browser.js";
import { dashboardSuite } from "./support/suite.js";

const suite = dashboardSuite({ pretrain: ["Beauty"] });
const { open, api } = suite;

const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const nextDay = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("Live against backtest", () => {
  it("says nothing is scored yet, then shows live and backtest MASE once actuals arrive", async () => {
    let page = await open("predict?category=Beauty");
    await expect.poll(() => page.getByTestId("live-none").textContent()).toContain("No served forecast has been scored yet");

    // A client asks for a dated forecast, later posts what really sold.
    const latest = await api<{ values: number[]; dates: string[] }>("series/Beauty/latest");
    const lastDate = latest.dates[latest.dates.length - 1];
    const served = await api<{ forecast: number[] }>("predict/Beauty", post({ series: latest.values, horizon: 3, level: [80], last_date: lastDate }));
    const actuals = [served.forecast[0] * 1.3 + 50, served.forecast[1] * 0.6].map((value, k) => ({ date: nextDay(lastDate, k + 1), value }));
    const scored = await api<{ scored: number }>("actuals/Beauty", post({ actuals }));
    expect(scored.scored).toBe(2);
    const monitoring = await api<{ live: { mase: number; validation_mase: number; coverage: Array<{ level: number }> }; waiting: number }>("monitoring/Beauty");
    expect(monitoring.waiting).toBe(1);

    page = await open("predict?category=Beauty");
    const liveMase = page.getByTestId("live-mase");
    await liveMase.waitFor();
    expect(Number(await liveMase.getAttribute("data-value"))).toBe(monitoring.live.mase);
    expect(Number(await page.getByTestId("backtest-mase").getAttribute("data-value"))).toBe(monitoring.live.validation_mase);
    const ratio = monitoring.live.mase / monitoring.live.validation_mase;
    await expect(page.getByTestId("live-ratio").textContent()).resolves.toContain(`${ratio.toFixed(2)}×`);
    await expect(page.getByTestId("live-quality").textContent()).resolves.toContain("Over the last 2 scored forecasts; 1 waiting for actual values");
    await expect(page.getByTestId("live-coverage").textContent()).resolves.toMatch(/80% intervals held \d+% of 2 actual values/);
    await screenshot(page, "predict-live-quality", "live-quality");

    // The table fits a phone screen.
    const phone = await open("predict?category=Beauty", PHONE);
    await phone.getByTestId("live-mase").waitFor();
    expect(await documentWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, "predict-live-quality-phone", "live-quality");
  });
});
