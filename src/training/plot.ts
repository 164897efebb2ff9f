// The evaluation plot: actual vs predicted (vs a seasonal-naive baseline) over the validation
// dates, drawn by Apache ECharts on the server (the dashboard's chart library) as SVG, and
// rasterised to PNG by resvg for viewers that want an image.
//
// Fonts: resvg draws no text without a font file. A common sans font (DejaVu, Liberation, Noto)
// is looked up once in the usual font folders and handed to resvg; failing that resvg loads the
// system fonts and picks the first. With no font at all the PNG still renders (lines, no text):
// install one in images that need labels (Debian: apt-get install fonts-dejavu-core).
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import * as echarts from "echarts";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-file.js";

export interface ForecastPlotInput {
  title: string;
  subtitle?: string;
  /** Appended to the subtitle: { "MAE": 12.3, "seasonal naive MAE": 15.1 } -> "MAE 12.3 · seasonal naive MAE 15.1". */
  metrics?: Record<string, number>;
  dates: string[]; // YYYY-MM-DD (or full ISO), one per value
  actual: number[]; // NaN = no value (a gap in the line)
  predicted: number[];
  baseline?: { name: string; values: number[] }; // e.g. seasonal naive
  yAxisName?: string;
  /** Period of the dates: D (default) or W; weekly plots never label single days between weeks. */
  frequency?: "D" | "W";
  width?: number; // pixels, default 1000
  height?: number; // pixels, default 450
}

export interface PngFontOptions {
  /** Font files to use instead of the detected one; [] with loadSystemFonts false = no fonts at all. */
  fontFiles?: string[];
  loadSystemFonts?: boolean;
}

const DEFAULT_WIDTH = 1000;
const DEFAULT_HEIGHT = 450;
const MIN_SIZE = 200;
const MAX_SIZE = 4000;
const DAY_MS = 24 * 3600 * 1000;

const COLORS = { actual: "#343a40", predicted: "#e8590c", baseline: "#1c7ed6" };

