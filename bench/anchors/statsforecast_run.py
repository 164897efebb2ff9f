#!/usr/bin/env python3
"""statsforecast anchor runner: walk-forward forecasts of Nixtla's statsforecast models.

File contract shared by every runner in bench/anchors/ (so that benchmarks can swap them):
  input   a long CSV with columns unique_id,ds,y (one row per series and period, oldest first,
          no gaps);
  output  a long CSV with columns unique_id,cutoff,ds,model,y_hat: for each series, each of
          the `windows` cutoffs (the last one h periods before the end, `step` periods apart,
          refit at each) and each of the h periods after it, the model's mean forecast; `cutoff`
          is the date of the last period the model saw.
  --timing PATH  also writes JSON {model: {"seconds": wall, "cpu_seconds": process CPU time,
          "fits": series x windows}} for fitting and forecasting (compiled code warmed up first,
          not counted).

  .venv-anchors/bin/python bench/anchors/statsforecast_run.py --input in.csv --output out.csv \
      --h 7 --windows 8 --step 7 --season 7 --models AutoARIMA,AutoETS [--timing t.json]

Run in the virtual environment scripts/lib/anchors-venv.sh makes. Dates are replaced by
integer positions (freq 1) inside, so daily and weekly data need no pandas frequency.
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive


def make_model(name: str, season: int):
    makers = {
        "AutoARIMA": lambda: AutoARIMA(season_length=season),
        "AutoETS": lambda: AutoETS(season_length=season),
        "AutoTheta": lambda: AutoTheta(season_length=season),
        "SeasonalNaive": lambda: SeasonalNaive(season_length=season),
    }
    if name not in makers:
        sys.exit(f"statsforecast_run.py: unknown model {name!r}; known: {', '.join(makers)}")
    return makers[name]()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--h", type=int, required=True)
    parser.add_argument("--windows", type=int, required=True)
    parser.add_argument("--step", type=int, required=True)
    parser.add_argument("--season", type=int, required=True)
    parser.add_argument("--models", required=True, help="comma-separated: AutoARIMA, AutoETS, AutoTheta, SeasonalNaive")
    parser.add_argument("--timing")
    args = parser.parse_args()

    frame = pd.read_csv(args.input, dtype={"unique_id": str, "ds": str, "y": float})
    frame["position"] = frame.groupby("unique_id", sort=False).cumcount() + 1
    dates = {(row.unique_id, row.position): row.ds for row in frame.itertuples()}
    data = frame.rename(columns={"ds": "date", "position": "ds"})[["unique_id", "ds", "y"]]

    names = [m for m in args.models.split(",") if m]
    # Compile (numba) or load each model's code once on a small series, outside the timing.
    rng = np.random.default_rng(0)
    warm = pd.DataFrame({"unique_id": "warm", "ds": np.arange(1, 3 * args.season + 31),
                         "y": 10 + rng.normal(size=3 * args.season + 30)})
    for name in names:
        StatsForecast(models=[make_model(name, args.season)], freq=1, n_jobs=1).forecast(df=warm, h=args.h)

    rows = []
    timing = {}
    series = frame["unique_id"].nunique()
    for name in names:
        sf = StatsForecast(models=[make_model(name, args.season)], freq=1, n_jobs=1)
        started = time.perf_counter()
        started_cpu = time.process_time()
        cv = sf.cross_validation(df=data, h=args.h, n_windows=args.windows, step_size=args.step, refit=True)
        timing[name] = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - started_cpu,
                        "fits": series * args.windows}
        cv = cv.reset_index() if "unique_id" not in cv.columns else cv
        for row in cv.itertuples(index=False):
            uid = str(row.unique_id)
            rows.append((uid, dates[(uid, int(row.cutoff))], dates[(uid, int(row.ds))], name, float(getattr(row, name))))

    pd.DataFrame(rows, columns=["unique_id", "cutoff", "ds", "model", "y_hat"]).to_csv(args.output, index=False)
    if args.timing:
        with open(args.timing, "w") as handle:
            json.dump(timing, handle)


if __name__ == "__main__":
    main()
