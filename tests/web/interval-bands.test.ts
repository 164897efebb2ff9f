// The predict chart's interval bands (web/src/charts/options.ts), checked on the option object:
// two stacked series per band (lower bound, then the width filled on top), "all" stacking so
// negative lower bounds still stack, and a tooltip that shows "lower – upper".
import { describe, expect, it } from "vitest";
import { timeChartOption } from "../../web/src/charts/options.js";

const dates = ["2024-03-01", "2024-03-02", "2024-03-03"];
const option = timeChartOption({
  lines: [{ name: "Forecast", dates, values: [10, 12, 11] }],
  bands: [{ name: "80% interval", dates, lower: [10, -2, 5], upper: [10, 20, 17], color: "#dc2626" }],
  zoom: false,
});
type Series = { name: string; stack?: string; stackStrategy?: string; encode: { y: string }; areaStyle?: unknown; lineStyle?: { opacity?: number } };
const series = option.series as Series[];
const source = (option.dataset as { source: Record<string, number[]> }).source;

describe("timeChartOption bands", () => {
  it("adds two stacked series of the band's name after the lines", () => {
    expect(series.map((s) => s.name)).toEqual(["Forecast", "80% interval", "80% interval"]);
    expect(series[1].stack).toBe(series[2].stack);
    expect(series[1].stackStrategy).toBe("all");
    expect(series[1].areaStyle).toBeUndefined();
    expect(series[2].areaStyle).toBeDefined();
    expect(series[1].lineStyle?.opacity).toBe(0);
  });

  it("stores the lower bound and the width (upper - lower) as columns", () => {
    expect(Array.from(source[series[1].encode.y])).toEqual([10, -2, 5]);
    expect(Array.from(source[series[2].encode.y])).toEqual([0, 22, 12]);
  });

  it("lists the band once in the tooltip as lower – upper", () => {
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    const row = [Date.parse("2024-03-02T00:00:00Z"), 12, -2, 22];
    const params = series.map((s, i) => ({ seriesName: s.name, marker: "", value: row, encode: { y: [i + 1] }, axisValueLabel: "2024-03-02" }));
    const html = formatter(params);
    expect(html).toContain("Forecast: <b>12.00</b>");
    expect(html.match(/80% interval/g)).toHaveLength(1);
    expect(html).toContain("80% interval: <b>-2.00 – 20.00</b>");
  });

  it("leaves charts without bands as they were", () => {
    const plain = timeChartOption({ lines: [{ name: "Forecast", dates, values: [1, 2, 3] }] });
    expect((plain.series as Series[]).map((s) => s.name)).toEqual(["Forecast"]);
  });
});
