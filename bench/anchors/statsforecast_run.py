"""Anchor runner: Nixtla's statsforecast on the walk-forward windows of the project's comparisons.

    python bench/anchors/statsforecast_run.py IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv]
        [--levels 80,95] [--mstl-seasons 7,365] [--jobs N] [--arima-approximation r|true|false]

IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
OUT: long CSV unique_id,cutoff,ds,model,y_hat (+ lo_L,hi_L per level with --levels): for each
series, WINDOWS cutoffs STEP periods apart, the last one H periods before the end; each model
refit on the history up to the cutoff (inclusive) and forecasting the H periods after it.
MODELS: comma list of
  autoets   = AutoETS(season_length=SEASON)
  autoarima = AutoARIMA(season_length=SEASON, approximation=...) (see --arima-approximation)
  autotheta = AutoTheta(season_length=SEASON)
  mstl      = MSTL(season_length=--mstl-seasons (default SEASON), trend_forecaster=AutoETS(model="ZZN"))
  ensemble  = the mean of the four above (their forecasts at the same cutoff; no intervals);
              needs all four in MODELS.
  croston, sba, croston_optimized = CrostonClassic, CrostonSBA, CrostonOptimized (no intervals)
  tsb       = TSB(alpha_d=0.1, alpha_p=0.1) (statsforecast's TSB takes fixed alphas; no intervals)
SEASON: one period (7, 52), or several joined by "+" (7+365): the models use the first, MSTL all
  of them unless --mstl-seasons says otherwise.
Output model names are "sf_" + the name.
--levels: prediction interval levels (each model's own intervals; empty cells for ensemble).
--mstl-seasons: MSTL's seasonal periods. statsforecast passes every period to statsmodels' STL,
  which accepts a period longer than half the history (a "yearly" pattern estimated from less
  than two years); this runner keeps, per cutoff, only the periods shorter than half the history,
  as R's forecast::mstl does, and fits the trend forecaster alone when none is left.
--arima-approximation: "r" (default) = R's auto.arima rule, approximate likelihood when the
  history is longer than 150 periods or SEASON > 12; "true"/"false" force it (statsforecast's
  own default is false: about twice the time on long daily series).
--jobs: worker processes, each taking one (series, cutoff) at a time (default 1).
TIMINGS (optional): unique_id,cutoff,model,seconds,spec,cpu_seconds: fit + forecast wall time
per series and window (after one untimed warm-up per process, so numba's compilation is not
counted), the model chosen (AutoETS: its components, e.g. "AAdN"), and the CPU time of the same
(the fairer figure on a busy machine).
Run in the anchors venv (scripts/lib/anchors-venv.sh).
"""
import argparse
import csv
import os
import sys
import time

# One thread per process for the numeric libraries: parallelism comes from --jobs.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import warnings  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402
from statsforecast.models import (  # noqa: E402
    MSTL,
    TSB,
    AutoARIMA,
    AutoETS,
    AutoTheta,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
)

from anchor_csv import write_csv  # noqa: E402

BASE_MODELS = ("autoets", "autoarima", "autotheta", "mstl")
# Intermittent-demand methods: point forecasts only.
INTERMITTENT = {
    "croston": CrostonClassic,
    "sba": CrostonSBA,
    "croston_optimized": CrostonOptimized,
    "tsb": lambda: TSB(alpha_d=0.1, alpha_p=0.1),
}
KNOWN = BASE_MODELS + ("ensemble",) + tuple(INTERMITTENT)


def make(name: str, season: int, n: int, options) -> object:
    if name == "autoets":
        return AutoETS(season_length=season)
    if name == "autoarima":
        mode = options.arima_approximation
        approximation = (n > 150 or season > 12) if mode == "r" else mode == "true"
        return AutoARIMA(season_length=season, approximation=approximation)
    if name == "autotheta":
        return AutoTheta(season_length=season)
    if name == "mstl":
        seasons = [s for s in options.mstl_seasons if 2 * s < n]
        if not seasons:
            return AutoETS(model="ZZN")
        return MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN"))
    if name in INTERMITTENT:
        return INTERMITTENT[name]()
    raise SystemExit(f"unknown model {name!r}; known: {', '.join(KNOWN)}")


def spec_of(model) -> str:
    fitted = getattr(model, "model_", None)
    if isinstance(fitted, dict):
        if "modeltype" in fitted:  # AutoTheta
            return str(fitted["modeltype"])
        if "arma" in fitted:  # ARIMA: (p, q, P, Q, s, d, D)
            p, q, P, Q, s, d, D = fitted["arma"]
            return f"ARIMA({p},{d},{q})({P},{D},{Q})[{s}]"
        for key in ("method", "components"):
            if key in fitted:
                value = fitted[key]
                text = value if isinstance(value, str) else "".join(str(v) for v in value)
                return text.replace("ETS", "").replace("(", "").replace(")", "").replace(",", "")
    if isinstance(model, MSTL):
        return "MSTL" + str(model.season_length).replace(" ", "")
    return ""


_options = None


