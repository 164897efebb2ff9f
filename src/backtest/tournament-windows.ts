// Where the tournament's cutoffs fall (model.auto): nested selection and evaluation windows.
//
// The E evaluation cutoffs are those of a plain backtest (the last window ends at the series'
// end, S periods apart). The W selection cutoffs come before them, placed so that every
// selection target lies before the first evaluation cutoff: a selection window never sees a
// period an evaluation window scores, whatever the step. That is what makes the split nested:
// the choice reads only the selection windows, so the evaluation windows are as unseen as a
// test part (a poisoned evaluation period cannot change the choice).
import type { Config } from "../config/schema.js";
import { backtestCutoffs, BacktestError } from "./windows.js";

export interface TournamentWindows {
  /** Steps forecast from each cutoff. */
  horizon: number;
  selectionWindows: number;
  evaluationWindows: number;
  /** Periods between two evaluation cutoffs. */
  step: number;
  /**
   * Periods between two selection cutoffs (default: step). Also the origins each selection fit
   * forecasts from for the interval residuals: backtest --auto keeps model.auto's here whatever
   * step the evaluation protocol asks for, so the choice and the intervals do not depend on it.
   */
  selectionStep?: number;
}

export interface TournamentCutoffs {
  /** Cutoffs (numbers of observed periods) of the selection windows, oldest first. */
  selection: number[];
  /** Cutoffs of the evaluation windows, oldest first. */
  evaluation: number[];
}

/** The windows model.auto configures (step 0 = the horizon). */
export function configuredWindows(config: Config): TournamentWindows {
  const auto = config.model.auto;
  return { horizon: auto.horizon, selectionWindows: auto.selection_windows, evaluationWindows: auto.evaluation_windows, step: auto.step || auto.horizon };
}

/**
 * Both parts' cutoffs for a series of `length` periods. Throws a BacktestError saying what to
 * change when the first selection cutoff would leave fewer than `minHistory` periods.
 */
export function tournamentCutoffs(length: number, windows: TournamentWindows, minHistory: number, what = "the series"): TournamentCutoffs {
  const { horizon, step } = windows;
  const selectionStep = windows.selectionStep ?? step;
  const evaluation = backtestCutoffs(length, { horizon, windows: windows.evaluationWindows, step }, minHistory, what);
  // The last selection window's targets end just before the first evaluation cutoff.
  const selectionEnd = evaluation[0];
  const selection = Array.from({ length: windows.selectionWindows }, (_, i) => selectionEnd - horizon - (windows.selectionWindows - 1 - i) * selectionStep);
  if (selection[0] < minHistory) {
    const room = selectionEnd - horizon - minHistory;
    const fit = room < 0 ? 0 : Math.floor(room / selectionStep) + 1;
    throw new BacktestError(
      `${what} has ${length} periods, too short for ${windows.selectionWindows} selection and ${windows.evaluationWindows} evaluation windows ` +
        `of horizon ${horizon} every ${selectionStep}/${step} periods: the first selection cutoff would leave ${Math.max(selection[0], 0)} periods to fit on, ` +
        `at least ${minHistory} are needed. ` +
        (fit > 0
          ? `At most ${fit} selection window${fit === 1 ? "" : "s"} fit: set model.auto.selection_windows=${fit}, or a smaller step, horizon or evaluation_windows.`
          : `Lower model.auto.evaluation_windows, model.auto.horizon or model.auto.step, or use a longer series.`),
    );
  }
  return { selection, evaluation };
}
