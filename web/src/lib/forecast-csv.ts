// The forecast on the Predict page as a CSV file: one row per forecast period with its date,
// the forecast and each interval's bounds. Machine-readable whatever the page's locale (ISO
// dates, "." decimals, no grouping), like the CLI's output, so a spreadsheet or a script reads
// it the same everywhere.
import type { IntervalBand } from "../api-types.js";

export interface ForecastRows {
  dates: readonly string[];
  forecast: readonly number[];
  intervals: readonly IntervalBand[];
}

/** date,forecast[,lower_80,upper_80,...] then one line per step; levels in increasing order. */
export function forecastCsv({ dates, forecast, intervals }: ForecastRows): string {
  if (dates.length !== forecast.length) throw new Error(`forecast CSV: ${forecast.length} forecast values but ${dates.length} dates`);
  const bands = [...intervals].sort((a, b) => a.level - b.level);
  const label = (level: number) => String(level).replace(".", "_");
  const header = ["date", "forecast", ...bands.flatMap((b) => [`lower_${label(b.level)}`, `upper_${label(b.level)}`])];
  const rows = forecast.map((value, i) => [dates[i], number(value), ...bands.flatMap((b) => [number(b.lower[i]), number(b.upper[i])])]);
  return [header, ...rows].map((row) => row.join(",")).join("\n") + "\n";
}

function number(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "" : String(value);
}

/** Offers `text` as a file download named `filename` (an <a download> click; nothing leaves the browser). */
export function downloadText(filename: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; release it once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
