// Explorer: sales per period (day or week, as the data has them) and their rolling mean for one
// or more categories, over a date range, with zoom and tooltips, and the figures an analyst
// looks at first (total, mean per period, the last 28 days or 4 weeks against the ones before).
//
// Each picked category's whole series is fetched once and kept; moving the range or the
// slider only re-slices arrays in memory, so the chart follows the controls at once.
import { useEffect, useMemo, useState } from "preact/hooks";
import { getCategories, getSeries, listSeries, type Series } from "../api.js";
import { Chart } from "../charts/chart.js";
import { PALETTE } from "../charts/echarts.js";
import { timeChartOption, type TimeLine } from "../charts/options.js";
import { CategoryChecklist } from "../components/category-checklist.js";
import { Pager, SmallMultiples } from "../components/small-multiples.js";
import { SeriesSearch } from "../components/series-search.js";
import { Empty, ErrorMessage, Loading } from "../components/status.js";
import { formatDate, formatPercentChange, formatSales } from "../lib/format.js";
import { periodCount, periodWords, type Frequency } from "../lib/period.js";
import { replaceParams } from "../lib/route.js";
import { useSettings } from "../lib/settings.js";
import { addDays, dateRangeIndices, rollingMean, summarise } from "../lib/stats.js";
import { useAsync } from "../lib/use-async.js";
import { useFrameDeferred } from "../lib/use-frame-deferred.js";

/** At most this many series are fetched at once (browsers queue the rest anyway). */
const PARALLEL_FETCHES = 6;
/** Above this many categories the per-period lines start hidden (legend click shows them). */
const PERIOD_LINES_UP_TO = 5;
/** Above this many series (a store x item catalogue) the picker is a server-side search, not one long checklist. */
const CHECKLIST_UP_TO = 200;
/** Above this many series the default view is small multiples, one chart each, not one chart of overlaid lines. */
const OVERLAY_UP_TO = 6;
/** Small charts per page in the small-multiples view. */
const TILES_PER_PAGE = 12;

type View = "overlay" | "grid";

/** Longest rolling mean the slider offers, in periods. */
const MAX_MEAN_WINDOW = 30;

