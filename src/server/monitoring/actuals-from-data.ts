// Actuals from a new data file (issue 18): when the sales file (data.csv_path) changes, the
// recorded forecasts of the dates it now holds are scored against its values, as if those had
// been posted to POST /api/actuals/{category}. The file is looked at every
// app.actuals_poll_seconds (a stat; it is read only when its size or time changed), in the
// background. Each date is scored once (the monitor forgets a forecast once scored), so reading
// the same file again scores nothing twice. A period the file has no row for is filled the way
// data.fill says, and that filled value is what the forecast is scored against.
import { epochDayFromIso } from "../../data/dates.js";
import type { SalesData } from "../../data/types.js";
import type { ModelRegistry } from "../../registry/index.js";
import type { ForecastMonitor } from "./forecast-monitor.js";
import { BackgroundTimer } from "../../util/background-timer.js";

/** The registered metrics of each version of a category (their MASE scale), for ForecastMonitor.score. */
export async function versionMetrics(
  registry: Pick<ModelRegistry, "versions">,
  category: string,
): Promise<(version: number) => Record<string, number> | undefined> {
  const metrics = new Map((await registry.versions(category)).map((v) => [v.version, v.metrics]));
  return (version) => metrics.get(version);
}

/** The values `data` holds for the dates a forecast was recorded for, per category. */
export function actualsInData(data: SalesData, pending: Map<string, string[]>): Map<string, Array<{ date: string; value: number }>> {
  const step = data.frequency === "W" ? 7 : 1;
  const out = new Map<string, Array<{ date: string; value: number }>>();
  for (const series of data.series) {
    const dates = pending.get(series.category);
    const start = epochDayFromIso(series.start);
    if (!dates || start === undefined) continue;
    const actuals: Array<{ date: string; value: number }> = [];
    for (const date of dates) {
      const offset = epochDayFromIso(date)! - start;
      const index = offset / step;
      if (Number.isInteger(index) && index >= 0 && index < series.values.length) actuals.push({ date, value: series.values[index] });
    }
    if (actuals.length > 0) out.set(series.category, actuals);
  }
  return out;
}

/** Scores what `data` holds for the monitor's recorded forecasts; the number scored per category. */
export async function scoreFromData(monitor: ForecastMonitor, data: SalesData, registry: Pick<ModelRegistry, "versions">): Promise<Map<string, number>> {
  const scored = new Map<string, number>();
  for (const [category, actuals] of actualsInData(data, monitor.pendingDates())) {
    const report = monitor.score(category, actuals, await versionMetrics(registry, category));
    if (report.scored > 0) scored.set(category, report.scored);
  }
  return scored;
}

export interface ActualsWatchLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Looks at the data file in the background and scores from it when it changed; check() does one look now. */
export class ActualsWatch {
  private lastFingerprint: string | undefined;
  private readonly timer = new BackgroundTimer();
  private running: Promise<Map<string, number>> | undefined;

  constructor(
    private readonly source: { fingerprint(): Promise<string>; get(): Promise<SalesData> },
    private readonly monitor: ForecastMonitor,
    private readonly registry: Pick<ModelRegistry, "versions">,
    private readonly log: ActualsWatchLog,
  ) {}

  start(intervalMs: number): void {
    this.timer.start(() => this.check(), intervalMs);
  }

  stop(): void {
    this.timer.stop();
  }

  /** One look: when the file changed since the last look (or at the first), scores from it. Never throws: problems are logged. */
  check(): Promise<Map<string, number>> {
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<Map<string, number>> {
    try {
      // Read only when forecasts wait for actuals and the file changed since it was last read.
      if (this.monitor.pendingDates().size === 0) return new Map();
      const fingerprint = await this.source.fingerprint();
      if (fingerprint === this.lastFingerprint) return new Map();
      const scored = await scoreFromData(this.monitor, await this.source.get(), this.registry);
      this.lastFingerprint = fingerprint;
      const total = [...scored.values()].reduce((a, b) => a + b, 0);
      if (total > 0) this.log.info(`scored ${total} served forecast(s) against the sales file's new values (${[...scored.keys()].join(", ")})`);
      return scored;
    } catch (error) {
      this.log.warn(`actuals from the sales file could not be read: ${(error as Error).message}`);
      return new Map();
    }
  }
}
