// Catalogue: drill down through the data's hierarchy (total → store → department → item, as
// data.hierarchy sets it), one page of small charts at a time, and download the forecasts shown.
//
// The server says which level each level's series drill down to (GET /api/series: child_level)
// and lists one series' children (parent_level, parent); the page keeps the path walked in the
// address (#/catalogue?start=total&path=["total","CA_1"]), so a drilled view can be shared or
// reloaded. Only the tiles of the page shown are fetched: their sales, the forecast of each
// bottom series with a registered model (GET /api/forecast/{name}), and the catalogue model's
// reconciled forecasts of the page's series of any level, aggregates included (GET
// /api/forecasts/{level}?series=…), which the download button saves as the server sends them.
import { useEffect, useMemo, useState } from "preact/hooks";
import { getForecast, getLevelForecastsCsv, getSeries, listSeries, type ForecastFromEnd, type Series, type SeriesLevel, type SeriesList } from "../api.js";
import { PALETTE } from "../charts/echarts.js";
import { Pager, SmallMultiples, type Tile, type TileForecast } from "../components/small-multiples.js";
import { Empty, ErrorMessage, Loading } from "../components/status.js";
import { downloadText } from "../lib/forecast-csv.js";
import { tileForecastsFromCsv } from "../lib/level-forecasts.js";
import { periodWords } from "../lib/period.js";
import { hrefFor, replaceParams } from "../lib/route.js";
import { useSettings } from "../lib/settings.js";
import { useAsync } from "../lib/use-async.js";

/** Tiles per page: a screenful of small charts (three or four rows on a laptop). */
export const TILES_PER_PAGE = 12;
/** Requests in flight at once for one page's tiles. */
const PARALLEL_FETCHES = 6;

interface Shown {
  list: SeriesList;
  series: Series[];
  /** By series name, for the tiles with a served model. */
  forecasts: Map<string, ForecastFromEnd>;
  /** Forecasts that failed, by series name (the tile says so; the rest of the page still shows). */
  failed: Map<string, string>;
  /** By series name, the catalogue model's reconciled forecast (none when no catalogue model covers the page). */
  catalogue: Map<string, TileForecast>;
}

