// ECharts options for the dashboard's line charts. Built as plain objects from plain arrays,
// so a page only decides what to plot.
//
// Time charts hand ECharts one columnar dataset (a time column and one column per line)
// instead of [date, value] pairs per series: ECharts then ingests the data once, which is
// what keeps 100 lines of five years of daily data (50 categories and their rolling means)
// redrawing in about a tenth of a second when a control moves (pairs took ~0.5 s). Symbols
// are off for long lines, LTTB sampling draws about one point per pixel.
import { format, formatSales } from "../lib/format.js";
import type { ChartOption } from "./echarts.js";

/** One line of a time chart: values at dates (same length); null leaves a gap. */
export interface TimeLine {
  name: string;
  dates: readonly string[];
  values: ArrayLike<number | null>;
  color?: string;
  dashed?: boolean;
  width?: number;
  opacity?: number;
  /** Not drawn until its legend entry is clicked. */
  hidden?: boolean;
}

/**
 * A shaded band between two curves (a prediction interval). Drawn as two stacked series of
 * the same name: the lower bound (invisible) and the width on top of it (filled), so one legend
 * entry toggles the band; the tooltip shows "lower – upper".
 */
export interface TimeBand {
  name: string;
  dates: readonly string[];
  lower: ArrayLike<number | null>;
  upper: ArrayLike<number | null>;
  color: string;
  /** Fill opacity; default 0.2. */
  opacity?: number;
}

/** One line of an x/y chart (loss by epoch). */
export interface LineSpec {
  name: string;
  points: Array<[number, number | null]>;
  color?: string;
  dashed?: boolean;
  width?: number;
}

interface TooltipParam {
  seriesName: string;
  marker: string;
  value: unknown;
  encode?: { y?: number[] };
  axisValue?: number | string;
  axisValueLabel?: string;
}

const MAX_TOOLTIP_ROWS = 12;
const DAY_MS = 86_400_000;
const TIME = "t";

/** Grid margins that keep axis labels inside the chart (ECharts 6's replacement for containLabel). */
const CONTAIN_LABELS = { outerBoundsMode: "same", outerBoundsContain: "axisLabel" } as const;

/**
 * Time axis labels in the page's locale (ECharts' own templates are English): the first of a
 * year names the year, the first of a month names month and year, other ticks month and day.
 */
export function timeAxisLabel(value: number, locale: string): string {
  const date = new Date(value);
  const options: Intl.DateTimeFormatOptions =
    date.getUTCDate() !== 1 ? { month: "short", day: "numeric" } : date.getUTCMonth() === 0 ? { year: "numeric" } : { month: "short", year: "numeric" };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date);
}

/** Line drawing animations only for people who have not asked for less motion (and tests ask). */
function animate(): boolean {
  return !(typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches);
}

/** The y value of a tooltip entry: dataset rows carry every column, `encode.y` says which. */
function yOf(p: TooltipParam): number | null {
  const value = p.value;
  if (Array.isArray(value)) {
    const y = value[p.encode?.y?.[0] ?? 1];
    return typeof y === "number" && Number.isFinite(y) ? y : null;
  }
  return typeof value === "number" ? value : null;
}

/** Where a band's columns are in each dataset row: lower bound and width. */
type BandColumns = Map<string, { lower: number; width: number }>;

/** The "lower – upper" of a band at the hovered row; null where the band has no value. */
function bandRange(p: TooltipParam, columns: { lower: number; width: number }): [number, number] | null {
  if (!Array.isArray(p.value)) return null;
  const lower = p.value[columns.lower];
  const width = p.value[columns.width];
  return typeof lower === "number" && typeof width === "number" && Number.isFinite(lower + width) ? [lower, lower + width] : null;
}

