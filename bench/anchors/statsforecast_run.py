"""Anchor runner: Nixtla's statsforecast on the walk-forward windows of the project's comparisons.

    python bench/anchors/statsforecast_run.py IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv]

IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
OUT: long CSV unique_id,cutoff,ds,model,y_hat: for each series, WINDOWS cutoffs STEP periods
apart, the last one H periods before the end; each model refit on the history up to the cutoff
(inclusive) and forecasting the H periods after it.
MODELS: comma list; "autoets" = statsforecast.models.AutoETS(season_length=SEASON).
TIMINGS (optional): unique_id,cutoff,model,seconds,spec: fit time per series and window (after
one untimed warm-up fit, so numba's compilation is not counted) and the model chosen.
Run in the anchors venv (scripts/lib/anchors-venv.sh).
"""
import csv
import sys
import time

import numpy as np
from statsforecast.models import AutoETS


def make(name: str, season: int):
    if name == "autoets":
        return AutoETS(season_length=season)
    raise SystemExit(f"unknown model {name!r}; known: autoets")


def spec_of(model) -> str:
    fitted = getattr(model, "model_", None)
    if isinstance(fitted, dict):
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
    season = int(round(float(season)))
    series: dict[str, list[tuple[str, float]]] = {}
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            series.setdefault(row["unique_id"], []).append((row["ds"], float(row["y"])))
    names = models.split(",")
    # warm-up: numba compiles on the first fit; not part of any timing
    for name in names:
        make(name, season).fit(np.abs(np.sin(np.arange(60.0))) + 1.0)
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
                model = make(name, season)
                started = time.perf_counter()
                model.fit(y[:train_n])
                seconds = time.perf_counter() - started
                mean = model.predict(h)["mean"]
                for k in range(h):
                    rows.append((uid, ds[train_n - 1], ds[train_n + k], f"sf_{name}", float(mean[k])))
                times.append((uid, ds[train_n - 1], f"sf_{name}", seconds, spec_of(model)))
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["unique_id", "cutoff", "ds", "model", "y_hat"])
        writer.writerows(rows)
    if timings:
        with open(timings, "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["unique_id", "cutoff", "model", "seconds", "spec"])
            writer.writerows(times)


if __name__ == "__main__":
    main()