export function CataloguePage({ params }: { params: URLSearchParams }) {
  const settings = useSettings();
  const levels = useAsync((signal) => listSeries({ pageSize: 1 }, signal).then((answer) => answer.levels), []);
  const [start, setStart] = useState(params.get("start") ?? "");
  const [path, setPath] = useState<string[]>(() => pathParam(params.get("path")));
  const [page, setPage] = useState(() => Math.max(1, Math.floor(Number(params.get("page") ?? 1)) || 1));
  const [search, setSearch] = useState(params.get("search") ?? "");

  const byLabel = useMemo(() => new Map((levels.data ?? []).map((level) => [level.label, level])), [levels.data]);
  const startLevel = byLabel.get(start) ?? defaultStart(levels.data ?? []);
  // The level of each name on the path, then the level listed: the last one's children.
  const chain = useMemo(() => levelChain(startLevel, path, byLabel), [startLevel, path, byLabel]);
  const listed = chain.listed;
  const parent =
    chain.walked.length > 0 ? { level: chain.walked[chain.walked.length - 1].level.label, name: chain.walked[chain.walked.length - 1].name } : undefined;

  useEffect(() => {
    replaceParams("catalogue", {
      start: start || undefined,
      path: path.length > 0 ? JSON.stringify(path) : undefined,
      page: page > 1 ? String(page) : undefined,
      search: search || undefined,
    });
  }, [start, path, page, search]);

  const shown = useAsync(
    (signal) => (listed ? loadPage(listed, parent, search.trim(), page, signal) : Promise.resolve(undefined)),
    [listed?.label, parent?.level, parent?.name, search, page],
  );

  if (levels.status === "error") return <ErrorMessage title="Could not load the series" message={levels.error} onRetry={levels.reload} />;
  if (!levels.data || !listed) return <Loading what="the catalogue" />;

  const go = (next: string[]) => {
    setPath(next);
    setPage(1);
    setSearch("");
  };
  const data = shown.data;
  const list = data?.list;
  const pages = list ? Math.max(1, Math.ceil(list.total_count / TILES_PER_PAGE)) : 1;
  const frequency = data?.series[0]?.frequency ?? settings.frequency;
  const tiles = data ? tilesOf(data, listed, (name) => go([...path.slice(0, chain.walked.length), name])) : [];
  const [downloading, setDownloading] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const forecastCount = data ? data.series.filter((s) => data.forecasts.has(s.category) || data.catalogue.has(s.category)).length : 0;
  const download = async () => {
    if (!data) return;
    setDownloading({ busy: true });
    try {
      const csv = await getLevelForecastsCsv(
        listed.label,
        data.series.map((s) => s.category).filter((name) => data.catalogue.has(name)),
      );
      if (csv === null) throw new Error("The catalogue model no longer has these forecasts: reload the page.");
      downloadText(`forecasts-${fileSafe(parent?.name ?? listed.label)}-page-${page}.csv`, csv);
      setDownloading({ busy: false });
    } catch (error) {
      setDownloading({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div class="page catalogue">
      <section class="controls" aria-label="Catalogue controls">
        <label>
          Start at level
          <select
            value={startLevel.label}
            onChange={(e) => {
              setStart(e.currentTarget.value);
              go([]);
            }}
            data-testid="catalogue-start"
          >
            {levels.data.map((level) => (
              <option key={level.label} value={level.label}>
                {describeLevel(level)} ({level.series.toLocaleString()})
              </option>
            ))}
          </select>
        </label>
        <label>
          Search {listed.bottom ? "series" : describeLevel(listed)}
          <input
            type="search"
            value={search}
            placeholder="e.g. FOODS_3"
            onInput={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            data-testid="catalogue-search"
          />
        </label>
      </section>

      <nav class="breadcrumbs" aria-label="Drill-down path" data-testid="catalogue-breadcrumbs">
        <ol>
          <li>
            {chain.walked.length === 0 ? (
              <span aria-current="location">Top: {describeLevel(startLevel)}</span>
            ) : (
              <button type="button" class="link" onClick={() => go([])}>
                Top: {describeLevel(startLevel)}
              </button>
            )}
          </li>
          {chain.walked.map(({ name }, i) => (
            <li key={`${i}:${name}`}>
              {i === chain.walked.length - 1 ? (
                <span aria-current="location">{name}</span>
              ) : (
                <button type="button" class="link" onClick={() => go(path.slice(0, i + 1))}>
                  {name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <div class="catalogue-toolbar">
        <p class="muted" data-testid="catalogue-summary">
          {list
            ? `${list.total_count.toLocaleString()} ${describeLevel(listed)} series${parent ? ` in ${parent.name}` : ""}${search.trim() ? ` matching "${search.trim()}"` : ""}`
            : "Loading…"}
        </p>
        <button
          type="button"
          disabled={!data || data.catalogue.size === 0 || downloading.busy}
          onClick={() => void download()}
          data-testid="catalogue-download"
        >
          Download forecasts (CSV)
        </button>
        {data && (
          <span class="hint" data-testid="catalogue-forecast-count">
            {forecastCount === 0
              ? "No series on this page has a forecast: train the catalogue with salescast train --catalogue."
              : `${forecastCount} of ${data.series.length} series on this page have a forecast.` +
                (data.catalogue.size === 0 ? " No catalogue model covers them, so there is nothing to download." : "")}
          </span>
        )}
        {downloading.error && (
          <span class="field-error" data-testid="catalogue-download-error">
            Download failed: {downloading.error}
          </span>
        )}
      </div>

      {shown.status === "error" && <ErrorMessage title="Could not load these series" message={shown.error} onRetry={shown.reload} />}
      {shown.status === "loading" && !data && <Loading what="sales" />}
      {list && list.total_count === 0 && (
        <Empty title="No series here">{search.trim() ? "No series matches the search: change or clear it." : "This series has no children in the data."}</Empty>
      )}
      {tiles.length > 0 && <SmallMultiples tiles={tiles} minStepDays={periodWords(frequency).days} testId="catalogue-grid" />}
      <Pager page={page} pages={pages} onPage={setPage} testId="catalogue-pager" />
    </div>
  );
}

/** One page of the listed level (the children of `parent` when drilled), with each tile's sales and forecast. */
async function loadPage(
  level: SeriesLevel,
  parent: { level: string; name: string } | undefined,
  search: string,
  page: number,
  signal: AbortSignal,
): Promise<Shown> {
  const list = await listSeries({ level: level.label, parent, search, page, pageSize: TILES_PER_PAGE }, signal);
  // The catalogue model's forecasts of the page, fetched beside the tiles' sales.
  const catalogueCsv =
    list.series.length > 0
      ? getLevelForecastsCsv(
          level.label,
          list.series.map((item) => item.name),
          signal,
        )
      : Promise.resolve(null);
  const series: Series[] = [];
  const forecasts = new Map<string, ForecastFromEnd>();
  const failed = new Map<string, string>();
  for (let i = 0; i < list.series.length; i += PARALLEL_FETCHES) {
    const batch = list.series.slice(i, i + PARALLEL_FETCHES);
    const answers = await Promise.all(
      batch.map(async (item) => {
        const sales = getSeries(item.name, { level: level.bottom ? undefined : level.label }, signal);
        const forecast = item.has_model
          ? getForecast(item.name, undefined, signal).catch((error: unknown) => {
              if (signal.aborted) throw error;
              failed.set(item.name, error instanceof Error ? error.message : String(error));
              return undefined;
            })
          : undefined;
        return [await sales, await forecast] as const;
      }),
    );
    for (const [sales, forecast] of answers) {
      series.push(sales);
      if (forecast) forecasts.set(sales.category, forecast);
    }
  }
  const csv = await catalogueCsv;
  return { list, series, forecasts, failed, catalogue: csv === null ? new Map() : tileForecastsFromCsv(csv) };
}

function tilesOf(shown: Shown, level: SeriesLevel, drill: (name: string) => void): Tile[] {
  return shown.series.map((s, i) => {
    const served = shown.forecasts.get(s.category);
    // A bottom series' own served model first; else the catalogue model's reconciled forecast.
    const forecast = served ? tileForecast(served) : shown.catalogue.get(s.category);
    const problem = shown.failed.get(s.category);
    return {
      name: s.category,
      dates: s.dates,
      values: s.values,
      color: PALETTE[i % PALETTE.length],
      forecast,
      footer: (
        <>
          {level.child_level ? (
            <button type="button" onClick={() => drill(s.category)} aria-label={`Drill into ${s.category}`} data-testid="catalogue-drill">
              {describeChild(level.child_level)} ›
            </button>
          ) : (
            <a href={hrefFor("predict", { category: s.category })}>Predict</a>
          )}
          {problem && <span class="field-error">Forecast failed: {problem}</span>}
        </>
      ),
    };
  });
}

function tileForecast(answer: ForecastFromEnd): TileForecast {
  const widest = answer.levels.length > 0 ? Math.max(...answer.levels) : undefined;
  return {
    dates: answer.forecast.map((step) => step.date),
    values: answer.forecast.map((step) => step.value),
    band:
      widest === undefined
        ? undefined
        : {
            level: widest,
            lower: answer.forecast.map((step) => step[`lo_${widest}`] ?? null),
            upper: answer.forecast.map((step) => step[`hi_${widest}`] ?? null),
          },
  };
}

/**
 * Where drilling starts by default: the first data.hierarchy level (the total when the config
 * lists it first, as usual); the bottom series when the data has no hierarchy.
 */
function defaultStart(levels: readonly SeriesLevel[]): SeriesLevel {
  return levels.find((level) => !level.bottom) ?? levels[0] ?? { label: "", columns: [], bottom: true, series: 0, child_level: null };
}

/** The path's names each with its level (following child_level from `start`), and the level listed under the last. */
function levelChain(
  start: SeriesLevel,
  path: readonly string[],
  byLabel: Map<string, SeriesLevel>,
): { walked: Array<{ name: string; level: SeriesLevel }>; listed?: SeriesLevel } {
  if (start.label === "") return { walked: [] };
  const walked: Array<{ name: string; level: SeriesLevel }> = [];
  let level = start;
  for (const name of path) {
    const child = level.child_level ? byLabel.get(level.child_level) : undefined;
    // A path longer than the hierarchy (an edited address): stop at the bottom.
    if (!child) break;
    walked.push({ name, level });
    level = child;
  }
  return { walked, listed: level };
}

/** "store_id/dept_id" → "store_id × dept_id"; the bottom series are "series". */
function describeLevel(level: SeriesLevel): string {
  return level.label === "total" ? "total" : level.columns.length > 0 ? level.columns.join(" × ") : level.label;
}

function describeChild(label: string): string {
  return `By ${label.split("/").join(" × ")}`;
}

function pathParam(text: string | null): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === "string") : [];
  } catch {
    return [];
  }
}

function fileSafe(name: string): string {
  return name.replace(/[^\p{L}\p{N}_-]+/gu, "_").slice(0, 80) || "series";
}
