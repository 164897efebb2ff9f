// Runs bench/torch_reference.py with the system Python and reads its JSON answer, or says why
// the PyTorch side cannot run and how to make it run.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BatchedRun, Latency } from "./engine-infer.js";
import type { TrainRun } from "./engine-train.js";

/** One thread count's figures (bench/torch_reference.py documents each field). */
export interface TorchRun {
  threads: number;
  /** The same fields as the engine's runs, so the report compares them one to one. */
  train: TrainRun[];
  latency_us: Latency;
  batched: BatchedRun;
  /** Large sgemm at this thread count; absent with --peak-size 0. */
  peak?: { size: number; calls: number; seconds: number; gflops: number };
}

export type TorchOutcome = { ran: true; torchVersion: string; blas: string | null; results: TorchRun[] } | { ran: false; reason: string };

export const INSTALL_HINT = "apt-get install python3-torch libopenblas0-pthread";

/** bench/torch_reference.py, whether we run from dist/bench/ or from bench/. */
export function torchScriptPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, "../../bench/torch_reference.py"), join(here, "torch_reference.py")];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`bench/torch_reference.py not found (looked in ${candidates.join(", ")}).`);
  return found;
}

export function runTorchReference(python: string, args: string[]): TorchOutcome {
  if (!existsSync(python)) {
    return { ran: false, reason: `${python} does not exist. Install Python 3 with PyTorch: ${INSTALL_HINT}` };
  }
  const probe = spawnSync(python, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || "").trim().split("\n").pop();
    return { ran: false, reason: `${python} cannot import torch/numpy (${why}). Install them with: ${INSTALL_HINT}` };
  }
  const run = spawnSync(python, [torchScriptPath(), ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) {
    return { ran: false, reason: `bench/torch_reference.py failed (exit ${run.status}): ${run.stderr.trim().slice(-2000)}` };
  }
  const parsed = JSON.parse(run.stdout) as { torch_version: string; blas: string | null; results: TorchRun[] };
  return { ran: true, torchVersion: parsed.torch_version, blas: parsed.blas, results: parsed.results };
}