/** Tooltip listing the lines at the hovered date, largest first, capped for many lines; bands after them. */
function tooltipFormatter(params: TooltipParam | TooltipParam[], bands: BandColumns = new Map()): string {
  const all = Array.isArray(params) ? params : [params];
  const list = all
    .filter((p) => !bands.has(p.seriesName))
    .map((p) => ({ p, y: yOf(p) }))
    .filter((e) => e.y !== null);
  const bandRows: string[] = [];
  const seen = new Set<string>();
  for (const p of all) {
    const columns = bands.get(p.seriesName);
    if (!columns || seen.has(p.seriesName)) continue;
    seen.add(p.seriesName);
    const range = bandRange(p, columns);
    if (range) bandRows.push(`${escapeHtml(p.seriesName)}: <b>${formatSales(range[0])} – ${formatSales(range[1])}</b>`);
  }
  if (list.length === 0 && bandRows.length === 0) return "";
  const first = list[0]?.p ?? all[0];
  // The hovered period's date in the page's locale (the dataset's time column is UTC midnight).
  const header = typeof first.axisValue === "number" ? format.date(new Date(first.axisValue).toISOString()) : (first.axisValueLabel ?? "");
  list.sort((a, b) => b.y! - a.y!);
  const rows = list.slice(0, MAX_TOOLTIP_ROWS).map(({ p, y }) => `${p.marker}${escapeHtml(p.seriesName)}: <b>${formatSales(y)}</b>`);
  if (list.length > MAX_TOOLTIP_ROWS) rows.push(`… ${list.length - MAX_TOOLTIP_ROWS} more`);
  return [escapeHtml(header), ...rows, ...bandRows].join("<br/>");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** All dates of the lines, sorted, and for each line its values placed on those rows. */
export function alignColumns(lines: readonly TimeLine[]): { dates: readonly string[]; columns: Array<ArrayLike<number | null>> } {
  // Usual case (the Explorer): every line has the same dates; use the values as they are.
  if (lines.length > 0 && lines.every((line) => sameDates(line.dates, lines[0].dates))) {
    return { dates: lines[0].dates, columns: lines.map((line) => line.values) };
  }
  const unique = new Set<string>();
  for (const line of lines) for (const date of line.dates) unique.add(date);
  const dates = [...unique].sort();
  const row = new Map(dates.map((date, i) => [date, i]));
  const columns = lines.map((line) => {
    const column = new Array<number | null>(dates.length).fill(null);
    for (let i = 0; i < line.dates.length; i++) column[row.get(line.dates[i])!] = line.values[i];
    return column;
  });
  return { dates, columns };
}

function sameDates(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface TimeChartOptions {
  lines: TimeLine[];
  /** Zoom controls (slider + mouse wheel / pinch). */
  zoom?: boolean;
  /** A vertical marker (e.g. where the forecast starts). */
  markDate?: { date: string; label: string };
  legend?: boolean;
  /** Shaded bands drawn under the lines (e.g. prediction intervals, widest first). */
  bands?: TimeBand[];
  /** Days between two points (7 for weekly data): the axis never ticks in between. */
  minStepDays?: number;
  /** Draw a dot per point on short lines (default); small charts turn it off, dots would hide the line. */
  symbols?: boolean;
}

/** A band as two columns: its lower bound and its width (upper - lower), null where either is missing. */
function bandColumns(band: TimeBand): [TimeLine, TimeLine] {
  const width = Array.from({ length: band.dates.length }, (_, i) => {
    const lower = band.lower[i];
    const upper = band.upper[i];
    return lower === null || upper === null ? null : upper - lower;
  });
  return [
    { name: band.name, dates: band.dates, values: band.lower },
    { name: band.name, dates: band.dates, values: width },
  ];
}

export function timeChartOption({ lines, zoom = true, markDate, legend = true, bands = [], minStepDays, symbols = true }: TimeChartOptions): ChartOption {
  const bandLines = bands.flatMap(bandColumns);
  const { dates, columns } = alignColumns([...lines, ...bandLines]);
  // Dimension 0 is the time column, so line/band column i is dimension i + 1.
  const bandDims: BandColumns = new Map(bands.map((band, k) => [band.name, { lower: lines.length + 2 * k + 1, width: lines.length + 2 * k + 2 }]));
  const source: Record<string, ArrayLike<number | null>> = { [TIME]: dates.map((d) => Date.parse(`${d}T00:00:00Z`)) };
  columns.forEach((column, i) => (source[`y${i}`] = column));
  const large = dates.length * lines.length > 20_000;
  return {
    animation: !large && animate(),
    animationDuration: 400,
    useUTC: true, // dates are calendar days, not instants: no time-zone shift on the axis
    dataset: { source, dimensions: [TIME, ...columns.map((_, i) => `y${i}`)] },
    grid: { left: 8, right: 16, top: legend ? 36 : 16, bottom: zoom ? 64 : 8, ...CONTAIN_LABELS },
    legend: legend
      ? // Every line listed: chart updates merge the legend, so a line shown again must say so.
        {
          type: "scroll",
          top: 0,
          left: 0,
          right: 0,
          selected: Object.fromEntries([...lines.map((l) => [l.name, !l.hidden]), ...bands.map((b) => [b.name, true])]),
        }
      : undefined,
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (params: TooltipParam | TooltipParam[]) => tooltipFormatter(params, bandDims),
      axisPointer: { type: "line" },
    },
    // Day ticks name their month, so hiding overlapping labels never leaves bare numbers.
    xAxis: {
      type: "time",
      minInterval: (minStepDays ?? 1) * DAY_MS,
      axisLabel: { hideOverlap: true, formatter: (value: number) => timeAxisLabel(value, format.locale) },
    },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => format.axis(v) } },
    dataZoom: zoom
      ? [
          { type: "inside", xAxisIndex: 0, filterMode: "none" },
          { type: "slider", xAxisIndex: 0, filterMode: "none", height: 24, bottom: 12 },
        ]
      : undefined,
    series: lines
      .map((line, i): Record<string, unknown> => ({
        type: "line",
        name: line.name,
        encode: { x: TIME, y: `y${i}` },
        showSymbol: symbols && line.dates.length <= 60,
        symbolSize: 5,
        connectNulls: false,
        sampling: "lttb",
        lineStyle: { width: line.width ?? 1.5, type: line.dashed ? "dashed" : "solid", opacity: line.opacity ?? 1 },
        itemStyle: line.color ? { color: line.color } : undefined,
        emphasis: { focus: "series" },
        markLine:
          markDate && i === 0
            ? {
                silent: true,
                symbol: "none",
                data: [{ xAxis: Date.parse(`${markDate.date}T00:00:00Z`), label: { formatter: markDate.label } }],
                lineStyle: { color: "#6b7280", type: "dotted" },
              }
            : undefined,
      }))
      .concat(bands.flatMap((band, k) => bandSeries(band, lines.length + 2 * k))),
  };
}