def _init(options) -> None:
    global _options
    _options = options
    warnings.simplefilter("ignore")
    # warm-up: numba compiles on the first fit; not part of any timing
    y = np.abs(np.sin(np.arange(200.0))) + 1.0 + np.arange(200.0) / 50
    for name in options.base:
        levels = options.levels if name not in INTERMITTENT else None
        make(name, options.season, len(y), options).fit(y).predict(3, level=levels or None)


def _window(task):
    """Every model on one series and cutoff: (rows, timings, failures)."""
    uid, ds, y, train_n = task
    o = _options
    h, levels = o.h, o.levels
    rows, times, failures = [], [], []
    means = {}
    for name in o.base:
        try:
            model = make(name, o.season, train_n, o)
            with_levels = levels and name not in INTERMITTENT
            started, cpu_started = time.perf_counter(), time.process_time()
            model.fit(y[:train_n])
            out = model.predict(h, level=levels) if with_levels else model.predict(h)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            mean = np.asarray(out["mean"], dtype=np.float64)
            if mean.shape != (h,) or not np.all(np.isfinite(mean)):
                raise ValueError("non-finite or missing forecasts")
        except Exception as error:  # an anchor that fails on a series is reported, not fatal
            failures.append(f"{uid} cutoff {ds[train_n - 1]} sf_{name}: {type(error).__name__}: {error}")
            continue
        means[name] = mean
        for k in range(h):
            bounds = []
            for level in levels:
                bounds += [float(out[f"lo-{level}"][k]), float(out[f"hi-{level}"][k])] if with_levels else ["", ""]
            rows.append([uid, ds[train_n - 1], ds[train_n + k], f"sf_{name}", float(mean[k]), *bounds])
        times.append((uid, ds[train_n - 1], f"sf_{name}", seconds, spec_of(model), cpu_seconds))
    if o.ensemble and all(name in means for name in BASE_MODELS):
        mean = np.mean([means[name] for name in BASE_MODELS], axis=0)
        for k in range(h):
            rows.append([uid, ds[train_n - 1], ds[train_n + k], "sf_ensemble", float(mean[k]), *([""] * (2 * len(levels)))])
        members = [t for t in times if t[2] in {f"sf_{n}" for n in BASE_MODELS}]
        times.append((uid, ds[train_n - 1], "sf_ensemble", sum(t[3] for t in members), "mean of 4", sum(t[5] for t in members)))
    return rows, times, failures


def parse_args(argv):
    parser = argparse.ArgumentParser(usage=__doc__)
    for name in ("input", "output", "h", "windows", "step", "season", "models"):
        parser.add_argument(name)
    parser.add_argument("timings", nargs="?")
    parser.add_argument("--levels", default="")
    parser.add_argument("--mstl-seasons", default="")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--arima-approximation", choices=("r", "true", "false"), default="r")
    o = parser.parse_args(argv)
    o.h, o.windows, o.step = int(o.h), int(o.windows), int(o.step)
    seasons = [int(round(float(v))) for v in o.season.split("+")]
    o.season = seasons[0]
    o.levels = [int(v) for v in o.levels.split(",") if v]
    o.mstl_seasons = sorted(int(round(float(v))) for v in o.mstl_seasons.split(",") if v) or sorted(seasons)
    names = [m for m in o.models.split(",") if m]
    unknown = [m for m in names if m not in KNOWN]
    if unknown or not names:
        raise SystemExit(f"unknown model(s) {unknown or names}; known: {', '.join(KNOWN)}")
    o.ensemble = "ensemble" in names
    if o.ensemble and not all(m in names for m in BASE_MODELS):
        raise SystemExit(f"ensemble is the mean of {', '.join(BASE_MODELS)}: list all four in MODELS")
    o.base = [m for m in names if m != "ensemble"]
    return o


def main() -> None:
    options = parse_args(sys.argv[1:])
    series: dict[str, list[tuple[str, float]]] = {}
    with open(options.input, newline="") as f:
        for row in csv.DictReader(f):
            series.setdefault(row["unique_id"], []).append((row["ds"], float(row["y"])))
    tasks = []
    for uid, values in series.items():
        values.sort()
        ds = [d for d, _ in values]
        y = np.array([v for _, v in values], dtype=np.float64)
        for w in range(1, options.windows + 1):
            train_n = len(y) - options.h - options.step * (options.windows - w)
            if train_n >= 1:
                tasks.append((uid, ds, y, train_n))
    if options.jobs > 1:
        with ProcessPoolExecutor(options.jobs, initializer=_init, initargs=(options,)) as pool:
            results = list(pool.map(_window, tasks, chunksize=1))
    else:
        _init(options)
        results = [_window(task) for task in tasks]
    rows = [r for result in results for r in result[0]]
    times = [t for result in results for t in result[1]]
    failures = [f for result in results for f in result[2]]
    for failure in failures:
        print(f"statsforecast: {failure}", file=sys.stderr)
    bounds = [f"{side}_{level}" for level in options.levels for side in ("lo", "hi")]
    write_csv(options.output, ["unique_id", "cutoff", "ds", "model", "y_hat", *bounds], rows)
    if options.timings:
        write_csv(options.timings, ["unique_id", "cutoff", "model", "seconds", "spec", "cpu_seconds"], times)


if __name__ == "__main__":
    main()
