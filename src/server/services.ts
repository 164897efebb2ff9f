// What every route group reaches through the instance (`app.salescast`), decorated once by
// buildApp(): no module globals, so two apps in one process (tests) never share state.
import type { ModelCache } from "../forecaster/model-cache.js";
import type { ResilientRegistry } from "../registry/index.js";
import type { JobManager } from "./jobs/job-manager.js";
import type { ServerMetrics } from "./metrics.js";
import type { ActualsWatch } from "./monitoring/actuals-from-data.js";
import type { ForecastMonitor } from "./monitoring/forecast-monitor.js";
import type { MonitorFile } from "./monitoring/monitor-file.js";
import type { RetrainSchedule } from "./retrain/scheduler.js";
import type { ResolvedServerOptions } from "./options.js";
import type { SalesDataCache } from "./sales-data.js";

export interface SalescastServices {
  options: ResolvedServerOptions;
  /** The served registry behind its snapshot and load checks (src/registry/resilient-registry.ts). */
  registry: ResilientRegistry;
  models: ModelCache;
  data: SalesDataCache;
  jobs: JobManager;
  metrics: ServerMetrics;
  /** Served forecasts by date, scored when actuals arrive (monitoring/forecast-monitor.ts). */
  monitor: ForecastMonitor;
  /** The monitor's file, saved in the background and at close (monitoring/monitor-file.ts). */
  monitorFile: MonitorFile;
  /** Actuals from a changed sales file (monitoring/actuals-from-data.ts). */
  actualsWatch: ActualsWatch;
  /** schedule.retrain's rounds, when set (started with the server). */
  retrain?: RetrainSchedule;
  startedAt: number;
  /** The category POST /api/predict and POST /api/train use when none is named (data.item_id, see defaultCategory). */
  defaultCategory(): Promise<string>;
}

declare module "fastify" {
  interface FastifyInstance {
    salescast: SalescastServices;
  }
}
