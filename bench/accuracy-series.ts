// The series every tool forecasts, read once through salescast's own ingestion (the same config
// file and key=value overrides the backtest gets, so gaps are filled the same way for everyone),
// and written as the long CSV the anchor runners read: unique_id,ds,y.
import { loadConfig } from "../src/config/index.js";
import { periodDates } from "../src/data/calendar.js";
import { loadSales } from "../src/data/ingest.js";
import type { Frequency } from "../src/data/types.js";
import { csvField } from "./accuracy-csv.js";
import type { BenchSeries } from "./accuracy-protocol.js";

export interface BenchData {
  frequency: Frequency;
  series: BenchSeries[];
  source: { path: string; sha256: string; rows: number };
}

export async function loadBenchData(configPath: string, overrides: string[]): Promise<BenchData> {
  const { config } = await loadConfig({ path: configPath, overrides });
  const data = await loadSales(config.data);
  return {
    frequency: data.frequency,
    source: data.source,
    series: data.series.map((s) => ({ id: s.category, dates: periodDates(s, data.frequency), values: s.values })),
  };
}

/** unique_id,ds,y, one row per period, series after series, oldest first; values in full precision. */
export function longCsv(series: readonly BenchSeries[]): string {
  const lines = ["unique_id,ds,y"];
  for (const s of series) {
    const id = csvField(s.id);
    for (let t = 0; t < s.values.length; t++) lines.push(`${id},${s.dates[t]},${s.values[t]}`);
  }
  return `${lines.join("\n")}\n`;
}
