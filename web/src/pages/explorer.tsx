// Explorer: daily sales and their rolling mean for one or more categories, over a date range,
// with zoom and tooltips, and the figures an analyst looks at first (total, mean per day,
// last 28 days against the 28 before).
//
// Each picked category's whole series is fetched once and kept; moving the range or the
// slider only re-slices arrays in memory, so the chart follows the controls at once.
import { useEffect, useMemo, useState } from "preact/hooks";
import { getCategories, getSeries, type Series } from "../api.js";
import { Chart } from "../charts/chart.js";
import { PALETTE } from "../charts/echarts.js";
import { timeChartOption, type TimeLine } from "../charts/options.js";
import { CategoryChecklist } from "../components/category-checklist.js";
import { Empty, ErrorMessage, Loading } from "../components/status.js";
import { formatPercentChange, formatSales } from "../lib/format.js";
import { replaceParams } from "../lib/route.js";
import { addDays, dateRangeIndices, rollingMean, summarise } from "../lib/stats.js";
import { useAsync } from "../lib/use-async.js";
import { useFrameDeferred } from "../lib/use-frame-deferred.js";

const DEFAULT_WINDOW = 7;
/** At most this many series are fetched at once (browsers queue the rest anyway). */
const PARALLEL_FETCHES = 6;
/** Above this many categories the daily lines start hidden (legend click shows them). */
const DAILY_LINES_UP_TO = 5;

export function ExplorerPage({ params }: { params: URLSearchParams }) {
  const categories = useAsync((signal) => getCategories(signal), []);
  // Only categories in the data have a series (a model may outlive its category in the data).
  const names = categories.data?.categories.filter((c) => c.inData).map((c) => c.name) ?? [];
  const preferred = categories.data?.defaultCategory;

  const [picked, setPicked] = useState<string[] | null>(() => listParam(params.get("categories")));
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const [meanWindow, setMeanWindow] = useState(() => clampWindow(Number(params.get("window") ?? DEFAULT_WINDOW)));

  // Until the user picks, show the first category (a chart at once beats an empty page).
  const initial = preferred && names.includes(preferred) ? [preferred] : names.slice(0, 1);
  const selected = (picked ?? initial).filter((c) => names.length === 0 || names.includes(c));
  const selectedKey = selected.join("\u0000");
  useEffect(() => {
    replaceParams("explorer", { categories: picked ?? undefined, from, to, window: meanWindow === DEFAULT_WINDOW ? undefined : String(meanWindow) });
  }, [picked, from, to, meanWindow]);

  const chartWindow = useFrameDeferred(meanWindow);
  const [cache] = useState(() => new Map<string, Series>());
  const series = useAsync(
    (signal) => fetchAll(selected, cache, signal),
    [selectedKey],
  );

  if (categories.status === "loading" && !categories.data) return <Loading what="categories" />;
  if (categories.status === "error") return <ErrorMessage title="Could not load the categories" message={categories.error} onRetry={categories.reload} />;
  if (names.length === 0) {
    return (
      <Empty title="No categories in the data">
        <p>The server found no sales data. Check data.csv_path in config/config.yaml, or make demo data with <code>npx salescast demo-data</code>.</p>
      </Empty>
    );
  }

  const loaded = series.data ?? [];
  const extent = dataExtent(loaded);

  return (
    <div class="page explorer">
      <section class="controls" aria-label="Explorer controls">
        <CategoryChecklist legend="Categories" categories={names} selected={selected} onChange={setPicked} testId="explorer-categories" />
        <div class="control-group">
          <label>
            From
            <input type="date" value={from || extent.first} min={extent.first} max={to || extent.last} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="explorer-from" />
          </label>
          <label>
            To
            <input type="date" value={to || extent.last} min={from || extent.first} max={extent.last} onChange={(e) => setTo(e.currentTarget.value)} data-testid="explorer-to" />
          </label>
          <div class="quick-ranges" role="group" aria-label="Quick ranges">
            {[
              ["90 days", 90],
              ["1 year", 365],
            ].map(([label, days]) => (
              <button
                type="button"
                key={label}
                disabled={!extent.last}
                onClick={() => {
                  setFrom(addDays(extent.last, -(days as number) + 1));
                  setTo("");
                }}
              >
                {label}
              </button>
            ))}
            <button type="button" onClick={() => (setFrom(""), setTo(""))}>
              All dates
            </button>
          </div>
          <label class="slider">
            <span>
              Rolling mean: <output data-testid="explorer-window-value">{meanWindow}</output> day{meanWindow === 1 ? "" : "s"}
            </span>
            <input type="range" min={1} max={30} step={1} value={meanWindow} onInput={(e) => setMeanWindow(clampWindow(Number(e.currentTarget.value)))} data-testid="explorer-window" />
          </label>
        </div>
      </section>

      {series.status === "error" && <ErrorMessage title="Could not load the sales series" message={series.error} onRetry={series.reload} />}
      {series.status === "loading" && !series.data && <Loading what="sales" />}
      {selected.length === 0 && <Empty title="No category picked">Pick one or more categories to see their sales.</Empty>}
      {loaded.length > 0 && selected.length > 0 && <ExplorerView series={loaded} from={from} to={to} meanWindow={chartWindow} />}
    </div>
  );
}

