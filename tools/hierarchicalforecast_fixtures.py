#!/usr/bin/env python3
"""Write the hierarchicalforecast reference fixtures tests/models/reconcile*.test.ts read.

Run in the anchors virtual environment (bash scripts/lib/anchors-venv.sh makes it):

    .venv-anchors/bin/python tools/hierarchicalforecast_fixtures.py

Every hierarchy is synthetic and seeded (numpy's default_rng), never the shared data. Writes
tests/fixtures/reconcile/hierarchicalforecast.json:

    {"format_version": 1, "generator": ..., "versions": {...},
     "cases": [{"name", "bottom_count", "aggregates": [[bottom indices]...], "h", "strict",
                "y_hat", "residuals", "sigma" (n x h / n x T, row per series),
                "levels": [80, 95],
                "results": {method: {"mean", "sigma", "lo-80", "hi-80", ...} or {"mean"}},
                "mint_shrink_lambda"}],
     "wrmsse": [{... a small M5-style evaluation computed by the plain numpy loops below}]}

Series order everywhere: aggregates (top level first), then bottom series, as in S.
"""

import importlib.metadata as metadata
import json
import os
import platform
import warnings

import numpy as np
from hierarchicalforecast.methods import BottomUp, MinTrace, TopDown

FORMAT_VERSION = 1
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = [80, 95]


def versions():
    return {name: metadata.version(name) for name in ("hierarchicalforecast", "numpy", "scipy")} | {
        "python": platform.python_version()
    }


def hierarchy(bottom_keys, level_keys):
    """bottom_keys: a dict per bottom series; level_keys: list of tuples of key names (top first).
    Returns aggregates (lists of bottom indices), level index per series and tags for hierarchicalforecast."""
    aggregates, level_of, tags = [], [], {}
    for level, keys in enumerate(level_keys):
        groups = {}
        for k, bottom in enumerate(bottom_keys):
            groups.setdefault(tuple(bottom[name] for name in keys), []).append(k)
        start = len(aggregates)
        for _, members in sorted(groups.items()):
            aggregates.append(members)
            level_of.append(level)
        tags["/".join(keys) or "total"] = np.arange(start, len(aggregates))
    n_a = len(aggregates)
    tags["bottom"] = np.arange(n_a, n_a + len(bottom_keys))
    level_of += [len(level_keys)] * len(bottom_keys)
    return aggregates, level_of, tags


def summing_matrix(aggregates, n_b):
    S = np.zeros((len(aggregates) + n_b, n_b))
    for i, members in enumerate(aggregates):
        S[i, members] = 1
    S[len(aggregates):] = np.eye(n_b)
    return S


