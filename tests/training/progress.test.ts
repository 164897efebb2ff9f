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
    // From the first report (batch 1) to this one (batch 2): 1 batch in 1 s; 6 batches left => 6 s.
    expect(last).toContain("A e1/2 b2/4 loss 0.5000 ETA 6s");
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
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is what is checked
    expect(afterDone[1]).toMatch(/^\r\x1b\[2KB e2\/3/);
    expect(afterDone[1]).not.toContain("A e1");
  });

  it("estimates from the batch positions, not the number of events (workers send at most 10 per second)", () => {
    const { chunks, stream } = fakeStream(true);
    let now = 0;
    const display = new ProgressDisplay(stream, () => now);
    // A worker training 100 batches per second reports every 10th batch, 10 times per second.
    for (let event = 0; event < 20; event++) {
      now = 100 * event;
      display.report({ kind: "batch", category: "A", epoch: 1 + Math.floor(event / 10), maxEpochs: 3, batch: 10 * (event % 10) + 5, batches: 100, loss: 0.5 });
    }
    // At epoch 2 batch 95 after 1.9 s: 190 batches in 1.9 s since the first event, 105 left => about 1 s.
    // Counting events instead (19 events in 1.9 s, 0.1 s "per batch") would say 10.5 s.
    expect(chunks[chunks.length - 1]).toContain("A e2/3 b95/100 loss 0.5000 ETA 1s");
  });

  it("has no estimate before a second position is known, and an ETA across epochs", () => {
    const { chunks, stream } = fakeStream(true);
    let now = 0;
    const display = new ProgressDisplay(stream, () => now);
    display.report({ kind: "batch", category: "A", epoch: 1, maxEpochs: 10, batch: 4, batches: 4, loss: 0.5 });
    expect(chunks[chunks.length - 1]).toContain("ETA ?");
    now = 2000;
    display.report({ kind: "batch", category: "A", epoch: 2, maxEpochs: 10, batch: 4, batches: 4, loss: 0.5 });
    // One epoch (4 batches) in 2 s, 8 epochs left => 16 s.
    expect(chunks[chunks.length - 1]).toContain("ETA 16s");
  });

  it("draws a readable line when the terminal reports 0 columns (or none)", () => {
    for (const columns of [0, undefined]) {
      const chunks: string[] = [];
      const display = new ProgressDisplay({ isTTY: true, columns, write: (text: string) => (chunks.push(text), true) }, () => 1000);
      display.report({ kind: "batch", category: "M01AB", epoch: 1, maxEpochs: 10, batch: 1, batches: 53, loss: 0.4123 });
      expect(chunks[chunks.length - 1]).toBe("\r\x1b[2KM01AB e1/10 b1/53 loss 0.4123 ETA ?");
    }
  });

  it("cuts the line to a narrow terminal's width, with an ellipsis", () => {
    const chunks: string[] = [];
    const display = new ProgressDisplay({ isTTY: true, columns: 20, write: (text: string) => (chunks.push(text), true) }, () => 1000);
    display.report({ kind: "batch", category: "M01AB", epoch: 1, maxEpochs: 10, batch: 1, batches: 53, loss: 0.4123 });
    expect(chunks[chunks.length - 1]).toBe("\r\x1b[2KM01AB e1/10 b1/53 …"); // 19 characters: one less than the width
  });

  it("formats durations", () => {
    expect(formatDuration(5)).toBe("5s");
    expect(formatDuration(65)).toBe("1m05s");
    expect(formatDuration(3700)).toBe("1h01m");
    expect(formatDuration(Number.NaN)).toBe("?");
  });
});
