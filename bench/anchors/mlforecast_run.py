"""Anchor runner: Nixtla's mlforecast with one global LightGBM on the project's walk-forward windows.

    python bench/anchors/mlforecast_run.py IN.csv OUT.csv H WINDOWS STEP FREQ [TIMINGS.csv]
        [--threads 2] [--seed 0] [--objective l1|l2] [--model-name mlf_lightgbm]

IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
OUT: long CSV unique_id,cutoff,ds,model,y_hat (model "mlf_lightgbm"): WINDOWS cutoffs per series,
STEP periods apart, the last one H periods before the series' end. At each cutoff ONE model is
trained on the rows of every series up to its cutoff (a global model, refit at every cutoff) and
forecasts the H periods after it recursively (mlforecast feeds its forecasts back as lags).
FREQ: D (daily) or W (weekly: 7-day periods, anchored on the data's own dates).
TIMINGS (optional): cutoff,model,seconds,spec,cpu_seconds: the fit + forecast time of each
cutoff, wall and CPU (user + system of the process, all threads).
--objective (default l1) and --model-name (default mlf_lightgbm) let a bench run the same
features with LightGBM's L2 objective beside it.

Features, fixed per frequency (nothing fitted to a dataset):
  every frequency: the target scaled per series (mlforecast's LocalStandardScaler, fitted on each
    cutoff's training rows; forecasts are scaled back), LightGBM's L1 objective (--objective), its default
    trees otherwise (100 trees, learning rate 0.1, 31 leaves), deterministic with --seed, --threads.
  D: lags 7..28 (every lag), rolling means of 7 and 28 days of lag 7, day of week, month.
  W: lags 1, 2, 3, 4, 8, 13, 26 and 52, rolling means of 4 and 13 weeks of lag 1, ISO week of
    year, month. Lag 52 (a year before) only when every series has at least 104 periods at the
    first cutoff (two years: a year of rows left to learn from); otherwise it is left out and
    the runner says so.
Run in the anchors venv (scripts/lib/anchors-venv.sh).
"""
import argparse
import sys
import time
import warnings

import lightgbm as lgb
import numpy as np
import pandas as pd
from mlforecast import MLForecast
from mlforecast.lag_transforms import RollingMean
from mlforecast.target_transforms import LocalStandardScaler

from anchor_csv import write_csv

MODEL = "mlf_lightgbm"


def week_of_year(dates):
    """ISO week number (1..53): where the year's peaks fall for weekly data."""
    return pd.Index(dates).isocalendar().week.to_numpy(dtype=np.int64)


def features(freq: str, shortest_history: int):
    """(lags, lag_transforms, date_features, description) for FREQ."""
    if freq == "D":
        lags = list(range(7, 29))
        return lags, {7: [RollingMean(window_size=7), RollingMean(window_size=28)]}, ["dayofweek", "month"], \
            "lags 7..28, rolling means 7 and 28 of lag 7, day of week, month"
    lags = [1, 2, 3, 4, 8, 13, 26]
    yearly = shortest_history >= 104
    if yearly:
        lags.append(52)
    else:
        print(f"mlforecast: lag 52 left out (the shortest series has {shortest_history} periods at the first cutoff, under 104)", file=sys.stderr)
    return lags, {1: [RollingMean(window_size=4), RollingMean(window_size=13)]}, [week_of_year, "month"], \
        f"lags {','.join(map(str, lags))}, rolling means 4 and 13 of lag 1, week of year, month"


def main() -> None:
    parser = argparse.ArgumentParser(usage=__doc__)
    for name in ("input", "output", "h", "windows", "step", "freq"):
        parser.add_argument(name)
    parser.add_argument("timings", nargs="?")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--objective", choices=["l1", "l2"], default="l1")
    parser.add_argument("--model-name", default=MODEL)
    o = parser.parse_args()
    h, windows, step = int(o.h), int(o.windows), int(o.step)
    if o.freq not in ("D", "W"):
        raise SystemExit(f"FREQ must be D or W, got {o.freq!r}")
    warnings.simplefilter("ignore")

    data = pd.read_csv(o.input, dtype={"unique_id": str, "ds": str, "y": np.float64})
    data = data.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    data["ds"] = pd.to_datetime(data["ds"], format="%Y-%m-%d")
    lengths = data.groupby("unique_id", sort=False).size()
    shortest = int(lengths.min()) - h - step * (windows - 1)
    lags, lag_transforms, date_features, description = features(o.freq, shortest)
    freq = "D" if o.freq == "D" else pd.offsets.Day(7)
    # rows a series needs at a cutoff: the longest lag or lagged rolling window, plus one to learn from
    needed = max([*lags, *(lag + t.window_size - 1 for lag, ts in lag_transforms.items() for t in ts)]) + 1
    print(f"mlforecast: {description}; LightGBM objective {o.objective}, seed {o.seed}, {o.threads} threads", file=sys.stderr)

    position = data.groupby("unique_id", sort=False).cumcount()
    rows, times = [], []
    for w in range(1, windows + 1):
        train_n = data["unique_id"].map(lengths) - h - step * (windows - w)
        train = data[position < train_n]
        short = train.groupby("unique_id").size()
        short = short[short < needed]
        if len(short):
            print(f"mlforecast: window {w}: left out {len(short)} series shorter than {needed} periods at the cutoff: {', '.join(short.index[:5])}", file=sys.stderr)
            train = train[~train["unique_id"].isin(short.index)]
        model = MLForecast(
            models={o.model_name: lgb.LGBMRegressor(objective=o.objective, random_state=o.seed, n_jobs=o.threads,
                                             deterministic=True, force_col_wise=True, verbosity=-1)},
            freq=freq, lags=lags, lag_transforms=lag_transforms, date_features=date_features,
            target_transforms=[LocalStandardScaler()], num_threads=o.threads,
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        model.fit(train, id_col="unique_id", time_col="ds", target_col="y", static_features=[])
        forecast = model.predict(h)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        cutoffs = train.groupby("unique_id")["ds"].max()
        forecast["step"] = forecast.groupby("unique_id").cumcount() + 1
        for uid, ds, step_k, y_hat in forecast[["unique_id", "ds", "step", o.model_name]].itertuples(index=False):
            cutoff = cutoffs[uid]
            if ds != cutoff + (step_k * (pd.Timedelta(days=1) if o.freq == "D" else pd.Timedelta(days=7))):
                raise SystemExit(f"mlforecast: forecast date {ds} of {uid} is not step {step_k} after its cutoff {cutoff}")
            if not np.isfinite(y_hat):
                raise SystemExit(f"mlforecast: non-finite forecast for {uid} at {ds}")
            rows.append([uid, cutoff.strftime("%Y-%m-%d"), ds.strftime("%Y-%m-%d"), o.model_name, float(y_hat)])
        times.append([f"window {w}", o.model_name, seconds, description, cpu_seconds])
    write_csv(o.output, ["unique_id", "cutoff", "ds", "model", "y_hat"], rows)
    if o.timings:
        write_csv(o.timings, ["cutoff", "model", "seconds", "spec", "cpu_seconds"], times)


if __name__ == "__main__":
    main()
