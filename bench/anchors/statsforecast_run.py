"""Anchor runner: Nixtla's statsforecast on the walk-forward windows of the project's comparisons.

    python bench/anchors/statsforecast_run.py IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv]

IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
OUT: long CSV unique_id,cutoff,ds,model,y_hat: for each series, WINDOWS cutoffs STEP periods
apart, the last one H periods before the end; each model refit on the history up to the cutoff
(inclusive) and forecasting the H periods after it. Model names in OUT are "sf_" + the name.
SEASON: one period (7, 52), or several joined by "+" (7+365) for mstl; the other models use the
first.
MODELS: comma list of
    autoarima          AutoARIMA(season_length)
    autoets            AutoETS(season_length)
    autotheta          AutoTheta(season_length)
    croston, sba, croston_optimized    CrostonClassic, CrostonSBA, CrostonOptimized
    tsb                TSB(alpha_d=0.1, alpha_p=0.1) (statsforecast's TSB takes fixed alphas)
    mstl               MSTL(season_length=[all periods], trend_forecaster=AutoETS(model="ZZN"))
TIMINGS (optional): unique_id,cutoff,model,seconds,spec,cpu_seconds: fit plus forecast wall
time per series and window (after one untimed warm-up per model), the model chosen where
statsforecast says, and the CPU time of the same (process-wide: the fairer figure on a busy
machine).
Run in the anchors venv (scripts/lib/anchors-venv.sh).
"""
import csv
import sys
import time

import numpy as np
from statsforecast.models import (
    MSTL,
    AutoARIMA,
    TSB,
    AutoETS,
    AutoTheta,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
)

MAKERS = {
    "autoarima": lambda seasons: AutoARIMA(season_length=seasons[0]),
    "autoets": lambda seasons: AutoETS(season_length=seasons[0]),
    "autotheta": lambda seasons: AutoTheta(season_length=seasons[0]),
    "croston": lambda seasons: CrostonClassic(),
    "sba": lambda seasons: CrostonSBA(),
    "croston_optimized": lambda seasons: CrostonOptimized(),
    "tsb": lambda seasons: TSB(alpha_d=0.1, alpha_p=0.1),
    "mstl": lambda seasons: MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN")),
}


def make(name: str, seasons: list[int]):
    if name not in MAKERS:
        raise SystemExit(f"unknown model {name!r}; known: {', '.join(MAKERS)}")
    return MAKERS[name](seasons)


def spec_of(model) -> str:
    fitted = getattr(model, "model_", None)
    if isinstance(fitted, dict):
        if "modeltype" in fitted:  # AutoTheta
            return str(fitted["modeltype"])
        for key in ("method", "components"):
            if key in fitted:
                value = fitted[key]
                text = value if isinstance(value, str) else "".join(str(v) for v in value)
                return text.replace("ETS", "").replace("(", "").replace(")", "").replace(",", "")
    return ""


def main() -> None:
    if len(sys.argv) < 8:
        raise SystemExit(__doc__)
    src, out, h, windows, step, season, models = sys.argv[1:8]
    timings = sys.argv[8] if len(sys.argv) > 8 else None
    h, windows, step = int(h), int(windows), int(step)
    seasons = [int(round(float(s))) for s in season.split("+")]
    series: dict[str, list[tuple[str, float]]] = {}
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            series.setdefault(row["unique_id"], []).append((row["ds"], float(row["y"])))
    names = models.split(",")
    # Warm-up: the first fit of a model loads and initialises its code; not part of any timing.
    warm = np.abs(np.sin(np.arange(3.0 * max(seasons) + 10))) + 1.0
    for name in names:
        make(name, seasons).fit(warm).predict(h)
    rows, times = [], []
    for uid, values in series.items():
        values.sort()
        ds = [d for d, _ in values]
        y = np.array([v for _, v in values], dtype=np.float64)
        n = len(y)
        for w in range(1, windows + 1):
            train_n = n - h - step * (windows - w)
            if train_n < 1:
                continue
            for name in names:
                model = make(name, seasons)
                started, cpu_started = time.perf_counter(), time.process_time()
                model.fit(y[:train_n])
                mean = model.predict(h)["mean"]
                seconds = time.perf_counter() - started
                cpu_seconds = time.process_time() - cpu_started
                for k in range(h):
                    rows.append((uid, ds[train_n - 1], ds[train_n + k], f"sf_{name}", float(mean[k])))
                times.append((uid, ds[train_n - 1], f"sf_{name}", seconds, spec_of(model), cpu_seconds))
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["unique_id", "cutoff", "ds", "model", "y_hat"])
        writer.writerows(rows)
    if timings:
        with open(timings, "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["unique_id", "cutoff", "model", "seconds", "spec", "cpu_seconds"])
            writer.writerows(times)


if __name__ == "__main__":
    main()
