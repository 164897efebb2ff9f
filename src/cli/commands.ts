// Every `salescast` command, in the order `salescast --help` lists them.
import type { CommandSpec } from "./spec.js";
import { startCommand } from "./start.js";
import { demoDataCommand } from "./demo-data.js";
import { ingestCommand } from "./ingest.js";
import { trainCommand } from "./train.js";
import { evaluateCommand } from "./evaluate.js";
import { runsCommand } from "./runs.js";
import { predictCommand } from "./predict.js";
import { forecastCommand } from "./forecast.js";
import { exportCommand } from "./export.js";
import { serveCommand } from "./serve.js";
import { promoteCommand } from "./promote.js";
import { retrainCommand } from "./retrain.js";
import { backtestCommand } from "./backtest.js";
import { leaderboardCommand } from "./leaderboard.js";
import { workerCommand } from "./worker.js";
import { jobsCommand } from "./jobs.js";

export const commands: CommandSpec[] = [
  startCommand,
  demoDataCommand,
  ingestCommand,
  trainCommand,
  evaluateCommand,
  runsCommand,
  predictCommand,
  forecastCommand,
  exportCommand,
  promoteCommand,
  retrainCommand,
  serveCommand,
  backtestCommand,
  leaderboardCommand,
  workerCommand,
  jobsCommand,
];
