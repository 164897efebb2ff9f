#!/usr/bin/env python3
"""Write the mlforecast + LightGBM fixtures the global GBDT forecaster is compared with
(tests/models/gbdt-forecaster.test.ts).

Run in the anchors virtual environment (scripts/lib/anchors-venv.sh creates it, pinned):

    bash -c 'source scripts/lib/anchors-venv.sh && "$(ensure_anchors_venv | tail -1)" tools/mlforecast_fixtures.py'

One file, tests/fixtures/gbdt-forecaster/mlforecast.json (format_version 1):

    {
      "format_version": 1, "generator": "tools/mlforecast_fixtures.py", "versions": {...}, "seed": 17,
      "cases": [{
        "name", "frequency": "D" | "W", "h", "windows",
        "options": GbdtForecasterOptions (camelCase) giving salescast the same features and parameters,
        "lightgbm_params": what LGBMRegressor got,
        "series": [{"name", "start", "values"}]           (the whole series, held-out part included),
        "feature_names": mlforecast's training columns, in its order,
        "feature_rows": [{"series", "t", "features", "label"}]   (rows of mlforecast's preprocess at the
            last cutoff: t = the period's index in its series, the scaled target as label),
        "forecasts": [{"series", "window", "cutoff_length", "y_hat": [h values], "y_hat_float32": [h values]}]
      }]
    }

The data are seeded synthetic series (never ../shared data) of different levels and lengths:
daily with a weekly cycle, a slow wave and a trend; weekly with a yearly peak in late December.
At each of `windows` cutoffs (h periods apart, the last h periods before the end), mlforecast
fits ONE LightGBM on every series' rows up to its cutoff and forecasts h periods recursively,
as bench/anchors/mlforecast_run.py does. The series code is given to mlforecast as a static
feature (the series' index, names sorted), which is what salescast's seriesCode feature is.

y_hat is mlforecast as users run it: LightGBM gets float64 features. salescast's engine takes
float32 features (LightGBM casts them to float32 too when given float32), and float64 values
that round to one float32 change LightGBM's bin boundaries, so trees differ from the first split
and the forecasts differ as much as two equally good models do. y_hat_float32 is the same
mlforecast pipeline with the features cast to float32 before LightGBM sees them (fit and
predict): salescast must reproduce it to rounding, which checks the whole pipeline (scaling,
features, recursion, scaling back), not only the accuracy.
"""

import argparse
import json
import os
import sys
from importlib.metadata import version

import lightgbm as lgb
import numpy as np
import pandas as pd
from mlforecast import MLForecast
from mlforecast.lag_transforms import RollingMean, RollingStd
from mlforecast.target_transforms import LocalStandardScaler

FORMAT_VERSION = 1
SEED = 17


def week_of_year(dates):
    """ISO week number (1..53), salescast's week_of_year."""
    return pd.Index(dates).isocalendar().week.to_numpy(dtype=np.int64)


class Float32LGBMRegressor(lgb.LGBMRegressor):
    """LightGBM fed float32 features, as salescast's engine is."""

    def fit(self, X, y, **kwargs):
        return super().fit(np.asarray(X, dtype=np.float32), y, **kwargs)

    def predict(self, X, **kwargs):
        return super().predict(np.asarray(X, dtype=np.float32), **kwargs)


def daily_series(rng):
    out = []
    shapes = [(12.0, 420), (150.0, 420), (900.0, 380), (40.0, 300), (5.0, 420), (70.0, 420), (300.0, 400), (20.0, 360), (500.0, 420), (8.0, 420)]
    for i, (level, n) in enumerate(shapes):
        t = np.arange(n)
        weekly = 1 + 0.35 * np.sin(2 * np.pi * (t + i) / 7) + 0.15 * (t % 7 == 5)
        wave = 1 + 0.2 * np.sin(2 * np.pi * t / 91 + i)
        trend = 1 + 0.3 * t / n * (1 if i % 2 == 0 else -1)
        mean = level * weekly * wave * trend
        values = np.maximum(0, mean + rng.normal(0, 0.12 * level, n)).round(2)
        start = pd.Timestamp("2021-01-04") + pd.Timedelta(days=420 - n)
        out.append({"name": f"d{i}", "start": start.strftime("%Y-%m-%d"), "values": values})
    return out


