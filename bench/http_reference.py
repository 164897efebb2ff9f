#!/usr/bin/python3
"""The reference stack for bench/http.ts: FastAPI + uvicorn + PyTorch serving the same
CNN+LSTM shape, with the reference's /api/predict contract.

    /usr/bin/python3 bench/http_reference.py --port 8001 [--mean 120 --std 30] [--sync]

The model is PyTorch's CNNLSTMForecastModel as the reference notes describe it
(Conv1d(1, C, 3) + ReLU -> LSTM(C, H) -> Linear(H, 1)), randomly initialised with a fixed
seed: throughput does not depend on the weights. The handler does what the reference's
SalesForecaster.forecast does per request: check the length, normalise with numpy, build a
tensor, forward under no_grad in eval mode, denormalise, return a float.

Debian packages: python3-fastapi python3-uvicorn python3-torch (uvicorn uses httptools and
uvloop when python3-httptools / python3-uvloop are installed, as `pip install uvicorn[standard]`
would). Access logs are off, as in the salescast server during the benchmark.
"""
import argparse
from typing import List

import numpy as np
import torch
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, validator


class CNNLSTMForecastModel(torch.nn.Module):
    def __init__(self, input_size=1, conv_channels=32, lstm_hidden=64, lstm_layers=1):
        super().__init__()
        self.conv = torch.nn.Conv1d(input_size, conv_channels, kernel_size=3)
        self.relu = torch.nn.ReLU()
        self.lstm = torch.nn.LSTM(conv_channels, lstm_hidden, lstm_layers, batch_first=True)
        self.fc = torch.nn.Linear(lstm_hidden, 1)

    def forward(self, x):  # x [B, T]
        x = self.relu(self.conv(x.unsqueeze(1)))  # [B, C, T-2]
        x = x.transpose(1, 2)  # [B, T-2, C]
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1]).squeeze(-1)  # [B]


def build_app(window_size: int, conv_channels: int, lstm_hidden: int, mean: float, std: float, sync: bool) -> FastAPI:
    torch.manual_seed(42)
    model = CNNLSTMForecastModel(conv_channels=conv_channels, lstm_hidden=lstm_hidden)
    model.eval()

    class SeriesInput(BaseModel):
        series: List[float]

        @validator("series")
        def check_length(cls, v):
            if len(v) != window_size:
                raise ValueError(f"Series must contain exactly {window_size} values")
            return v

    def forecast(series: List[float]) -> float:
        x = (np.asarray(series, dtype=np.float32) - mean) / std
        with torch.no_grad():
            y = model(torch.from_numpy(x).unsqueeze(0))
        return float(y.item() * std + mean)

    app = FastAPI()

    @app.get("/api/health")
    def health():
        return {"status": "ok"}

    if sync:
        @app.post("/api/predict")
        def predict(data: SeriesInput):
            return {"predicted_sales": forecast(data.series)}
    else:
        @app.post("/api/predict")
        async def predict(data: SeriesInput):
            return {"predicted_sales": forecast(data.series)}

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--window-size", type=int, default=14)
    parser.add_argument("--conv-channels", type=int, default=32)
    parser.add_argument("--lstm-hidden", type=int, default=64)
    parser.add_argument("--mean", type=float, default=120.0)
    parser.add_argument("--std", type=float, default=30.0)
    parser.add_argument("--sync", action="store_true", help="a plain def handler (run in the thread pool) instead of async def")
    parser.add_argument("--torch-threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.torch_threads > 0:
        torch.set_num_threads(args.torch_threads)
    app = build_app(args.window_size, args.conv_channels, args.lstm_hidden, args.mean, args.std, args.sync)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