export function renderForecastSvg(input: ForecastPlotInput): string {
  const { width, height } = checkInput(input);
  const many = input.dates.length > 60; // markers on every point would hide the lines
  const line = (name: string, values: number[], color: string, dashed = false) => ({
    name,
    type: "line" as const,
    data: input.dates.map((d, i) => [d, Number.isNaN(values[i]) ? "-" : values[i]]),
    showSymbol: !many,
    symbolSize: 4,
    connectNulls: false,
    lineStyle: { width: dashed ? 1.5 : 2, color, type: dashed ? ("dashed" as const) : ("solid" as const) },
    itemStyle: { color },
  });
  const series = [line("Actual", input.actual, COLORS.actual), line("Predicted", input.predicted, COLORS.predicted)];
  if (input.baseline) series.push(line(input.baseline.name, input.baseline.values, COLORS.baseline, true));

  const subtext = subtitle(input);
  const subtitleLines = subtext === "" ? 0 : subtext.split("\n").length;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      textStyle: { fontFamily: "sans-serif" },
      title: {
        text: input.title,
        subtext,
        left: 16,
        top: 10,
        itemGap: 6,
        textStyle: { fontSize: 16 },
        subtextStyle: { fontSize: 12, lineHeight: 16, color: "#495057" },
      },
      legend: { top: 14, right: 16, data: series.map((s) => s.name) },
      // Room for the title block above the plot, and for the rotated y-axis name on the left.
      grid: { left: input.yAxisName ? 48 : 24, right: 44, top: 52 + 16 * subtitleLines, bottom: 24, containLabel: true },
      xAxis: {
        type: "time",
        minInterval: input.frequency === "W" ? 7 * DAY_MS : DAY_MS, // never label hours (or days between weeks)
        axisLabel: { hideOverlap: true, formatter: { year: "{yyyy}", month: "{MMM}", day: "{MMM} {d}" } },
      },
      yAxis: {
        type: "value",
        scale: true,
        name: input.yAxisName,
        nameLocation: "middle",
        nameRotate: 90,
        nameGap: 56,
        splitLine: { lineStyle: { color: "#e9ecef" } },
      },
      series,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function svgToPng(svg: string, fonts?: PngFontOptions): Uint8Array {
  const resvg = new Resvg(svg, { font: fontOptions(fonts), background: "#ffffff", fitTo: { mode: "original" }, logLevel: "off" });
  return new Uint8Array(resvg.render().asPng());
}

export async function writeForecastPlot(input: ForecastPlotInput, outBase: string): Promise<{ svg: string; png: string }> {
  const svg = renderForecastSvg(input);
  const png = svgToPng(svg);
  const paths = { svg: `${outBase}.svg`, png: `${outBase}.png` };
  await writeFileAtomic(paths.svg, svg);
  await writeFileAtomic(paths.png, png);
  return paths;
}

function subtitle(input: ForecastPlotInput): string {
  const metrics = Object.entries(input.metrics ?? {}).map(([name, value]) => `${name} ${formatNumber(value)}`);
  return [input.subtitle, metrics.join(" · ")].filter((s) => s).join("\n");
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (abs >= 1) return value.toFixed(2).replace(/\.?0+$/, "");
  return value.toPrecision(3);
}

function checkInput(input: ForecastPlotInput): { width: number; height: number } {
  if (typeof input?.title !== "string" || input.title.trim() === "") throw new Error("forecast plot needs a non-empty title");
  const { dates } = input;
  if (!Array.isArray(dates) || dates.length === 0) throw new Error("forecast plot needs at least one date in dates");
  dates.forEach((d, i) => {
    if (typeof d !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(d) || Number.isNaN(Date.parse(d))) {
      throw new Error(`forecast plot: dates[${i}] = ${JSON.stringify(d)} is not a date; use YYYY-MM-DD`);
    }
  });
  checkValues("actual", input.actual, dates.length);
  checkValues("predicted", input.predicted, dates.length);
  if (input.baseline !== undefined) {
    if (typeof input.baseline.name !== "string" || input.baseline.name.trim() === "")
      throw new Error("forecast plot: baseline.name must be a non-empty string");
    checkValues(`baseline "${input.baseline.name}"`, input.baseline.values, dates.length);
  }
  return { width: checkSize("width", input.width ?? DEFAULT_WIDTH), height: checkSize("height", input.height ?? DEFAULT_HEIGHT) };
}

function checkValues(name: string, values: unknown, expected: number): void {
  if (!Array.isArray(values)) throw new Error(`forecast plot: ${name} must be an array of numbers`);
  if (values.length !== expected) {
    throw new Error(`forecast plot: ${name} has ${values.length} values but dates has ${expected}; give exactly one value per date`);
  }
  values.forEach((v, i) => {
    if (typeof v !== "number" || v === Infinity || v === -Infinity) {
      throw new Error(`forecast plot: ${name}[${i}] = ${String(v)} is not a finite number (use NaN for a missing value)`);
    }
  });
}

function checkSize(name: string, value: number): number {
  if (!Number.isInteger(value) || value < MIN_SIZE || value > MAX_SIZE) {
    throw new Error(`forecast plot: ${name} must be an integer from ${MIN_SIZE} to ${MAX_SIZE} pixels, got ${String(value)}`);
  }
  return value;
}

// --- fonts -------------------------------------------------------------------------------

const PREFERRED_FONTS: Array<{ family: string; regular: string; bold: string }> = [
  { family: "DejaVu Sans", regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" },
  { family: "Liberation Sans", regular: "LiberationSans-Regular.ttf", bold: "LiberationSans-Bold.ttf" },
  { family: "Noto Sans", regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf" },
  { family: "Arial", regular: "Arial.ttf", bold: "Arial_Bold.ttf" },
];
const FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", join(homedir(), ".fonts"), join(homedir(), ".local/share/fonts")];

let detected: ResvgRenderOptions["font"] | undefined;

/** Which font PNGs are drawn with: a known family, "system" (resvg's first system font, if any). For logs and tests. */
export function plotFont(): { family: string; files: string[] } {
  const font = fontOptions();
  return { family: font?.defaultFontFamily ?? "system", files: font?.fontFiles ?? [] };
}

function fontOptions(fonts?: PngFontOptions): ResvgRenderOptions["font"] {
  if (fonts) return { loadSystemFonts: fonts.loadSystemFonts ?? false, fontFiles: fonts.fontFiles ?? [] };
  return (detected ??= detectFont());
}

/** One known sans font loaded directly (fast, same look everywhere); else every system font. */
function detectFont(): ResvgRenderOptions["font"] {
  const files = new Map<string, string>();
  for (const dir of FONT_DIRS) collectFontFiles(dir, files, 0);
  for (const font of PREFERRED_FONTS) {
    const regular = files.get(font.regular);
    if (!regular) continue;
    const bold = files.get(font.bold);
    return {
      loadSystemFonts: false,
      fontFiles: bold ? [regular, bold] : [regular],
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    };
  }
  return { loadSystemFonts: true };
}

function collectFontFiles(dir: string, into: Map<string, string>, depth: number): void {
  if (depth > 4 || !existsSync(dir)) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder just has no fonts for us
  }
  for (const entry of entries) {
    if (entry.isDirectory()) collectFontFiles(join(dir, entry.name), into, depth + 1);
    else if (!into.has(entry.name)) into.set(entry.name, join(dir, entry.name));
  }
}