def weekly_series(rng):
    out = []
    shapes = [(100.0, 170), (2500.0, 170), (600.0, 160), (30.0, 170), (900.0, 170), (50.0, 165), (1500.0, 170), (200.0, 170)]
    for i, (level, n) in enumerate(shapes):
        start = pd.Timestamp("2019-01-04") + pd.Timedelta(weeks=170 - n)
        dates = start + pd.to_timedelta(7 * np.arange(n), unit="D")
        week = week_of_year(dates)
        peak = 1 + (0.8 + 0.1 * i) * np.exp(-0.5 * ((week - 51.5) / 1.2) ** 2) + 0.25 * np.exp(-0.5 * ((week - 47) / 0.8) ** 2)
        trend = 1 + 0.2 * np.arange(n) / n
        mean = level * peak * trend
        values = np.maximum(0, mean + rng.normal(0, 0.08 * level, n)).round(2)
        out.append({"name": f"w{i}", "start": start.strftime("%Y-%m-%d"), "values": values})
    return out


def long_frame(series, freq_days):
    frames = []
    for s in series:
        n = len(s["values"])
        ds = pd.Timestamp(s["start"]) + pd.to_timedelta(freq_days * np.arange(n), unit="D")
        frames.append(pd.DataFrame({"unique_id": s["name"], "ds": ds, "y": s["values"]}))
    df = pd.concat(frames).sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    codes = {name: code for code, name in enumerate(sorted(s["name"] for s in series))}
    df["series_code"] = df["unique_id"].map(codes).astype(np.int64)
    return df


CASES = [
    {
        "name": "daily_l1", "frequency": "D", "h": 14, "windows": 4, "objective": "l1",
        "lags": [7, 8, 9, 10, 11, 12, 13, 14, 21, 28],
        "rolling": [("mean", 7, 7), ("mean", 28, 7), ("std", 7, 7)],
        "date_features": ["dayofweek", "month", "dayofyear"], "calendar": ["day_of_week", "month", "day_of_year"],
    },
    {
        "name": "daily_l2", "frequency": "D", "h": 14, "windows": 4, "objective": "l2",
        "lags": [7, 8, 9, 10, 11, 12, 13, 14, 21, 28],
        "rolling": [("mean", 7, 7), ("mean", 28, 7), ("std", 7, 7)],
        "date_features": ["dayofweek", "month", "dayofyear"], "calendar": ["day_of_week", "month", "day_of_year"],
    },
    {
        "name": "weekly_l1", "frequency": "W", "h": 8, "windows": 4, "objective": "l1",
        "lags": [1, 2, 3, 4, 8, 13, 26, 52],
        "rolling": [("mean", 4, 1), ("mean", 13, 1)],
        "date_features": [week_of_year, "month"], "calendar": ["week_of_year", "month"],
    },
]

LGB_PARAMS = {"n_estimators": 100, "learning_rate": 0.1, "num_leaves": 31, "min_child_samples": 20,
              "random_state": 0, "n_jobs": 1, "deterministic": True, "force_col_wise": True, "verbosity": -1}


def salescast_options(case):
    """The GbdtForecasterOptions that give salescast the case's features and parameters."""
    return {
        "horizon": case["h"], "strategy": "recursive", "loss": case["objective"], "scaling": "standard",
        "trainingRows": "complete", "lags": case["lags"], "yearlyLag": None,
        "rolling": [{"stat": s, "window": w, "lag": lag} for s, w, lag in case["rolling"]],
        "calendar": case["calendar"], "seriesCode": True, "seriesScale": False,
        "earlyStopping": False, "fixedIterations": LGB_PARAMS["n_estimators"], "params": {"learning_rate": LGB_PARAMS["learning_rate"]},
    }