function ExplorerView({ series, from, to, meanWindow }: { series: Series[]; from: string; to: string; meanWindow: number }) {
  const view = useMemo(() => {
    const overlay = series.length > 1;
    // Many categories: the daily lines would hide each other; show the means, keep the daily
    // lines one legend click away.
    const dailyHidden = series.length > DAILY_LINES_UP_TO;
    const lines: TimeLine[] = [];
    let points = 0;
    const rows = series.map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      // The mean is computed on the whole series, then cut, so the range's first days
      // average real history instead of fewer values.
      const mean = rollingMean(s.values, meanWindow);
      const [start, end] = dateRangeIndices(s.dates, from, to);
      const dates = s.dates.slice(start, end);
      const values = s.values.slice(start, end);
      points += dates.length;
      lines.push({ name: overlay ? s.category : "Daily sales", dates, values, color, width: 1, opacity: overlay ? 0.35 : 0.6, hidden: dailyHidden });
      lines.push({ name: `${overlay ? `${s.category} ` : ""}${meanWindow}-day mean`, dates, values: mean.slice(start, end).map(round2), color: overlay ? color : "#111827", width: 2 });
      return { category: s.category, color, summary: summarise(values) };
    });
    return { lines, rows, points, dailyHidden };
  }, [series, from, to, meanWindow]);

  const option = useMemo(() => timeChartOption({ lines: view.lines }), [view]);
  const rangeText = `${from || "first day"} to ${to || "last day"}`;

  return (
    <>
      <div class="chart-card" data-testid="explorer-chart-card" data-points={view.points}>
        <Chart option={option} label={`Daily sales and ${meanWindow}-day rolling mean of ${series.map((s) => s.category).join(", ")}, ${rangeText}`} height={420} testId="explorer-chart" />
        <p class="hint">
          Drag the slider under the chart or scroll on it to zoom; hover for values; click a legend entry to show or hide its line.
          {view.dailyHidden && " Daily lines are hidden while more than five categories are picked."}
        </p>
      </div>
      {view.points === 0 && <Empty title="No sales in this date range">Widen the range: the data covers other dates.</Empty>}
      <div class="table-scroll">
        <table class="summary" data-testid="explorer-summary">
          <caption>Summary, {rangeText}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Total</th>
              <th scope="col">Mean per day</th>
              <th scope="col">Last 28 days</th>
              <th scope="col">28 days before</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map(({ category, color, summary }) => (
              <tr key={category}>
                <th scope="row">
                  <span class="swatch" style={{ background: color }} aria-hidden="true" />
                  {category}
                </th>
                <td>{formatSales(summary.total)}</td>
                <td>{formatSales(summary.meanPerDay)}</td>
                <td>{formatSales(summary.last28)}</td>
                <td>{formatSales(summary.previous28)}</td>
                <td class={summary.change === undefined ? "" : summary.change >= 0 ? "up" : "down"}>{formatPercentChange(summary.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

async function fetchAll(categories: string[], cache: Map<string, Series>, signal: AbortSignal): Promise<Series[]> {
  const missing = categories.filter((c) => !cache.has(c));
  for (let i = 0; i < missing.length; i += PARALLEL_FETCHES) {
    const batch = missing.slice(i, i + PARALLEL_FETCHES);
    const answers = await Promise.all(batch.map((c) => getSeries(c, {}, signal)));
    answers.forEach((s) => cache.set(s.category, s));
  }
  return categories.map((c) => cache.get(c)!).filter(Boolean);
}

function dataExtent(series: Series[]): { first: string; last: string } {
  let first = "";
  let last = "";
  for (const s of series) {
    if (s.dates.length === 0) continue;
    const a = s.dates[0];
    const b = s.dates[s.dates.length - 1];
    if (first === "" || a < first) first = a;
    if (last === "" || b > last) last = b;
  }
  return { first, last };
}

function listParam(value: string | null): string[] | null {
  if (value === null || value === "") return null;
  return value.split(",").filter(Boolean);
}

function clampWindow(value: number): number {
  return Number.isFinite(value) ? Math.min(30, Math.max(1, Math.round(value))) : DEFAULT_WINDOW;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
