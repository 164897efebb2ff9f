#!/usr/bin/env python3
"""Write the statsforecast reference fixtures the statistical-family tests read.

Run in the anchors virtual environment (bash scripts/lib/anchors-venv.sh makes it):

    .venv-anchors/bin/python tools/statsforecast_fixtures.py [--family theta|intermittent|mstl|all]

Every series is synthetic and seeded (numpy's default_rng), never the shared data. For each
family this writes tests/fixtures/<family>/statsforecast.json:

    {"format_version": 1, "generator": "tools/statsforecast_fixtures.py",
     "versions": {"statsforecast": ..., "statsmodels": ..., "numpy": ..., "python": ...},
     "cases": [{"name", "y": [...], "h", ...family-specific inputs and outputs}]}

and tests/fixtures/<family>/series.csv (name,t,y) so tools/r_fixtures.R works on the same
series.
"""

import argparse
import csv
import importlib.metadata as metadata
import json
import os
import platform
import warnings

import numpy as np

FORMAT_VERSION = 1
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def versions():
    return {
        "statsforecast": metadata.version("statsforecast"),
        "statsmodels": metadata.version("statsmodels"),
        "numpy": metadata.version("numpy"),
        "python": platform.python_version(),
    }


def write(family, cases):
    folder = os.path.join(ROOT, "tests", "fixtures", family)
    os.makedirs(folder, exist_ok=True)
    doc = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/statsforecast_fixtures.py",
        "versions": versions(),
        "cases": cases,
    }
    path = os.path.join(folder, "statsforecast.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    with open(os.path.join(folder, "series.csv.tmp"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["name", "period", "t", "y"])
        for case in cases:
            for t, value in enumerate(case["y"]):
                out.writerow([case["name"], case.get("period", 1), t, repr(float(value))])
    os.replace(os.path.join(folder, "series.csv.tmp"), os.path.join(folder, "series.csv"))
    print(f"wrote {path} ({len(cases)} cases)")


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64)]


# ---------------------------------------------------------------- theta

def theta_series():
    rng = np.random.default_rng(20240517)
    t = np.arange(200, dtype=np.float64)
    series = []
    # Trend and noise, no season.
    series.append(("trend_noise", 1, 12, 50 + 0.8 * t[:60] + rng.normal(0, 3, 60)))
    # Monthly, multiplicative season on a rising level.
    season12 = 1 + 0.3 * np.sin(2 * np.pi * t[:96] / 12)
    series.append(("monthly_multiplicative", 12, 18, (100 + 1.5 * t[:96]) * season12 * np.exp(rng.normal(0, 0.03, 96))))
    # Daily with a weekday pattern.
    weekday = np.array([0.8, 1.0, 1.1, 1.05, 1.2, 1.4, 0.6])
    series.append(("daily_weekly", 7, 14, (200 + 0.2 * t[:200]) * weekday[np.arange(200) % 7] + rng.normal(0, 8, 200)))
    # Crosses zero: the multiplicative decomposition must fall back to additive.
    series.append(("quarterly_negative", 4, 8, 5 * np.sin(2 * np.pi * t[:40] / 4) + 0.05 * t[:40] + rng.normal(0, 1, 40)))
    # Random walk with drift: the dynamic models matter here.
    series.append(("random_walk", 1, 10, 30 + np.cumsum(0.3 + rng.normal(0, 1, 150))))
    # Short: the fewest periods with a fit.
    series.append(("short", 1, 5, np.array([12.0, 15.0, 11.0, 14.0, 16.0, 13.0, 17.0, 15.0])))
    # Seasonal period given, but no season in the data: the test must say no.
    series.append(("no_season_m7", 7, 7, 80 + rng.normal(0, 5, 84)))
    return series


