#!/usr/bin/env python3
"""PyTorch side of `npm run bench:engine`: trains and times the same CNN+LSTM on the same
windows as salescast, measures single-window latency and batched inference throughput, and
measures the machine's peak with one large float32 matrix product (sgemm through PyTorch's
BLAS, OpenBLAS on Debian).

    /usr/bin/python3 bench/torch_reference.py --data windows.json [--epochs 2] [--batches 32,128]
        [--threads 1,2] [--latency-calls 2000] [--infer-batch 256] [--peak-size 2048]

Prints one JSON object on stdout:
  {"torch_version", "blas" (the BLAS library loaded, when it can be told), "blas_threads_set" (whether
   OpenBLAS's own thread count followed --threads),
   "results": [{"threads",
                "train": [{"batch", "steps", "train_seconds", "samples_per_second", "train_cpu_seconds",
                           "samples_per_cpu_second" (CPU time of all threads), "final_loss"}],
                "latency_us": {"p50", "p99", "calls"},
                "batched": {"batch", "calls", "seconds", "windows_per_second"},
                "peak": {"size", "calls", "seconds", "gflops"}}]}
"""

import argparse
import base64
import ctypes
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn


class CNNLSTMForecastModel(nn.Module):
    def __init__(self, input_size=1, conv_channels=32, lstm_hidden=64, lstm_layers=1, output_size=1):
        super().__init__()
        self.output_size = output_size
        self.conv = nn.Conv1d(input_size, conv_channels, kernel_size=3)
        self.lstm = nn.LSTM(conv_channels, lstm_hidden, lstm_layers, batch_first=True)
        self.fc = nn.Linear(lstm_hidden, output_size)

    def forward(self, x):
        if x.dim() == 2:
            x = x.unsqueeze(1)
        h = torch.relu(self.conv(x)).transpose(1, 2)
        _, (hn, _) = self.lstm(h)
        y = self.fc(hn[-1])
        return y.squeeze(-1) if self.output_size == 1 else y


def load_windows(path):
    with open(path) as f:
        raw = json.load(f)
    if raw.get("format_version") != 1:
        raise SystemExit("%s: unsupported format_version %r" % (path, raw.get("format_version")))
    w, n = raw["window_size"], raw["count"]
    x = np.frombuffer(base64.b64decode(raw["inputs"]), dtype="<f4").reshape(n, w)
    y = np.frombuffer(base64.b64decode(raw["targets"]), dtype="<f4").reshape(n)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())


