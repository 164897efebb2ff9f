// The forecast of the Predict page, one row per period with its date (and its interval bounds
// when asked for), and a button that downloads the same rows as CSV.
import type { IntervalBand } from "../api-types.js";
import { downloadText, forecastCsv } from "../lib/forecast-csv.js";
import { formatDate, formatSales } from "../lib/format.js";

export interface ForecastTableProps {
  category: string;
  /** ISO date of each forecast period (its first day). */
  dates: string[];
  forecast: number[];
  intervals: IntervalBand[];
  /** "Day" or "Week starting": what a date stands for. */
  dateLabel: string;
}

export function ForecastTable({ category, dates, forecast, intervals, dateLabel }: ForecastTableProps) {
  const bands = [...intervals].sort((a, b) => a.level - b.level);
  const download = () => {
    const safe = category.replace(/[^\p{L}\p{N}_-]+/gu, "_").slice(0, 60) || "category";
    downloadText(`forecast-${safe}-${dates[0] ?? "next"}.csv`, forecastCsv({ dates, forecast, intervals }));
  };
  return (
    <div class="forecast-table">
      <div class="table-scroll">
        <table data-testid="forecast-table">
          <caption>
            {forecast.length === 1 ? "The forecast" : `The ${forecast.length} forecast periods`}{" "}
            <button type="button" class="link" onClick={download} data-testid="forecast-download">
              Download CSV
            </button>
          </caption>
          <thead>
            <tr>
              <th scope="col">{dateLabel}</th>
              <th scope="col">Forecast</th>
              {bands.map((band) => [
                <th scope="col" key={`l${band.level}`}>
                  {band.level}% low
                </th>,
                <th scope="col" key={`u${band.level}`}>
                  {band.level}% high
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {forecast.map((value, i) => (
              <tr key={i} data-date={dates[i]}>
                <th scope="row">{dates[i] ? formatDate(dates[i]) : `T+${i + 1}`}</th>
                <td>{formatSales(value)}</td>
                {bands.map((band) => [
                  <td key={`l${band.level}`}>{formatSales(band.lower[i])}</td>,
                  <td key={`u${band.level}`}>{formatSales(band.upper[i])}</td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