def theta_cases():
    from statsforecast.theta import auto_theta, forecast_theta

    cases = []
    for name, m, h, y in theta_series():
        y = np.asarray(y, dtype=np.float64)
        case = {"name": name, "period": m, "h": h, "y": floats(y), "models": {}}
        for model in [None, "STM", "OTM", "DSTM", "DOTM"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = auto_theta(y, m, model=model)
            out = forecast_theta(fit, h)
            case["models"]["auto" if model is None else model] = {
                "model": fit["modeltype"],
                "initial_smoothed": float(fit["par"]["initial_smoothed"]),
                "alpha": float(fit["par"]["alpha"]),
                "theta": float(fit["par"]["theta"]),
                "mse": float(fit["mse"]),
                "decompose": bool(fit.get("decompose", False)),
                "decomposition_type": fit.get("decomposition_type"),
                "mean": floats(out["mean"]),
            }
        cases.append(case)
    return cases


# ---------------------------------------------------------------- intermittent

def intermittent_series():
    rng = np.random.default_rng(77)
    series = []
    # Intermittent: demand on about a third of the periods, sizes around 5.
    occur = rng.random(120) < 0.35
    series.append(("intermittent", occur * np.maximum(1, np.round(rng.normal(5, 1.2, 120)))))
    # Lumpy: rare and very variable.
    occur = rng.random(150) < 0.2
    series.append(("lumpy", occur * np.round(rng.lognormal(1.5, 1.1, 150))))
    # Smooth: demand nearly every period.
    series.append(("smooth", np.round(rng.normal(20, 3, 100)).clip(1)))
    # Erratic: demand nearly every period, very variable.
    series.append(("erratic", np.round(rng.lognormal(2.0, 1.0, 100)) * (rng.random(100) < 0.9)))
    # Ends in a long run of zeros (obsolescence: TSB should decay, Croston should not).
    occur = np.concatenate([rng.random(80) < 0.5, np.zeros(40, dtype=bool)])
    series.append(("obsolescent", occur * np.round(rng.normal(8, 2, 120)).clip(1)))
    # One demand only.
    y = np.zeros(30)
    y[12] = 7
    series.append(("single_demand", y))
    # Fractional demand values.
    occur = rng.random(90) < 0.4
    series.append(("fractional", occur * rng.gamma(2.0, 1.7, 90)))
    return series


def intermittent_cases():
    from statsforecast.models import TSB, CrostonClassic, CrostonOptimized, CrostonSBA

    cases = []
    for name, y in intermittent_series():
        y = np.asarray(y, dtype=np.float64)
        h = 6
        case = {"name": name, "h": h, "y": floats(y), "forecasts": {}}
        models = {
            "croston": CrostonClassic(),
            "sba": CrostonSBA(),
            "croston_optimized": CrostonOptimized(),
            "tsb_0.1_0.1": TSB(alpha_d=0.1, alpha_p=0.1),
            "tsb_0.3_0.05": TSB(alpha_d=0.3, alpha_p=0.05),
        }
        for key, model in models.items():
            case["forecasts"][key] = floats(model.forecast(y=y, h=h)["mean"])
        cases.append(case)
    return cases


# ---------------------------------------------------------------- mstl

def mstl_series():
    rng = np.random.default_rng(4242)
    series = []
    n = 3 * 365 + 40
    t = np.arange(n, dtype=np.float64)
    weekly = np.array([-6.0, 2.0, 3.0, 1.0, 4.0, 9.0, -13.0])[np.arange(n) % 7]
    yearly = 15 * np.sin(2 * np.pi * t / 365.25) + 6 * np.cos(4 * np.pi * t / 365.25)
    series.append(("daily_7_365", [7, 365], 14, 100 + 0.02 * t + weekly + yearly + rng.normal(0, 3, n)))
    n = 150
    t = np.arange(n, dtype=np.float64)
    week_of_year = np.arange(n) % 52
    spike = np.where(week_of_year == 46, 40.0, 0) + np.where(week_of_year == 47, 25.0, 0)
    series.append(("weekly_52", [52], 12, 200 + 0.1 * t + 10 * np.sin(2 * np.pi * t / 52) + spike + rng.normal(0, 2, n)))
    n = 400
    t = np.arange(n, dtype=np.float64)
    series.append(("daily_7_only", [7], 10, 50 + np.array([0, 1, 2, 3, 4, 8, -5.0])[np.arange(n) % 7] + np.cumsum(rng.normal(0, 0.5, n))))
    # Two periods, the second shorter than... 3 weekly cycles and one of 12 in 100 points.
    n = 100
    t = np.arange(n, dtype=np.float64)
    series.append(("hourly_like_12_24", [12, 24], 24, 20 + 3 * np.sin(2 * np.pi * t / 12) + 5 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 0.5, n)))
    return series


def mstl_cases():
    from statsforecast.models import MSTL, Naive, SimpleExponentialSmoothing
    from statsforecast.mstl import mstl

    cases = []
    for name, periods, h, y in mstl_series():
        y = np.asarray(y, dtype=np.float64)
        case = {"name": name, "periods": periods, "period": periods[0], "h": h, "y": floats(y)}
        # statsmodels' STL settings as statsforecast passes them: seasonal_deg 0, jumps 1,
        # inner_iter 5 (statsmodels' default when not robust), no robustness iterations.
        decomposition = mstl(y, periods if len(periods) > 1 else periods[0])
        case["components"] = {col: floats(decomposition[col].values) for col in decomposition.columns if col != "data"}
        case["forecasts"] = {
            "naive_trend": floats(MSTL(season_length=periods, trend_forecaster=Naive()).forecast(y=y, h=h)["mean"]),
            "ses_0.3_trend": floats(
                MSTL(season_length=periods, trend_forecaster=SimpleExponentialSmoothing(alpha=0.3)).forecast(y=y, h=h)["mean"]
            ),
        }
        cases.append(case)
    return cases


FAMILIES = {"theta": theta_cases, "intermittent": intermittent_cases, "mstl": mstl_cases}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", choices=[*FAMILIES, "all"], default="all")
    args = parser.parse_args()
    for family, make in FAMILIES.items():
        if args.family in (family, "all"):
            write(family, make())


if __name__ == "__main__":
    main()
