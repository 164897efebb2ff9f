#!/usr/bin/env python3
"""Check a salescast checkpoint against PyTorch.

Loads CHECKPOINT_DIR/model.safetensors into the PyTorch twin of the salescast CNN+LSTM with
load_state_dict (strict), runs the windows in CASES_JSON through it in sales units (normalised
and denormalised with model.json), and compares with the forecasts salescast produced.

    /usr/bin/python3 tools/check_safetensors.py CHECKPOINT_DIR CASES_JSON [--reader auto|package|builtin] [--tol 1e-5]

CASES_JSON: {"inputs": [[x_1 .. x_T], ...] (sales units), "forecasts": [y, ...] (salescast's answers)}.
--reader builtin parses the file with struct + json + numpy only, independently of the
`safetensors` package; auto (default) uses the package when it is installed.
Prints one JSON line {"max_abs_diff", "max_rel_diff", "cases", "reader"}; exits 1 when
max_rel_diff > tol, 2 on a load problem.
"""
import argparse
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn


class CNNLSTM(nn.Module):
    """Conv1d(k=3, no padding) + ReLU -> LSTM (batch_first) -> Linear on the last layer's final hidden state."""

    def __init__(self, input_size, conv_channels, lstm_hidden, lstm_layers, output_size=1):
        super().__init__()
        self.conv = nn.Conv1d(input_size, conv_channels, kernel_size=3)
        self.lstm = nn.LSTM(conv_channels, lstm_hidden, lstm_layers, batch_first=True)
        self.fc = nn.Linear(lstm_hidden, output_size)

    def forward(self, x):  # x: [B, T] or [B, input_size, T], normalised
        if x.dim() == 2:
            x = x.unsqueeze(1)
        h = torch.relu(self.conv(x)).transpose(1, 2)  # [B, T-2, C]
        _, (h_n, _) = self.lstm(h)
        out = self.fc(h_n[-1])
        return out.squeeze(-1) if out.shape[-1] == 1 else out


def read_safetensors_builtin(path):
    """The safetensors format by hand: u64 LE header length, JSON header, raw little-endian data."""
    raw = Path(path).read_bytes()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        if end > len(data):
            raise ValueError(f"{path}: {name} runs past the end of the file")
        array = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def read_safetensors(path, reader):
    if reader in ("auto", "package"):
        try:
            from safetensors.torch import load_file
            return load_file(str(path)), "package"
        except ImportError:
            if reader == "package":
                raise
    return read_safetensors_builtin(path), "builtin"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint_dir")
    parser.add_argument("cases_json")
    parser.add_argument("--reader", choices=["auto", "package", "builtin"], default="auto")
    parser.add_argument("--tol", type=float, default=1e-5)
    args = parser.parse_args()

    directory = Path(args.checkpoint_dir)
    try:
        meta = json.loads((directory / "model.json").read_text())
        shape = meta["shape"]
        model = CNNLSTM(shape["inputSize"], shape["convChannels"], shape["lstmHidden"], shape["lstmLayers"], shape["outputSize"])
        state, used_reader = read_safetensors(directory / "model.safetensors", args.reader)
        model.load_state_dict(state)  # strict: every name and shape must match
    except Exception as error:  # noqa: BLE001 - report any load problem as one line
        print(f"load failed: {error}", file=sys.stderr)
        return 2
    model.eval()

    cases = json.loads(Path(args.cases_json).read_text())
    mean, std = meta["normalization"]["mean"], meta["normalization"]["std"]
    x = torch.tensor(cases["inputs"], dtype=torch.float32)
    with torch.no_grad():
        forecast = model((x - mean) / std) * std + mean  # z = (x - mean) / std; y = z * std + mean
    ours = forecast.double().numpy().reshape(-1)
    theirs = np.asarray(cases["forecasts"], dtype=np.float64).reshape(-1)
    abs_diff = np.abs(ours - theirs)
    rel_diff = abs_diff / np.maximum(np.abs(theirs), 1e-12)
    report = {
        "max_abs_diff": float(abs_diff.max()),
        "max_rel_diff": float(rel_diff.max()),
        "cases": int(theirs.size),
        "reader": used_reader,
    }
    print(json.dumps(report))
    return 0 if report["max_rel_diff"] <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
