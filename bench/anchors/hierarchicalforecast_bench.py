#!/usr/bin/env python3
"""hierarchicalforecast's side of bench/reconcile.ts: one method on the data that bench wrote.

    python bench/anchors/hierarchicalforecast_bench.py --data DIR --method METHOD [--repeats 2]

DIR holds structure.json ({bottom_count, aggregates, level_of, h, residual_steps}), base.f64
(n x h float64, series-major) and residuals.f64 (n x T). Prints one JSON line: {method,
seconds and cpu_seconds (least of the repeats; CPU of all threads), peak_rss_mb} or {method, skipped: reason}.

The sparse classes are used (BottomUpSparse, TopDownSparse, MinTraceSparse), as
hierarchicalforecast recommends for many series. Not run at M5 size, with the reason printed:
mint_shrink (MinTrace is dense only: S alone is n x n_b float64 = 10 GB, W n x n = 15 GB) and
normality intervals (Normality forms an n x n covariance per step). top_down runs on the nested
levels only (TopDownSparse needs a strict hierarchy), like ours, which then sums the rest.
"""
import argparse
import json
import os
import resource
import time
import warnings

import numpy as np
from scipy import sparse

from hierarchicalforecast.methods import BottomUpSparse, MinTraceSparse, TopDownSparse

LEVELS = ["total", "state", "store", "cat", "dept", "state_cat", "state_dept", "store_cat", "store_dept",
          "item", "state_item", "store_item"]
NESTED = ["total", "cat", "dept", "item", "state_item"]


def load(folder):
    with open(os.path.join(folder, "structure.json")) as f:
        st = json.load(f)
    n_b, aggs = st["bottom_count"], st["aggregates"]
    n = len(aggs) + n_b
    base = np.fromfile(os.path.join(folder, "base.f64")).reshape(n, st["h"])
    residuals = np.fromfile(os.path.join(folder, "residuals.f64")).reshape(n, st["residual_steps"])
    return st, n_b, aggs, base, residuals


def summing(aggs, n_b, rows):
    """Sparse S over the aggregates `rows` (then the bottom identity), and the tags of each level."""
    indptr, indices = [0], []
    for i in rows:
        indices.extend(aggs[i])
        indptr.append(len(indices))
    for k in range(n_b):
        indices.append(k)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sparse.csr_matrix((data, np.array(indices), np.array(indptr)), shape=(len(rows) + n_b, n_b))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--method", required=True)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    method = args.method
    if method == "mint_shrink":
        print(json.dumps({"method": method, "skipped": "dense MinTrace only (S 10 GB + W 15 GB at this size)"}))
        return
    if method == "bottom_up+intervals":
        print(json.dumps({"method": method, "skipped": "Normality forms an n x n covariance per step (15 GB)"}))
        return
    st, n_b, aggs, base, residuals = load(args.data)
    level_of = np.array(st["level_of"])
    rows = list(range(len(aggs)))
    if method == "top_down":
        nested = {LEVELS.index(name) for name in NESTED}
        rows = [i for i in rows if level_of[i] in nested]
    S = summing(aggs, n_b, rows)
    keep = np.array(rows + list(range(len(aggs), len(aggs) + n_b)))
    y_hat = np.ascontiguousarray(base[keep])
    tags = {}
    for name in (NESTED + ["store_item"] if method == "top_down" else LEVELS):
        level = LEVELS.index(name)
        tags[name] = np.array([j for j, i in enumerate(keep) if level_of[i] == level])
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(args.repeats if method != "none" else 0):
        started = time.perf_counter()
        cpu_started = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "bottom_up":
                BottomUpSparse().fit_predict(S=S, y_hat=y_hat)
            elif method == "top_down":
                TopDownSparse(method="forecast_proportions").fit_predict(S=S, y_hat=y_hat, tags=tags)
            else:
                MinTraceSparse(method=method).fit_predict(
                    S=S, y_hat=y_hat, y_insample=residuals[keep], y_hat_insample=np.zeros_like(residuals[keep]))
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    none = method == "none"
    print(json.dumps({"method": method, "seconds": None if none else best, "cpu_seconds": None if none else best_cpu,
                      "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