def simulate(rng, S, n_b, T, h, season=7):
    """Bottom sales with weekly seasonality, aggregated; seasonal-naive fitted values and base
    forecasts with series-specific noise so the base forecasts are not coherent."""
    level = rng.uniform(2, 20, n_b)
    weekly = 1 + 0.3 * np.sin(2 * np.pi * (np.arange(T + h) % season) / season + rng.uniform(0, 6, n_b)[:, None])
    bottom = rng.poisson(level[:, None] * weekly).astype(float)
    y = S @ bottom
    insample = y[:, :T]
    fitted = np.full_like(insample, np.nan)
    fitted[:, season:] = insample[:, :-season] + rng.normal(0, 0.5, (S.shape[0], T - season))
    residuals = (insample - fitted)[:, season:]
    last = insample[:, T - season:]
    y_hat = np.tile(last, (1, int(np.ceil(h / season))))[:, :h] * rng.uniform(0.9, 1.1, (S.shape[0], 1))
    sigma = np.nanstd(residuals, axis=1)[:, None] * np.sqrt(1 + np.arange(h) // season)[None, :]
    return insample, fitted, residuals, y_hat, sigma, y[:, T:]


def run_case(name, rng, bottom_keys, level_keys, strict, T=63, h=10):
    aggregates, level_of, tags = hierarchy(bottom_keys, level_keys)
    n_b = len(bottom_keys)
    S = summing_matrix(aggregates, n_b)
    insample, fitted, residuals, y_hat, sigma, _ = simulate(rng, S, n_b, T, h)
    y_in, f_in = insample[:, 7:], fitted[:, 7:]
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bu = BottomUp().fit_predict(S=S, y_hat=y_hat, sigmah=sigma, level=LEVELS, intervals_method="normality", tags=tags)
        results["bottom_up"] = pack(bu)
        if strict:
            td = TopDown(method="forecast_proportions").fit_predict(S=S, y_hat=y_hat, tags=tags)
            results["top_down"] = pack(td)
        lam = None
        for method in ("ols", "wls_struct", "wls_var", "mint_shrink"):
            model = MinTrace(method=method)
            out = model.fit_predict(S=S, y_hat=y_hat, y_insample=y_in, y_hat_insample=f_in, sigmah=sigma,
                                    level=LEVELS, intervals_method="normality", tags=tags)
            results[method] = pack(out)
            if method == "mint_shrink":
                W = model.W
                d = np.sqrt(np.diag(W))
                cov = np.cov(y_in - f_in)
                off = ~np.eye(len(d), dtype=bool)
                lam = float(1 - np.median(W[off] / cov[off]))
    return {
        "name": name, "bottom_count": n_b, "aggregates": aggregates, "level_of": level_of, "h": h, "strict": strict,
        "y_hat": y_hat.tolist(), "residuals": (y_in - f_in).tolist(), "sigma": sigma.tolist(),
        "levels": LEVELS, "results": results, "mint_shrink_lambda": lam,
    }


def pack(out):
    packed = {"mean": out["mean"].tolist()}
    if "sigmah" in out:
        packed["sigma"] = out["sigmah"].tolist()
        for lv in LEVELS:
            z_lo, z_hi = (100 - lv) / 200, (100 - lv) / 200 + lv / 100
            qs = np.sort(np.concatenate([[(100 - l) / 200, (100 - l) / 200 + l / 100] for l in LEVELS]))
            packed[f"lo-{lv}"] = out["quantiles"][:, :, int(np.argmin(np.abs(qs - z_lo)))].tolist()
            packed[f"hi-{lv}"] = out["quantiles"][:, :, int(np.argmin(np.abs(qs - z_hi)))].tolist()
    return packed


def wrmsse_case(rng):
    """A small M5-style evaluation: plain loops over the M5 guide's formulas, for a second opinion
    on src/backtest/wrmsse.ts (no library implements the M5 WRMSSE)."""
    stores, items, T, h = 3, 4, 60, 28
    bottom_keys = [{"state": "A" if s < 2 else "B", "store": f"s{s}", "cat": f"c{i % 2}", "item": f"i{i}"}
                   for s in range(stores) for i in range(items)]
    level_keys = [(), ("state",), ("store",), ("cat",), ("item",)]
    aggregates, level_of, _ = hierarchy(bottom_keys, level_keys)
    n_b = len(bottom_keys)
    S = summing_matrix(aggregates, n_b)
    start = rng.integers(0, 20, n_b)  # items start selling at different days: leading zeros
    units = rng.poisson(rng.uniform(0.3, 5, n_b)[:, None], (n_b, T + h)).astype(float)
    for k in range(n_b):
        units[k, :start[k]] = 0
        units[k, start[k]] = max(units[k, start[k]], 1)
    prices = rng.uniform(1, 9, n_b)[:, None] * (1 + 0.1 * (np.arange(T) >= T // 2))[None, :]
    train, actual = units[:, :T], units[:, T:]
    forecasts = S @ (train[:, -28:].mean(axis=1, keepdims=True) * np.ones((1, h))) * rng.uniform(0.8, 1.2, (S.shape[0], h))
    dollars = (train[:, -28:] * prices[:, -28:]).sum(axis=1)
    y_train, y_actual, series_dollars = S @ train, S @ actual, S @ dollars
    rmsse = []
    for i in range(S.shape[0]):
        y = y_train[i]
        first = int(np.argmax(y != 0))
        scale = np.mean(np.diff(y[first:]) ** 2)
        rmsse.append(float(np.sqrt(np.mean((y_actual[i] - forecasts[i]) ** 2) / scale)))
    rmsse = np.array(rmsse)
    level_of = np.array(level_of)
    by_level = []
    for level in range(len(level_keys) + 1):
        idx = level_of == level
        w = series_dollars[idx] / series_dollars[idx].sum()
        by_level.append(float(np.sum(w * rmsse[idx])))
    return {
        "name": "m5_style", "bottom_count": n_b, "aggregates": aggregates, "level_of": level_of.tolist(), "h": h,
        "train_units": train.tolist(), "prices": prices.tolist(), "actual_units": actual.tolist(),
        "forecasts": forecasts.tolist(), "rmsse": rmsse.tolist(), "wrmsse_by_level": by_level,
        "wrmsse": float(np.mean(by_level)), "weights_days": 28,
    }


def catalogue_case():
    """Shaped like what salescast train --catalogue reconciles: M5's twelve levels, 28 days of
    residuals (the catalogue's horizon) and more series than residual days, so the sample
    covariance is singular and only the shrinkage makes MinT solvable. Its own seeded generator,
    so the cases above stay as they were."""
    rng = np.random.default_rng(20261205)
    keys = [{"state": f"st{s // 2}", "store": f"s{s}", "cat": f"c{i // 3}", "dept": f"d{i // 3}_{i % 3 // 2}", "item": f"i{i}"}
            for s in range(4) for i in range(6)]
    levels = [(), ("state",), ("store",), ("cat",), ("dept",), ("state", "cat"), ("state", "dept"),
              ("store", "cat"), ("store", "dept"), ("item",), ("state", "item")]
    return run_case("catalogue_m5_levels_28_residual_days", rng, keys, levels, strict=False, T=35, h=28)


def main():
    rng = np.random.default_rng(20261204)
    strict_keys = [{"region": f"r{0 if s < 2 else 1}", "store": f"s{s}", "item": f"i{i}"}
                   for s in range(5) for i in range(2 + s % 2)]
    grouped_keys = [{"state": f"st{0 if s < 2 else 1}", "store": f"s{s}", "cat": f"c{i // 2}", "item": f"i{i}"}
                    for s in range(3) for i in range(4)]
    cases = [
        run_case("strict_region_store_item", rng, strict_keys, [(), ("region",), ("region", "store")], strict=True),
        run_case("grouped_state_store_cat_item", rng, grouped_keys,
                 [(), ("state",), ("state", "store"), ("cat",), ("item",), ("state", "item")], strict=False),
        catalogue_case(),
    ]
    out = {
        "format_version": FORMAT_VERSION, "generator": "tools/hierarchicalforecast_fixtures.py",
        "versions": versions(), "cases": cases, "wrmsse": [wrmsse_case(rng)],
    }
    path = os.path.join(ROOT, "tests", "fixtures", "reconcile", "hierarchicalforecast.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, separators=(",", ":"))
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(cases)} reconciliation cases, 1 wrmsse case")


if __name__ == "__main__":
    main()