/**
 * The two stacked series of a band: its lower bound (no line, no fill) and its width stacked
 * on it with the fill. stackStrategy "all" stacks even when the lower bound is negative.
 */
function bandSeries(band: TimeBand, firstColumn: number): Array<Record<string, unknown>> {
  const common = {
    type: "line",
    name: band.name,
    stack: `band:${band.name}`,
    stackStrategy: "all",
    showSymbol: false,
    symbol: "none",
    connectNulls: false,
    silent: true,
    z: 1,
    lineStyle: { opacity: 0 },
    itemStyle: { color: band.color },
  };
  return [
    { ...common, encode: { x: TIME, y: `y${firstColumn}` } },
    { ...common, encode: { x: TIME, y: `y${firstColumn + 1}` }, areaStyle: { color: band.color, opacity: band.opacity ?? 0.2 } },
  ];
}

/** Loss curves by epoch (x = step); one line per series given. */
export function lossChartOption(lines: LineSpec[]): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "all" },
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    tooltip: { trigger: "axis", confine: true, valueFormatter: (v: number) => (typeof v === "number" ? format.loss(v) : String(v)) },
    xAxis: { type: "value", name: "epoch", minInterval: 1, min: "dataMin", max: "dataMax", nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "value", scale: true },
    series: lines.map((line) => ({
      type: "line",
      name: line.name,
      data: line.points,
      showSymbol: true,
      symbolSize: 5,
      lineStyle: { width: line.width ?? 2, type: line.dashed ? "dashed" : "solid" },
      itemStyle: line.color ? { color: line.color } : undefined,
    })),
  };
}