def train_epochs(model, x, y, epochs, batch, lr, seed):
    """Like the trainer: seeded shuffle each epoch, MSE, Adam. Returns (steps, last epoch's mean loss)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    last_epoch_loss = float("nan")
    steps = 0
    for _ in range(epochs):
        order = torch.randperm(n, generator=gen)
        total, batches = 0.0, 0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        steps += batches
        last_epoch_loss = total / batches
    return steps, last_epoch_loss


def timed_training(args, x, y, batch):
    torch.manual_seed(args.seed)
    # Warm-up on a throwaway model so allocator and kernels are ready before timing.
    warm = CNNLSTMForecastModel(1, args.conv, args.hidden, args.layers)
    train_epochs(warm, x[:batch * 20], y[:batch * 20], 1, batch, args.lr, args.seed)
    model = CNNLSTMForecastModel(1, args.conv, args.hidden, args.layers)
    t0, c0 = time.perf_counter(), time.process_time()
    steps, final_loss = train_epochs(model, x, y, args.epochs, batch, args.lr, args.seed)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    samples = args.epochs * x.shape[0]
    return model, {
        "batch": batch,
        "steps": steps,
        "train_seconds": seconds,
        "samples_per_second": samples / seconds,
        "train_cpu_seconds": cpu_seconds,
        "samples_per_cpu_second": samples / cpu_seconds,
        "final_loss": final_loss,
    }


def latency(model, window, calls, warmup):
    model.eval()
    x = torch.from_numpy(np.ascontiguousarray(window, dtype=np.float32)).reshape(1, -1)
    times = []
    with torch.no_grad():
        for i in range(warmup + calls):
            t0 = time.perf_counter_ns()
            model(x)
            t1 = time.perf_counter_ns()
            if i >= warmup:
                times.append((t1 - t0) / 1000.0)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return {"p50": pick(0.50), "p99": pick(0.99), "calls": calls}


def repeat_for(fn, min_seconds, min_calls):
    """Calls fn until both min_seconds and min_calls are reached; returns (calls, seconds)."""
    fn()  # warm-up
    calls, t0 = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        seconds = time.perf_counter() - t0
        if calls >= min_calls and seconds >= min_seconds:
            return calls, seconds


def batched(model, x, batch, min_seconds):
    model.eval()
    xb = x[:batch].contiguous()
    with torch.no_grad():
        calls, seconds = repeat_for(lambda: model(xb), min_seconds, 5)
    return {"batch": batch, "calls": calls, "seconds": seconds, "windows_per_second": calls * batch / seconds}


def peak(size, min_seconds):
    """float32 C = A·B with n×n matrices: 2n³ floating-point operations per product."""
    gen = torch.Generator().manual_seed(0)
    a = torch.rand(size, size, generator=gen)
    b = torch.rand(size, size, generator=gen)
    out = torch.empty(size, size)
    calls, seconds = repeat_for(lambda: torch.mm(a, b, out=out), min_seconds, 3)
    return {"size": size, "calls": calls, "seconds": seconds, "gflops": calls * 2.0 * size ** 3 / seconds / 1e9}


def openblas():
    """The loaded OpenBLAS as a ctypes library, or None. Debian's PyTorch calls OpenBLAS (pthreads
    build) for its matrix products, and torch.set_num_threads does not reach OpenBLAS's own
    threads: without setting them too, "1 thread" would use every core."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "libopenblas" in line})
        return ctypes.CDLL(paths[0]) if paths else None
    except (OSError, IndexError):
        return None


def set_threads(threads, blas):
    torch.set_num_threads(threads)
    if blas is not None:
        blas.openblas_set_num_threads(threads)


def blas_library():
    """The BLAS shared library this process loaded (Linux), e.g. libopenblasp-r0.3.21.so."""
    try:
        with open("/proc/self/maps") as f:
            names = {line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted(names)) or None
    except OSError:
        return None


def main():
    p = argparse.ArgumentParser(description="PyTorch reference for the salescast engine benchmark")
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batches", default="32,128", help="training batch sizes, comma-separated")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--conv", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--latency-calls", type=int, default=2000)
    p.add_argument("--infer-batch", type=int, default=256)
    p.add_argument("--min-seconds", type=float, default=1.0, help="shortest timing of batched inference and of the peak")
    p.add_argument("--peak-size", type=int, default=2048, help="n of the n×n sgemm that measures peak GFLOP/s; 0 skips it")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()

    x, y = load_windows(args.data)
    if args.infer_batch > x.shape[0]:
        raise SystemExit("--infer-batch %d is larger than the %d windows in %s" % (args.infer_batch, x.shape[0], args.data))
    batches = [int(b) for b in args.batches.split(",") if b.strip()]
    results = []
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS library
    blas = openblas()
    for threads in [int(t) for t in args.threads.split(",") if t.strip()]:
        set_threads(threads, blas)
        train = []
        model = None
        for batch in batches:
            model, run = timed_training(args, x, y, batch)
            train.append(run)
        result = {
            "threads": threads,
            "train": train,
            "latency_us": latency(model, x[0].numpy(), args.latency_calls, warmup=200),
            "batched": batched(model, x, args.infer_batch, args.min_seconds),
        }
        if args.peak_size > 0:
            result["peak"] = peak(args.peak_size, args.min_seconds)
        results.append(result)
    json.dump({"torch_version": torch.__version__, "blas": blas_library(), "blas_threads_set": blas is not None,
               "results": results}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
