#!/usr/bin/env python3
"""Write the LightGBM fixtures the salescast GBDT tests compare with (tests/engine/gbdt-lightgbm.test.ts).

Run in the anchors virtual environment (scripts/lib/anchors-venv.sh creates it, pinned):

    bash -c 'source scripts/lib/anchors-venv.sh && "$(ensure_anchors_venv | tail -1)" tools/lightgbm_fixtures.py'

One JSON file per dataset in tests/fixtures/gbdt/ (format_version 1):

    {
      "format_version": 1, "generator": "tools/lightgbm_fixtures.py",
      "lightgbm_version": "4.7.0", "numpy_version": "...", "seed": 7,
      "dataset": "real" | "count" | "tweedie",
      "cols": 6,
      "train": {"rows": N, "features": base64 float32 row-major, "label": base64 float32},
      "test":  {"rows": M, "features": ..., "label": ...},
      "cases": [{"name", "params": {LightGBM params}, "num_trees", "feature_num_bin" (bins per feature),
                 "test_prediction": base64 float64 (LightGBM's predict on test, transformed),
                 "test_rmse", "test_mae", "test_poisson_deviance"}]
    }

The data are seeded synthetic series-like rows (never ../shared data): uniform features, an
integer "day of week" feature, a feature that is zero half the time, and missing values (NaN)
in two features that carry signal of their own. Labels: real-valued (L2/L1), Poisson counts,
and compound Poisson-gamma (Tweedie: exact zeros and positive amounts).
"""

import argparse
import base64
import json
import os

import lightgbm as lgb
import numpy as np

FORMAT_VERSION = 1
SEED = 7
COLS = 6
TRAIN_ROWS = 3000
TEST_ROWS = 1500


def b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def make_features(rng, rows):
    x = rng.uniform(-2.0, 2.0, size=(rows, COLS))
    x[:, 2] = np.floor(rng.uniform(0, 7, size=rows))  # day-of-week-like
    x[:, 4] = np.where(rng.uniform(size=rows) < 0.5, 0.0, x[:, 4])  # zero half the time
    signal = np.where(x[:, 0] > 0.5, 1.5, -0.5) + np.sin(2 * x[:, 1]) + 0.3 * x[:, 2] + 0.5 * x[:, 0] * x[:, 3] + 0.4 * x[:, 4]
    for col, effect in ((0, 0.8), (3, -0.4)):
        missing = rng.uniform(size=rows) < 0.1
        x[missing, col] = np.nan
        signal = signal + np.where(missing, effect, 0.0)
    return x.astype(np.float32), signal


def make_labels(rng, kind, signal):
    if kind == "real":
        return signal + rng.normal(0.0, 0.3, size=signal.shape)
    mu = np.exp(0.5 * signal - 0.5)
    if kind == "count":
        return rng.poisson(mu).astype(np.float64)
    # Tweedie: a Poisson number of gamma-sized amounts (exact zeros when none).
    n = rng.poisson(mu)
    return np.array([rng.gamma(2.0, 0.5, size=k).sum() if k > 0 else 0.0 for k in n])


CASES = {
    "real": [
        ("l2", {"objective": "regression"}),
        ("l2_regularised", {"objective": "regression", "num_leaves": 15, "max_depth": 5, "min_data_in_leaf": 10,
                            "lambda_l2": 1.0, "lambda_l1": 0.5, "min_sum_hessian_in_leaf": 1.0, "learning_rate": 0.05,
                            "num_iterations": 150}),
        ("l2_bagging", {"objective": "regression", "bagging_fraction": 0.7, "bagging_freq": 1, "feature_fraction": 0.8,
                        "bagging_seed": 11, "feature_fraction_seed": 12}),
        ("l1", {"objective": "regression_l1"}),
    ],
    "count": [
        ("poisson", {"objective": "poisson"}),
    ],
    "tweedie": [
        ("tweedie", {"objective": "tweedie", "tweedie_variance_power": 1.3}),
    ],
}


def write(out_dir, kind, seed):
    rng = np.random.default_rng(seed)
    x_train, s_train = make_features(rng, TRAIN_ROWS)
    x_test, s_test = make_features(rng, TEST_ROWS)
    y_train = make_labels(rng, kind, s_train).astype(np.float32)
    y_test = make_labels(rng, kind, s_test).astype(np.float32)
    cases = []
    for name, extra in CASES[kind]:
        params = {"verbose": -1, "num_threads": 1, "deterministic": True}
        params.update(extra)
        train = lgb.Dataset(x_train, label=y_train, params=params, free_raw_data=False)
        booster = lgb.train(params, train)
        pred = booster.predict(x_test)
        num_bins = [train.feature_num_bin(i) for i in range(COLS)]
        err = pred - y_test.astype(np.float64)
        p = np.maximum(pred, 1e-10)
        y = y_test.astype(np.float64)
        deviance = 2 * np.mean(np.where(y > 0, y * np.log(np.maximum(y, 1e-300) / p), 0.0) - (y - p))
        cases.append({
            "name": name,
            "params": extra,
            "num_trees": booster.num_trees(),
            "feature_num_bin": num_bins,
            "test_prediction": b64(pred, np.float64),
            "test_rmse": float(np.sqrt(np.mean(err ** 2))),
            "test_mae": float(np.mean(np.abs(err))),
            "test_poisson_deviance": float(deviance),
        })
    doc = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/lightgbm_fixtures.py",
        "lightgbm_version": lgb.__version__,
        "numpy_version": np.__version__,
        "seed": seed,
        "dataset": kind,
        "cols": COLS,
        "train": {"rows": TRAIN_ROWS, "features": b64(x_train, "<f4"), "label": b64(y_train, "<f4")},
        "test": {"rows": TEST_ROWS, "features": b64(x_test, "<f4"), "label": b64(y_test, "<f4")},
        "cases": cases,
    }
    path = os.path.join(out_dir, f"{kind}.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
    for c in cases:
        print(f"{path}: {c['name']}: {c['num_trees']} trees, test RMSE {c['test_rmse']:.5f}, MAE {c['test_mae']:.5f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join("tests", "fixtures", "gbdt"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i, kind in enumerate(CASES):
        write(args.out, kind, SEED + i)


if __name__ == "__main__":
    main()
