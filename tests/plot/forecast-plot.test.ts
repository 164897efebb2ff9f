import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ForecastPlotInput, plotFont, renderForecastSvg, svgToPng, writeForecastPlot } from "../../src/training/plot.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always follows the signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.slice(12, 16))).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function sample(n = 21): ForecastPlotInput {
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, 10, 1) + i * 864e5).toISOString().slice(0, 10));
  const actual = dates.map((_, i) => 100 + 50 * Math.sin(i));
  return {
    title: "Beauty validation",
    subtitle: "CNN+LSTM, window 14",
    metrics: { MAE: 12.345, RMSE: 20.5 },
    dates,
    actual,
    predicted: actual.map((v) => v * 0.9 + 5),
    baseline: { name: "Seasonal naive", values: actual.map((_, i) => (i < 7 ? NaN : actual[i - 7])) },
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("renderForecastSvg", () => {
  it("draws the title, metrics and every series name", () => {
    const svg = renderForecastSvg(sample());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('width="1000"');
    for (const text of ["Beauty validation", "CNN+LSTM, window 14", "MAE 12.35", "RMSE 20.5", "Actual", "Predicted", "Seasonal naive"]) {
      expect(svg).toContain(text);
    }
  });

  it("labels the x axis with dates, not hours", () => {
    const svg = renderForecastSvg(sample());
    expect(svg).toMatch(/Nov \d+/);
    expect(svg).not.toMatch(/\d\d:00/);
  });

  it("leaves the baseline out when none is given", () => {
    const { baseline: _, ...withoutBaseline } = sample();
    const svg = renderForecastSvg(withoutBaseline);
    expect(svg).toContain("Predicted");
    expect(svg).not.toContain("Seasonal naive");
  });

  it("refuses mismatched lengths and bad values with clear errors", () => {
    const good = sample();
    expect(() => renderForecastSvg({ ...good, predicted: good.predicted.slice(1) })).toThrow(
      /predicted has 20 values but dates has 21; give exactly one value per date/,
    );
    expect(() => renderForecastSvg({ ...good, actual: [...good.actual, 1] })).toThrow(/actual has 22 values but dates has 21/);
    expect(() => renderForecastSvg({ ...good, baseline: { name: "Naive", values: [1, 2] } })).toThrow(/baseline "Naive" has 2 values/);
    expect(() => renderForecastSvg({ ...good, actual: good.actual.map((v, i) => (i === 3 ? Infinity : v)) })).toThrow(/actual\[3\] = Infinity/);
    expect(() => renderForecastSvg({ ...good, dates: good.dates.map((d, i) => (i === 2 ? "yesterday" : d)) })).toThrow(
      /dates\[2\] = "yesterday" is not a date/,
    );
    expect(() => renderForecastSvg({ ...good, dates: [], actual: [], predicted: [], baseline: undefined })).toThrow(/at least one date/);
    expect(() => renderForecastSvg({ ...good, title: " " })).toThrow(/non-empty title/);
    expect(() => renderForecastSvg({ ...good, width: 10 })).toThrow(/width must be an integer from 200 to 4000/);
  });
});

describe("svgToPng", () => {
  it("gives a PNG of the requested size", () => {
    const png = svgToPng(renderForecastSvg({ ...sample(), width: 640, height: 320 }));
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 640, height: 320 });
  });

  it("still renders without any font", () => {
    const png = svgToPng(renderForecastSvg(sample()), { loadSystemFonts: false, fontFiles: [] });
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1000, height: 450 });
  });

  // Skipped on machines with none of the known sans fonts (DejaVu, Liberation, Noto, Arial): nothing to compare.
  it.skipIf(plotFont().files.length === 0)("draws text with the detected font", () => {
    const svg = renderForecastSvg(sample());
    const withFont = svgToPng(svg);
    const withoutFont = svgToPng(svg, { loadSystemFonts: false, fontFiles: [] });
    expect(Buffer.from(withFont).equals(Buffer.from(withoutFont))).toBe(false); // glyphs were drawn
    expect(plotFont().family).not.toBe("system");
  });
});

describe("writeForecastPlot", () => {
  it("writes <base>.svg and <base>.png, creating the folder, with no temporary files left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "salescast-plot-"));
    dirs.push(dir);
    const out = await writeForecastPlot(sample(), join(dir, "plots", "eval_plot_beauty"));
    expect(out).toEqual({ svg: join(dir, "plots", "eval_plot_beauty.svg"), png: join(dir, "plots", "eval_plot_beauty.png") });
    expect(await readFile(out.svg, "utf8")).toContain("Beauty validation");
    expect([...(await readFile(out.png)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect((await readdir(join(dir, "plots"))).sort()).toEqual(["eval_plot_beauty.png", "eval_plot_beauty.svg"]);
  });
});
