// ECharts options for the dashboard's line charts. Built as plain objects from plain arrays,
// so a page only decides what to plot. Settings that matter for large data: no symbols, no
// animation, LTTB sampling (ECharts draws ~1 point per pixel however many there are) and
// progressive rendering, which keeps 50 series x 5 years of daily data responsive.
import { formatSales } from "../lib/format.js";
import type { ChartOption } from "./echarts.js";

export interface LineSpec {
  name: string;
  /** [ISO date or x value, y] pairs. */
  points: Array<[string | number, number | null]>;
  color?: string;
  dashed?: boolean;
  width?: number;
  opacity?: number;
  /** Fill under the line (forecast bands, etc.). */
  area?: boolean;
}

interface TooltipParam {
  seriesName: string;
  marker: string;
  value: [string | number, number | null];
  axisValueLabel?: string;
}

const MAX_TOOLTIP_ROWS = 12;

/** Grid margins that keep axis labels inside the chart (ECharts 6's replacement for containLabel). */
const CONTAIN_LABELS = { outerBoundsMode: "same", outerBoundsContain: "axisLabel" } as const;

/** Short axis labels: 1,500 -> 1.5K, 2,000,000 -> 2M. */
const axisNumber = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Line drawing animations only for people who have not asked for less motion (and tests ask). */
function animate(): boolean {
  return !(typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches);
}

/** Tooltip listing the series at the hovered date, largest first, capped for many series. */
function tooltipFormatter(params: TooltipParam | TooltipParam[]): string {
  const list = (Array.isArray(params) ? params : [params]).filter((p) => p.value && p.value[1] !== null && p.value[1] !== undefined);
  if (list.length === 0) return "";
  const header = list[0].axisValueLabel ?? String(list[0].value[0]);
  const sorted = [...list].sort((a, b) => (b.value[1] ?? 0) - (a.value[1] ?? 0));
  const rows = sorted.slice(0, MAX_TOOLTIP_ROWS).map((p) => `${p.marker}${escapeHtml(p.seriesName)}: <b>${formatSales(p.value[1])}</b>`);
  if (sorted.length > MAX_TOOLTIP_ROWS) rows.push(`… ${sorted.length - MAX_TOOLTIP_ROWS} more`);
  return [escapeHtml(header), ...rows].join("<br/>");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface TimeChartOptions {
  lines: LineSpec[];
  /** Zoom controls (slider + mouse wheel / pinch). */
  zoom?: boolean;
  /** A vertical marker (e.g. where the forecast starts). */
  markDate?: { date: string; label: string };
  legend?: boolean;
}

export function timeChartOption({ lines, zoom = true, markDate, legend = true }: TimeChartOptions): ChartOption {
  const totalPoints = lines.reduce((n, l) => n + l.points.length, 0);
  const large = totalPoints > 20_000;
  return {
    animation: !large && animate(),
    animationDuration: 400,
    grid: { left: 8, right: 16, top: legend ? 36 : 16, bottom: zoom ? 64 : 8, ...CONTAIN_LABELS },
    legend: legend ? { type: "scroll", top: 0, left: 0, right: 0 } : undefined,
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
      data: line.points,
      showSymbol: line.points.length <= 60,
      symbolSize: 5,
      connectNulls: false,
      sampling: "lttb",
      progressive: large ? 4000 : undefined,
      lineStyle: { width: line.width ?? 1.5, type: line.dashed ? "dashed" : "solid", opacity: line.opacity ?? 1 },
      itemStyle: line.color ? { color: line.color } : undefined,
      areaStyle: line.area ? { opacity: 0.12 } : undefined,
      emphasis: { focus: "series" },
      markLine:
        markDate && i === 0
          ? { silent: true, symbol: "none", data: [{ xAxis: markDate.date, label: { formatter: markDate.label } }], lineStyle: { color: "#6b7280", type: "dotted" } }
          : undefined,
    })),
  };
}

/** Loss curves by epoch (x = step); one line per series given. */
export function lossChartOption(lines: LineSpec[]): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, ...CONTAIN_LABELS },
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    tooltip: { trigger: "axis", confine: true, valueFormatter: (v: number) => (typeof v === "number" ? v.toPrecision(4) : String(v)) },
    xAxis: { type: "value", name: "epoch", minInterval: 1, min: "dataMin", max: "dataMax", nameLocation: "end" },
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
