// Backtest: walk-forward (rolling-origin) evaluation, generic over model families. For each
// cutoff every candidate (the configured model, its variants, the baselines of the families
// list) is fitted on the periods before it through the pipeline training uses, forecasts the
// next H periods through the one model interface, and is scored per step (RMSE, MAE, sMAPE,
// MASE with each cutoff's own scale) beside the others, with the configured model's interval
// coverage; categories or cutoffs run on worker threads when the build has them. It knows no
// kind by name: the families list (src/models/families.ts) says which baselines run.
export {
  aggregateRows,
  backtest,
  BacktestError,
  backtestCutoffs,
  backtestSeries,
  candidatesFor,
  checkVariants,
  mergeBacktests,
  parseVariants,
  windowsThatFit,
  type BacktestAggregate,
  type BacktestCandidate,
  type BacktestCoverage,
  type BacktestOptions,
  type BacktestReport,
  type BacktestRow,
  type BacktestWindowOptions,
  type CategoryBacktest,
  type RefitMode,
} from "./backtest.js";
export { backtestJson, backtestRowsCsv, formatBacktestReport } from "./format.js";
