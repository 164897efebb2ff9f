// The global network's training and held-out windows, from every series at once. A window's
// targets are the H periods from its origin, relative to its window's scale (windows.ts: targetOf).
// Training windows have every target before the held-out start; held-out windows (early
// stopping only) have their first target at or after it. With more training windows than
// max_windows, each series keeps its most recent ones, in equal shares.
import { epochDayFromIso } from "../../data/dates.js";
import type { WindowSet } from "../cnn_lstm/dataset.js";
import type { SeriesInput } from "../model.js";
import { targetOf, writeWindow, type WindowWriter } from "./windows.js";

/** One series' windows: origins [first, last] (inclusive; none when first > last). */
interface Origins {
  series: SeriesInput;
  startDay: number;
  first: number;
  last: number;
}

/** The training and held-out windows; `holdoutStart(s)` is the first held-out period of series s. */
export function globalWindowSets(
  w: WindowWriter,
  series: readonly SeriesInput[],
  holdoutStart: (s: SeriesInput) => number,
  maxWindows: number,
): { train: WindowSet; validation: WindowSet } {
  const { window_size: T, horizon: H } = w.layout;
  const train: Origins[] = [];
  const validation: Origins[] = [];
  for (const s of series) {
    const startDay = epochDayFromIso(s.start)!;
    const n = s.values.length;
    const held = Math.min(holdoutStart(s), n);
    train.push({ series: s, startDay, first: T, last: held - H });
    validation.push({ series: s, startDay, first: Math.max(T, held), last: n - H });
  }
  if (maxWindows > 0) capRecent(train, maxWindows);
  return { train: windowSet(w, train), validation: windowSet(w, validation) };
}

/** Keeps the most recent windows of each series so that at most `max` remain, shared equally (what one series leaves goes to the others). */
function capRecent(origins: Origins[], max: number): void {
  const counts = origins.map((o) => Math.max(0, o.last - o.first + 1));
  let left = max;
  const order = counts.map((_, i) => i).sort((a, b) => counts[a] - counts[b]);
  order.forEach((i, rank) => {
    const share = Math.floor(left / (order.length - rank));
    const keep = Math.min(counts[i], share);
    if (keep < counts[i]) origins[i].first = origins[i].last - keep + 1;
    left -= keep;
  });
}

function windowSet(w: WindowWriter, origins: readonly Origins[]): WindowSet {
  const { window_size: T, horizon: H } = w.layout;
  const count = origins.reduce((sum, o) => sum + Math.max(0, o.last - o.first + 1), 0);
  const size = w.channels * T;
  const inputs = new Float32Array(count * size);
  const targets = new Float32Array(count * H);
  let n = 0;
  for (const o of origins) {
    for (let t = o.first; t <= o.last; t++, n++) {
      const scale = writeWindow(w, o.series.values, o.startDay, t, o.series.name, inputs, n * size);
      for (let j = 0; j < H; j++) targets[n * H + j] = targetOf(o.series.values[t + j], scale);
    }
  }
  return {
    count,
    windowSize: T,
    inputSize: w.channels,
    horizon: H,
    inputs,
    targets,
    targetIndices: new Int32Array(count),
    dates: [],
    actual: new Float64Array(count),
  };
}
