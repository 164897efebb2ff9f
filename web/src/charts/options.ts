// ECharts options for the dashboard's line charts. Built as plain objects from plain arrays,
// so a page only decides what to plot.
//
// Time charts hand ECharts one columnar dataset (a time column and one column per line)
// instead of [date, value] pairs per series: ECharts then ingests the data once, which is
// what keeps 100 lines of five years of daily data (50 categories and their rolling means)
// redrawing in about a tenth of a second when a control moves (pairs took ~0.5 s). Symbols
// are off for long lines, LTTB sampling draws about one point per pixel.
import { formatSales } from "../lib/format.js";
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
  axisValueLabel?: string;
}

const MAX_TOOLTIP_ROWS = 12;
const TIME = "t";

/** Grid margins that keep axis labels inside the chart (ECharts 6's replacement for containLabel). */
const CONTAIN_LABELS = { outerBoundsMode: "same", outerBoundsContain: "axisLabel" } as const;

/** Short axis labels: 1,500 -> 1.5K, 2,000,000 -> 2M. */
const axisNumber = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

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

/** Tooltip listing the lines at the hovered date, largest first, capped for many lines. */
function tooltipFormatter(params: TooltipParam | TooltipParam[]): string {
  const list = (Array.isArray(params) ? params : [params]).map((p) => ({ p, y: yOf(p) })).filter((e) => e.y !== null);
  if (list.length === 0) return "";
  const header = list[0].p.axisValueLabel ?? "";
  list.sort((a, b) => b.y! - a.y!);
  const rows = list.slice(0, MAX_TOOLTIP_ROWS).map(({ p, y }) => `${p.marker}${escapeHtml(p.seriesName)}: <b>${formatSales(y)}</b>`);
  if (list.length > MAX_TOOLTIP_ROWS) rows.push(`… ${list.length - MAX_TOOLTIP_ROWS} more`);
  return [escapeHtml(header), ...rows].join("<br/>");
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
}

export function timeChartOption({ lines, zoom = true, markDate, legend = true }: TimeChartOptions): ChartOption {
  const { dates, columns } = alignColumns(lines);
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
        { type: "scroll", top: 0, left: 0, right: 0, selected: Object.fromEntries(lines.map((l) => [l.name, !l.hidden])) }
      : undefined,
    tooltip: { trigger: "axis", confine: true, formatter: tooltipFormatter, axisPointer: { type: "line" } },
    // Day ticks name their month, so hiding overlapping labels never leaves bare numbers.
    xAxis: { type: "time", axisLabel: { hideOverlap: true, formatter: { year: "{yyyy}", month: "{MMM} {yyyy}", day: "{MMM} {d}" } } },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => axisNumber.format(v) } },
    dataZoom: zoom
      ? [
          { type: "inside", xAxisIndex: 0, filterMode: "none" },
          { type: "slider", xAxisIndex: 0, filterMode: "none", height: 24, bottom: 12 },
        ]
      : undefined,
    series: lines.map((line, i) => ({
      type: "line",
      name: line.name,
      encode: { x: TIME, y: `y${i}` },
      showSymbol: line.dates.length <= 60,
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
    })),
  };
}

/** Loss curves by epoch (x = step); one line per series given. */
export function lossChartOption(lines: LineSpec[]): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "all" },
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    tooltip: { trigger: "axis", confine: true, valueFormatter: (v: number) => (typeof v === "number" ? v.toPrecision(4) : String(v)) },
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
