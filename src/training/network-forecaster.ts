// The trained CNN+LSTM behind the same Forecaster interface as the baselines, so the
// evaluation code treats all of them alike and compares them on the same targets.
import type { CnnLstmModel } from "../engine/model.js";
import type { NormalizationStats } from "./dataset.js";
import { checkTargets, type Forecaster } from "./forecaster.js";

export class NetworkForecaster implements Forecaster {
  readonly name = "cnn_lstm";

  constructor(
    private readonly model: CnnLstmModel,
    private readonly stats: NormalizationStats,
    private readonly batchSize = 256,
  ) {}

  /**
   * The weights are learned by trainModel, which needs the validation part for early
   * stopping and so does not fit this one-argument shape; fit() only accepts an already
   * trained model and returns it.
   */
  fit(_trainPart: Float64Array): this {
    return this;
  }

  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    const windowSize = this.model.shape.windowSize;
    checkTargets(this.name, series, targetIndices, windowSize);
    const { mean, std } = this.stats;
    const out = new Float64Array(targetIndices.length);
    const x = new Float32Array(this.batchSize * windowSize);
    for (let from = 0; from < targetIndices.length; from += this.batchSize) {
      const count = Math.min(this.batchSize, targetIndices.length - from);
      for (let b = 0; b < count; b++) {
        const t = targetIndices[from + b];
        for (let k = 0; k < windowSize; k++) x[b * windowSize + k] = (series[t - windowSize + k] - mean) / std;
      }
      const z = this.model.predict(x.subarray(0, count * windowSize), count);
      for (let b = 0; b < count; b++) out[from + b] = z[b] * std + mean;
    }
    return out;
  }
}
