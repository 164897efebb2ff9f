#!/usr/bin/env python3
"""LightGBM's side of `npm run bench:gbdt` (bench/gbdt.ts writes the data and runs this).

    python bench/anchors/lightgbm_bench.py DATASET.json --threads 1,2 --repeats 3 --out PREFIX

DATASET.json (from bench/gbdt-data.ts writeForAnchor): {name, cols, train_rows, test_rows,
params, files: {train, train_label, test}} with raw little-endian float32 arrays (row-major).
For each thread count, trains `repeats` times from the raw arrays (lgb.Dataset construction,
i.e. binning, included in the time, as our side includes its own) and keeps the fastest; writes
the held-out predictions of the last run to PREFIX.<threads>.f64 and prints one JSON object:
{"lightgbm_version", "runs": [{"threads", "train_seconds" (fastest wall time), "all_seconds",
"cpu_seconds" (least CPU time, all threads), "num_trees", "predictions"}]}. Metrics are computed by bench/gbdt.ts, the same way for both sides.
"""

import argparse
import json
import time

import lightgbm as lgb
import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.dataset) as f:
        d = json.load(f)
    cols = d["cols"]
    x = np.fromfile(d["files"]["train"], dtype="<f4").reshape(d["train_rows"], cols)
    y = np.fromfile(d["files"]["train_label"], dtype="<f4")
    xt = np.fromfile(d["files"]["test"], dtype="<f4").reshape(d["test_rows"], cols)
    runs = []
    for threads in [int(t) for t in args.threads.split(",")]:
        params = {"verbose": -1, **d["params"], "num_threads": threads}
        times = []
        cpu = []
        booster = None
        for _ in range(args.repeats):
            started = time.perf_counter()
            cpu_started = time.process_time()
            booster = lgb.train(params, lgb.Dataset(x, label=y, params=params))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        pred = booster.predict(xt, num_threads=threads).astype("<f8")
        path = f"{args.out}.{threads}.f64"
        pred.tofile(path)
        runs.append({"threads": threads, "train_seconds": min(times), "all_seconds": times, "cpu_seconds": min(cpu),
                     "num_trees": booster.num_trees(), "predictions": path})
    print(json.dumps({"lightgbm_version": lgb.__version__, "runs": runs}))


if __name__ == "__main__":
    main()
