"""Catalogue anchor for `npm run bench:catalogue`: mlforecast + LightGBM, one global model of every
bottom series, with the features salescast's catalogue GBDT reads.

    python bench/anchors/catalogue_lightgbm.py HISTORY.csv FUTURE.csv OUT.csv H
        [--threads 2] [--rounds 200] [--learning-rate 0.1] [--training-days 365]

HISTORY: unique_id, ds, y and the covariate columns (sell_price, promo, event, snap), one row per
series and day up to the cutoff. FUTURE: unique_id, ds and the covariates of the H days after it.
OUT: unique_id, step (1..H), y_hat. Prints one JSON line: fit and forecast seconds (wall and CPU),
peak RSS in MiB, rows trained on.

Features: lags 7..28 and 364, rolling means of 7 and 28 days ending at lag 7, day of week, month
and day of year, the covariates at the target day (dynamic exogenous, from FUTURE when
forecasting). Objective tweedie (LightGBM's default variance power 1.5), recursive forecasts (as
mlforecast does), `--rounds` trees at `--learning-rate` (no early stopping: mlforecast has none),
31 leaves, min 20 rows per leaf. Training rows: each series' last `--training-days` days where
every lag is known (mlforecast's dropna), as salescast's catalogue.training_days.
"""
import argparse
import json
import resource
import sys
import time

import lightgbm as lgb
import pandas as pd
from mlforecast import MLForecast
from mlforecast.lag_transforms import RollingMean

from anchor_csv import write_csv


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("history")
    parser.add_argument("future")
    parser.add_argument("out")
    parser.add_argument("h", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--training-days", type=int, default=365)
    args = parser.parse_args()

    read = lambda path: pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
    history = read(args.history)
    future = read(args.future)
    history["ds"] = pd.to_datetime(history["ds"])
    future["ds"] = pd.to_datetime(future["ds"])
    # Keep the rows whose longest lag (364) and longest window are known within the training days.
    last = history["ds"].max()
    keep = history["ds"] > last - pd.Timedelta(days=args.training_days + 364 + 35)
    history = history[keep].sort_values(["unique_id", "ds"]).reset_index(drop=True)

    wall, cpu = time.perf_counter(), time.process_time()
    model = lgb.LGBMRegressor(
        objective="tweedie",
        n_estimators=args.rounds,
        learning_rate=args.learning_rate,
        num_leaves=31,
        min_child_samples=20,
        n_jobs=args.threads,
        random_state=0,
        verbose=-1,
    )
    forecaster = MLForecast(
        models={"lgb": model},
        freq="D",
        lags=list(range(7, 29)) + [364],
        lag_transforms={7: [RollingMean(window_size=7), RollingMean(window_size=28)]},
        date_features=["dayofweek", "month", "dayofyear"],
        num_threads=args.threads,
    )
    prepared = forecaster.preprocess(history, static_features=[], dropna=True)
    rows = len(prepared)
    prepared = prepared[prepared["ds"] > last - pd.Timedelta(days=args.training_days)]
    forecaster.fit_models(prepared.drop(columns=["unique_id", "ds", "y"]), prepared["y"])
    fit_seconds, fit_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    predicted = forecaster.predict(h=args.h, X_df=future)
    forecast_seconds, forecast_cpu = time.perf_counter() - wall, time.process_time() - cpu

    predicted = predicted.sort_values(["unique_id", "ds"])
    predicted["step"] = predicted.groupby("unique_id").cumcount() + 1
    write_csv(args.out, ["unique_id", "step", "y_hat"], predicted[["unique_id", "step", "lgb"]].itertuples(index=False, name=None))
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "fit_cpu_seconds": fit_cpu,
                "forecast_seconds": forecast_seconds,
                "forecast_cpu_seconds": forecast_cpu,
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rows": int(len(prepared)),
                "rows_before_window": int(rows),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
