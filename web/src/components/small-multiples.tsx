// Small multiples: one small chart per series in a grid, instead of dozens of lines overlaid on
// one chart where none can be read. Each tile has its own y scale (a store selling thousands and
// an item selling two both show their shape), its history, and its forecast with the widest
// interval when there is one. The page shows one page of tiles at a time (Pager below): a
// catalogue's 30,490 series are never all drawn, nor all fetched.
import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { Chart } from "../charts/chart.js";
import { timeChartOption, type TimeBand, type TimeLine } from "../charts/options.js";
import { formatSales } from "../lib/format.js";

export interface TileForecast {
  dates: readonly string[];
  values: readonly number[];
  /** The widest interval, when the model gives one. */
  band?: { level: number; lower: ArrayLike<number | null>; upper: ArrayLike<number | null> };
}

export interface Tile {
  name: string;
  dates: readonly string[];
  values: ArrayLike<number>;
  color: string;
  forecast?: TileForecast;
  /** Under the chart: a drill-down button, a link, a note. */
  footer?: ComponentChildren;
}

/** A tile with a forecast shows this many periods of history per forecast step, and at least MIN_RECENT. */
const RECENT_PER_STEP = 8;
const MIN_RECENT = 56;

export function SmallMultiples({ tiles, minStepDays, testId }: { tiles: readonly Tile[]; minStepDays: number; testId?: string }) {
  return (
    <ul class="small-multiples" data-testid={testId}>
      {tiles.map((tile) => (
        <SmallChart key={tile.name} tile={tile} minStepDays={minStepDays} testId={testId} />
      ))}
    </ul>
  );
}

function SmallChart({ tile, minStepDays, testId }: { tile: Tile; minStepDays: number; testId?: string }) {
  const option = useMemo(() => {
    // With a forecast, the recent history only: a 28-day forecast after 1,941 days would be a few pixels wide.
    const from = tile.forecast ? Math.max(0, tile.dates.length - Math.max(RECENT_PER_STEP * tile.forecast.dates.length, MIN_RECENT)) : 0;
    const dates = tile.dates.slice(from);
    const values = Array.prototype.slice.call(tile.values, from) as number[];
    const lines: TimeLine[] = [{ name: tile.name, dates, values, color: tile.color, width: 1 }];
    const bands: TimeBand[] = [];
    if (tile.forecast) {
      lines.push({ name: `${tile.name} forecast`, dates: tile.forecast.dates, values: tile.forecast.values, color: "#111827", width: 1.5, dashed: true });
      const band = tile.forecast.band;
      if (band) bands.push({ name: `${band.level}% interval`, dates: tile.forecast.dates, lower: band.lower, upper: band.upper, color: tile.color });
    }
    return timeChartOption({ lines, bands, zoom: false, legend: false, minStepDays, symbols: false });
  }, [tile, minStepDays]);
  let total = 0;
  for (let i = 0; i < tile.values.length; i++) total += tile.values[i];
  return (
    <li class="tile" data-testid={testId && `${testId}-tile`} data-series={tile.name}>
      <h3 title={tile.name}>{tile.name}</h3>
      <p class="muted small">
        Total {formatSales(total)}
        {tile.forecast ? ` · ${tile.forecast.values.length}-step forecast` : ""}
      </p>
      <Chart option={option} label={`Sales of ${tile.name}${tile.forecast ? " and its forecast" : ""}`} height={150} testId={testId && `${testId}-chart`} />
      {tile.footer && <div class="tile-footer">{tile.footer}</div>}
    </li>
  );
}

/** "Page 2 of 255" with previous and next buttons. */
export function Pager({ page, pages, onPage, testId }: { page: number; pages: number; onPage: (page: number) => void; testId?: string }) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages of charts" data-testid={testId}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span data-testid={testId && `${testId}-position`}>
        Page {page.toLocaleString()} of {pages.toLocaleString()}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
