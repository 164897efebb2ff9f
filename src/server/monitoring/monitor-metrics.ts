// /metrics series of forecast-quality monitoring (forecast-monitor.ts), computed when scraped.
import { Gauge } from "prom-client";
import type { ServerMetrics } from "../metrics.js";
import type { ForecastMonitor } from "./forecast-monitor.js";

export function monitorMetrics(metrics: ServerMetrics, monitor: ForecastMonitor): void {
  const each = (gauge: Gauge<string>, value: (live: ReturnType<ForecastMonitor["live"]>) => number | null) => {
    gauge.reset();
    for (const category of monitor.categories()) {
      const v = value(monitor.live(category));
      if (v !== null) gauge.set({ category }, v);
    }
  };
  new Gauge({
    name: "salescast_live_mase",
    help: "MASE of the last app.monitor_window served forecasts scored against actuals, on the served versions' own scale",
    labelNames: ["category"],
    registers: [metrics.registry],
    collect() {
      each(this, (live) => live.mase);
    },
  });
  new Gauge({
    name: "salescast_validation_mase",
    help: "Validation MASE of the versions whose forecasts were scored (what salescast_live_mase is compared with)",
    labelNames: ["category"],
    registers: [metrics.registry],
    collect() {
      each(this, (live) => live.validation_mase);
    },
  });
  new Gauge({
    name: "salescast_live_scored_forecasts",
    help: "Scored forecasts the live figures are over",
    labelNames: ["category"],
    registers: [metrics.registry],
    collect() {
      each(this, (live) => live.scored);
    },
  });
  new Gauge({
    name: "salescast_live_interval_coverage",
    help: "Share of actuals inside the served prediction interval, by nominal level (percent)",
    labelNames: ["category", "level"],
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const category of monitor.categories()) {
        for (const c of monitor.live(category).coverage) this.set({ category, level: String(c.level) }, c.coverage);
      }
    },
  });
}
