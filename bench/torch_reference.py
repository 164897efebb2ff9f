#!/usr/bin/env python3
"""PyTorch side of `npm run bench:engine`: trains and times the same CNN+LSTM on the same
windows as salescast, then measures single-window inference latency.

    /usr/bin/python3 bench/torch_reference.py --data windows.json [--epochs 2] [--threads 1,2]

Prints one JSON object on stdout: {"torch_version", "results": [{"threads", "train_seconds",
"samples_per_second",
"train_cpu_seconds", "samples_per_cpu_second" (CPU time of all threads), "final_loss", "latency_us": {"p50", "p99", "calls"}}]}.
"""

import argparse
import base64
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
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    last_epoch_loss = float("nan")
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
        last_epoch_loss = total / batches
    return last_epoch_loss


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


def main():
    p = argparse.ArgumentParser(description="PyTorch reference for the salescast engine benchmark")
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--conv", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--latency-calls", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()

    x, y = load_windows(args.data)
    results = []
    for threads in [int(t) for t in args.threads.split(",") if t.strip()]:
        torch.set_num_threads(threads)
        torch.manual_seed(args.seed)
        # Warm-up on a throwaway model so allocator and kernels are ready before timing.
        warm = CNNLSTMForecastModel(1, args.conv, args.hidden, args.layers)
        train_epochs(warm, x[:args.batch * 20], y[:args.batch * 20], 1, args.batch, args.lr, args.seed)
        model = CNNLSTMForecastModel(1, args.conv, args.hidden, args.layers)
        t0, c0 = time.perf_counter(), time.process_time()
        final_loss = train_epochs(model, x, y, args.epochs, args.batch, args.lr, args.seed)
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
        results.append({
            "threads": threads,
            "train_seconds": seconds,
            "samples_per_second": args.epochs * x.shape[0] / seconds,
            "train_cpu_seconds": cpu_seconds,
            "samples_per_cpu_second": args.epochs * x.shape[0] / cpu_seconds,
            "final_loss": final_loss,
            "latency_us": latency(model, x[0].numpy(), args.latency_calls, warmup=200),
        })
    json.dump({"torch_version": torch.__version__, "results": results}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
