import { describe, expect, it } from "vitest";
import { formatDuration, ProgressDisplay } from "../../src/training/progress.js";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 200, write: (text: string) => (chunks.push(text), true) } };
}

describe("progress display", () => {
  it("writes plain lines once per epoch when stderr is not a terminal", () => {
    const { chunks, stream } = fakeStream(false);
    const display = new ProgressDisplay(stream);
    for (let b = 1; b <= 5; b++) display.report({ kind: "batch", category: "A", epoch: 1, maxEpochs: 3, batch: b, batches: 5, loss: 0.5 });
    display.report({ kind: "epoch", category: "A", epoch: 1, maxEpochs: 3, trainLoss: 0.5, valLoss: 0.25, seconds: 1.25, improved: true });
    expect(chunks).toEqual(["A epoch 1/3 train_loss 0.5000 val_loss 0.2500 * (1.3s)\n"]);
    expect(chunks.join("")).not.toContain("\r");
  });

  it("rewrites one line on a terminal with epoch, batch, loss and ETA", () => {
    const { chunks, stream } = fakeStream(true);
    let now = 0;
    const display = new ProgressDisplay(stream, () => now);
    now = 1000;
    display.report({ kind: "batch", category: "A", epoch: 1, maxEpochs: 2, batch: 1, batches: 4, loss: 0.75 });
    now = 2000;
    display.report({ kind: "batch", category: "A", epoch: 1, maxEpochs: 2, batch: 2, batches: 4, loss: 0.5 });
    const last = chunks[chunks.length - 1];
    expect(last.startsWith("\r\x1b[2K")).toBe(true);
    // 2 batches in 1 s from the first report => 0.5 s each; 6 batches left => 3 s.
    expect(last).toContain("A e1/2 b2/4 loss 0.5000 ETA 3s");
    expect(last).not.toContain("\n");
    display.finish("A", "done");
    expect(chunks.join("")).toContain("A: done\n");
  });

  it("shows one segment per category in training and drops a category once it is done", () => {
    const { chunks, stream } = fakeStream(true);
    let now = 0;
    const display = new ProgressDisplay(stream, () => (now += 1000));
    display.report({ kind: "batch", category: "A", epoch: 1, maxEpochs: 2, batch: 1, batches: 4, loss: 0.5 });
    display.report({ kind: "batch", category: "B", epoch: 2, maxEpochs: 3, batch: 3, batches: 4, loss: 0.25 });
    expect(chunks[chunks.length - 1]).toMatch(/A e1\/2 b1\/4 .* \| B e2\/3 b3\/4 loss 0\.2500/);
    display.report({ kind: "done", category: "A", text: "ok" });
    const afterDone = chunks.slice(-2);
    expect(afterDone[0]).toBe("A: ok\n");
    expect(afterDone[1]).toMatch(/^\r\x1b\[2KB e2\/3/);
    expect(afterDone[1]).not.toContain("A e1");
  });

  it("formats durations", () => {
    expect(formatDuration(5)).toBe("5s");
    expect(formatDuration(65)).toBe("1m05s");
    expect(formatDuration(3700)).toBe("1h01m");
    expect(formatDuration(Number.NaN)).toBe("?");
  });
});