export function ExplorerPage({ params }: { params: URLSearchParams }) {
  const categories = useAsync((signal) => pickerNames(signal), []);
  const names = categories.data?.names ?? [];
  const preferred = categories.data?.preferred;
  // A catalogue: names are searched on the server, so the page never holds them all.
  const searched = categories.data?.searched;
  const settings = useSettings();
  const defaultWindow = periodWords(settings.frequency).defaultMeanWindow;

  const [picked, setPicked] = useState<string[] | null>(() => listParam(params.get("categories")));
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const [meanWindow, setMeanWindow] = useState(() => clampWindow(Number(params.get("window") ?? defaultWindow), defaultWindow));
  // Unset: chosen by how many series are picked (overlay up to OVERLAY_UP_TO, small multiples above).
  const [chosenView, setView] = useState<View | null>(() => viewParam(params.get("view")));

  // Until the user picks, show the first category (a chart at once beats an empty page).
  const initial = preferred && names.includes(preferred) ? [preferred] : names.slice(0, 1);
  const selected = searched ? (picked ?? initial) : (picked ?? initial).filter((c) => names.length === 0 || names.includes(c));
  const selectedKey = selected.join("\u0000");
  useEffect(() => {
    replaceParams("explorer", {
      categories: picked ?? undefined,
      from,
      to,
      window: meanWindow === defaultWindow ? undefined : String(meanWindow),
      view: chosenView ?? undefined,
    });
  }, [picked, from, to, meanWindow, chosenView]);

  const chartWindow = useFrameDeferred(meanWindow);
  const [cache] = useState(() => new Map<string, Series>());
  const series = useAsync((signal) => fetchAll(selected, cache, signal), [selectedKey]);

  if (categories.status === "loading" && !categories.data) return <Loading what="categories" />;
  if (categories.status === "error") return <ErrorMessage title="Could not load the categories" message={categories.error} onRetry={categories.reload} />;
  if (names.length === 0) {
    return (
      <Empty title="No categories in the data">
        <p>
          The server found no sales data. Check data.csv_path in config/config.yaml, or make demo data with <code>npx salescast demo-data</code>.
        </p>
      </Empty>
    );
  }

  const loaded = series.data ?? [];
  const extent = dataExtent(loaded);
  // One file, one frequency: the series agree with the server's data.frequency.
  const frequency: Frequency = loaded[0]?.frequency ?? settings.frequency;
  const words = periodWords(frequency);
  const view: View = chosenView ?? (selected.length > OVERLAY_UP_TO ? "grid" : "overlay");

  return (
    <div class="page explorer">
      <section class="controls" aria-label="Explorer controls">
        {searched ? (
          <SeriesSearch legend="Series" total={searched.total} selected={selected} onChange={setPicked} testId="explorer-categories" />
        ) : (
          <CategoryChecklist legend="Categories" categories={names} selected={selected} onChange={setPicked} testId="explorer-categories" />
        )}
        <div class="control-group">
          <label>
            From
            <input
              type="date"
              value={from || extent.first}
              min={extent.first}
              max={to || extent.last}
              onChange={(e) => setFrom(e.currentTarget.value)}
              data-testid="explorer-from"
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={to || extent.last}
              min={from || extent.first}
              max={extent.last}
              onChange={(e) => setTo(e.currentTarget.value)}
              data-testid="explorer-to"
            />
          </label>
          <div class="quick-ranges" role="group" aria-label="Quick ranges">
            {words.quickRanges.map(([label, days]) => (
              <button
                type="button"
                key={label}
                disabled={!extent.last}
                onClick={() => {
                  // The range's last period starts on the last date: go back whole periods from it.
                  setFrom(addDays(extent.last, -days + words.days));
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
              Rolling mean: <output data-testid="explorer-window-value">{periodCount(meanWindow, frequency)}</output>
            </span>
            <input
              type="range"
              min={1}
              max={MAX_MEAN_WINDOW}
              step={1}
              value={meanWindow}
              aria-valuetext={periodCount(meanWindow, frequency)}
              onInput={(e) => setMeanWindow(clampWindow(Number(e.currentTarget.value), defaultWindow))}
              data-testid="explorer-window"
            />
          </label>
          <fieldset class="view-choice" data-testid="explorer-view">
            <legend class="muted small">Several series as</legend>
            <label>
              <input type="radio" name="explorer-view" checked={view === "overlay"} onChange={() => setView("overlay")} />
              One chart
            </label>
            <label>
              <input type="radio" name="explorer-view" checked={view === "grid"} onChange={() => setView("grid")} />
              Small multiples
            </label>
          </fieldset>
        </div>
      </section>

      {series.status === "error" && <ErrorMessage title="Could not load the sales series" message={series.error} onRetry={series.reload} />}
      {series.status === "loading" && !series.data && <Loading what="sales" />}
      {selected.length === 0 && <Empty title="No category picked">Pick one or more categories to see their sales.</Empty>}
      {loaded.length > 0 && selected.length > 0 && (
        <ExplorerView series={loaded} from={from} to={to} meanWindow={chartWindow} frequency={frequency} view={view} />
      )}
    </div>
  );
}

interface ExplorerViewProps {
  series: Series[];
  from: string;
  to: string;
  meanWindow: number;
  frequency: Frequency;
  view: View;
}

function ExplorerView({ series, from, to, meanWindow, frequency, view: shownAs }: ExplorerViewProps) {
  const words = periodWords(frequency);
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(series.length / TILES_PER_PAGE));
  const shownPage = Math.min(page, pages);
  const view = useMemo(() => {
    const overlay = series.length > 1;
    // Many categories: the per-period lines would hide each other; show the means, keep those
    // lines one legend click away.
    const periodLinesHidden = series.length > PERIOD_LINES_UP_TO;
    const lines: TimeLine[] = [];
    let points = 0;
    const rows = series.map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      // The mean is computed on the whole series, then cut, so the range's first periods
      // average real history instead of fewer values.
      const mean = rollingMean(s.values, meanWindow);
      const [start, end] = dateRangeIndices(s.dates, from, to);
      const dates = s.dates.slice(start, end);
      const values = s.values.slice(start, end);
      points += dates.length;
      lines.push({
        name: overlay ? s.category : `${words.adjective} sales`,
        dates,
        values,
        color,
        width: 1,
        opacity: overlay ? 0.35 : 0.6,
        hidden: periodLinesHidden,
      });
      lines.push({
        name: `${overlay ? `${s.category} ` : ""}${meanWindow}-${words.unit} mean`,
        dates,
        values: mean.slice(start, end).map(round2),
        color: overlay ? color : "#111827",
        width: 2,
      });
      return { category: s.category, color, dates, values, summary: summarise(values, words.comparePeriods) };
    });
    return { lines, rows, points, periodLinesHidden };
  }, [series, from, to, meanWindow, words]);

  const option = useMemo(() => timeChartOption({ lines: view.lines, minStepDays: words.days }), [view, words]);
  const rangeText = `${from ? formatDate(from) : `first ${words.unit}`} to ${to ? formatDate(to) : `last ${words.unit}`}`;
  const span = periodCount(words.comparePeriods, frequency);

  const tiles = useMemo(
    () =>
      shownAs === "grid"
        ? view.rows
            .slice((shownPage - 1) * TILES_PER_PAGE, shownPage * TILES_PER_PAGE)
            .map((row) => ({ name: row.category, dates: row.dates, values: row.values, color: row.color }))
        : [],
    [shownAs, view, shownPage],
  );

  return (
    <>
      {shownAs === "grid" ? (
        <>
          <SmallMultiples tiles={tiles} minStepDays={words.days} testId="explorer-grid" />
          <Pager page={shownPage} pages={pages} onPage={setPage} testId="explorer-pager" />
        </>
      ) : (
        <div class="chart-card" data-testid="explorer-chart-card" data-points={view.points}>
          <Chart
            option={option}
            label={`${words.adjective} sales and ${meanWindow}-${words.unit} rolling mean of ${series.map((s) => s.category).join(", ")}, ${rangeText}`}
            height={420}
            testId="explorer-chart"
          />
          <p class="hint">
            Drag the slider under the chart or scroll on it to zoom; hover for values; click a legend entry to show or hide its line.
            {view.periodLinesHidden && ` ${words.adjective} lines are hidden while more than five categories are picked.`}
          </p>
        </div>
      )}
      {view.points === 0 && <Empty title="No sales in this date range">Widen the range: the data covers other dates.</Empty>}
      <div class="table-scroll">
        <table class="summary" data-testid="explorer-summary">
          <caption>Summary, {rangeText}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Total</th>
              <th scope="col">Mean per {words.unit}</th>
              <th scope="col">Last {span}</th>
              <th scope="col">{span} before</th>
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
                <td>{formatSales(summary.meanPerPeriod)}</td>
                <td>{formatSales(summary.last)}</td>
                <td>{formatSales(summary.previous)}</td>
                <td class={summary.change === undefined ? "" : summary.change >= 0 ? "up" : "down"}>{formatPercentChange(summary.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * What the picker offers. Up to CHECKLIST_UP_TO series: every name in the data (only categories
 * in the data have a series; a model may outlive its category). More (a catalogue): only the
 * first name, to chart at once, and the count; the picker then searches on the server instead
 * of downloading tens of thousands of names.
 */
async function pickerNames(signal: AbortSignal): Promise<{ names: string[]; preferred?: string; searched?: { total: number } }> {
  const first = await listSeries({ pageSize: 1 }, signal);
  if (first.total_count > CHECKLIST_UP_TO) return { names: first.series.map((s) => s.name), searched: { total: first.total_count } };
  const answer = await getCategories(signal);
  return { names: answer.categories.filter((c) => c.in_data).map((c) => c.name), preferred: answer.default };
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

function viewParam(value: string | null): View | null {
  return value === "overlay" || value === "grid" ? value : null;
}

function clampWindow(value: number, fallback: number): number {
  return Number.isFinite(value) ? Math.min(MAX_MEAN_WINDOW, Math.max(1, Math.round(value))) : fallback;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
