#!/usr/bin/env python3
"""How far salescast's MinT forecasts and hierarchicalforecast's sparse ones are from its dense
MinTrace, on data bench/reconcile.ts wrote with --one METHOD --dump DIR (ours_METHOD.f64 beside it).

    python bench/anchors/hierarchicalforecast_agreement.py --data DIR --method ols|wls_struct|wls_var

Prints the largest |x - dense| / max(1, |dense|) for ours and for MinTraceSparse. Dense MinTrace
needs S as a dense n x n_b matrix: keep the hierarchy small (e.g. --items 300).
"""
import argparse
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hierarchicalforecast_bench as hb  # noqa: E402
from hierarchicalforecast.methods import MinTrace, MinTraceSparse  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--method", required=True, choices=["ols", "wls_struct", "wls_var"])
    args = parser.parse_args()
    st, n_b, aggs, base, residuals = hb.load(args.data)
    S = hb.summing(aggs, n_b, list(range(len(aggs))))
    extra = {} if args.method != "wls_var" else {"y_insample": residuals, "y_hat_insample": np.zeros_like(residuals)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = MinTrace(method=args.method).fit_predict(S=S.toarray(), y_hat=base, **extra)["mean"]
        sparse_ = MinTraceSparse(method=args.method).fit_predict(S=S, y_hat=base, **extra)["mean"]
    ours = np.fromfile(os.path.join(args.data, f"ours_{args.method}.f64")).reshape(-1, st["h"])
    gap = lambda a: float(np.max(np.abs(a - dense) / np.maximum(1, np.abs(dense))))  # noqa: E731
    print(f"{args.method} on {S.shape[0]} series: salescast vs dense MinTrace {gap(ours):.2e}, "
          f"MinTraceSparse vs dense MinTrace {gap(sparse_):.2e}")


if __name__ == "__main__":
    main()