def model_for(case, regressor=lgb.LGBMRegressor):
    rolling = {}
    for stat, window, lag in case["rolling"]:
        rolling.setdefault(lag, []).append(RollingMean(window_size=window) if stat == "mean" else RollingStd(window_size=window))
    return MLForecast(
        models={"lgb": regressor(objective=case["objective"], **LGB_PARAMS)},
        freq="D" if case["frequency"] == "D" else pd.offsets.Day(7),
        lags=case["lags"], lag_transforms=rolling, date_features=case["date_features"],
        target_transforms=[LocalStandardScaler()], num_threads=1,
    )


def run_case(case, rng):
    series = daily_series(rng) if case["frequency"] == "D" else weekly_series(rng)
    df = long_frame(series, 1 if case["frequency"] == "D" else 7)
    position = df.groupby("unique_id", sort=False).cumcount()
    lengths = df.groupby("unique_id", sort=False)["y"].transform("size")
    h, windows = case["h"], case["windows"]
    forecasts, feature_rows, feature_names = [], [], None
    for w in range(windows):
        cut = lengths - h * (windows - w)
        train = df[position < cut].reset_index(drop=True)
        model = model_for(case)
        if w == windows - 1:
            prep = model.preprocess(train, id_col="unique_id", time_col="ds", target_col="y", static_features=["series_code"])
            feature_names = [c for c in prep.columns if c not in ("unique_id", "ds", "y")]
            starts = {s["name"]: pd.Timestamp(s["start"]) for s in series}
            step = 1 if case["frequency"] == "D" else 7
            for uid, group in prep.groupby("unique_id", sort=True):
                picks = sorted(set(np.linspace(0, len(group) - 1, 12).round().astype(int)))
                for i in picks:
                    row = group.iloc[i]
                    t = int((row["ds"] - starts[uid]).days // step)
                    feature_rows.append({"series": uid, "t": t, "features": [float(row[c]) for c in feature_names], "label": float(row["y"])})
        predicted = {}
        for key, regressor in (("y_hat", lgb.LGBMRegressor), ("y_hat_float32", Float32LGBMRegressor)):
            model = model_for(case, regressor)
            model.fit(train, id_col="unique_id", time_col="ds", target_col="y", static_features=["series_code"])
            predicted[key] = {uid: group["lgb"].to_numpy(dtype=np.float64) for uid, group in model.predict(h).groupby("unique_id", sort=True)}
        train_lengths = train.groupby("unique_id").size()
        for uid in sorted(predicted["y_hat"]):
            entry = {"series": uid, "window": w, "cutoff_length": int(train_lengths[uid])}
            for key, by_series in predicted.items():
                y_hat = by_series[uid]
                if len(y_hat) != h or not np.all(np.isfinite(y_hat)):
                    sys.exit(f"{case['name']}: bad forecast for {uid}")
                entry[key] = y_hat.tolist()
            forecasts.append(entry)
    return {
        "name": case["name"], "frequency": case["frequency"], "h": h, "windows": windows,
        "options": salescast_options(case), "lightgbm_params": {"objective": case["objective"], **LGB_PARAMS},
        "series": [{"name": s["name"], "start": s["start"], "values": s["values"].tolist()} for s in series],
        "feature_names": feature_names, "feature_rows": feature_rows, "forecasts": forecasts,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "tests", "fixtures", "gbdt-forecaster", "mlforecast.json"))
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    cases = [run_case(case, rng) for case in CASES]
    doc = {
        "format_version": FORMAT_VERSION, "generator": "tools/mlforecast_fixtures.py",
        "versions": {name: version(name) for name in ("mlforecast", "lightgbm", "pandas", "numpy")}, "seed": SEED,
        "cases": cases,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    temporary = f"{args.out}.tmp"
    with open(temporary, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(temporary, args.out)
    print(f"wrote {args.out}: {len(cases)} cases")


if __name__ == "__main__":
    main()
