// Training throughput of the engine on one backend: the trainer's loop (seeded shuffle each
// epoch, MSE, Adam) at each batch size, on the same windows PyTorch trains on, after a warm-up
// on a throwaway model so the JIT (or a native library) is ready before timing.
import { Adam, CnnLstmModel, mseLoss, Random, type Backend, type ModelShape } from "../src/engine/index.js";
import type { WindowData } from "./engine-data.js";

export interface TrainRun {
  batch: number;
  steps: number;
  train_seconds: number;
  samples_per_second: number;
  train_cpu_seconds: number;
  samples_per_cpu_second: number;
  final_loss: number;
}

export interface TrainSettings {
  shape: ModelShape;
  epochs: number;
  lr: number;
  seed: number;
}

function trainEpochs(model: CnnLstmModel, adam: Adam, data: WindowData, epochs: number, batch: number, rng: Random) {
  const W = data.windowSize;
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  const xb = new Float32Array(batch * W);
  const yb = new Float32Array(batch);
  const dOut = new Float32Array(batch);
  let lastEpochLoss = Number.NaN;
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < data.count; start += batch) {
      const B = Math.min(batch, data.count - start);
      for (let b = 0; b < B; b++) {
        const i = order[start + b];
        xb.set(data.inputs.subarray(i * W, (i + 1) * W), b * W);
        yb[b] = data.targets[i];
      }
      const full = B === batch;
      model.params.zeroGrad();
      const pred = model.forward(full ? xb : xb.subarray(0, B * W), B);
      const d = full ? dOut : dOut.subarray(0, B);
      total += mseLoss(pred, full ? yb : yb.subarray(0, B), d);
      model.backward(d);
      adam.step();
      batches++;
    }
    steps += batches;
    lastEpochLoss = total / batches;
  }
  return { steps, lastEpochLoss };
}

/** Trains a fresh model on `backend` once per batch size; returns the timings and the last model. */
export function timeTraining(backend: Backend, data: WindowData, batches: number[], s: TrainSettings) {
  const runs: TrainRun[] = [];
  let model: CnnLstmModel | undefined;
  for (const batch of batches) {
    const warm = new CnnLstmModel(s.shape, s.seed + 1, { backend });
    trainEpochs(warm, new Adam(warm.params, { lr: s.lr }), { ...data, count: Math.min(data.count, batch * 20) }, 1, batch, new Random(s.seed));
    model = new CnnLstmModel(s.shape, s.seed, { backend });
    const adam = new Adam(model.params, { lr: s.lr });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { steps, lastEpochLoss } = trainEpochs(model, adam, data, s.epochs, batch, new Random(s.seed));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const samples = s.epochs * data.count;
    runs.push({
      batch,
      steps,
      train_seconds: seconds,
      samples_per_second: samples / seconds,
      train_cpu_seconds: cpuSeconds,
      samples_per_cpu_second: samples / cpuSeconds,
      final_loss: lastEpochLoss,
    });
  }
  return { runs, model: model! };
}
