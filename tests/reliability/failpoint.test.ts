// The failpoint switch itself: a misspelt name must fail loudly (a crash test with a typo
// would otherwise pass without crashing anything), and without the variable nothing happens.
import { afterEach, describe, expect, it, vi } from "vitest";

const saved = process.env.SALESCAST_FAILPOINT;
afterEach(() => {
  if (saved === undefined) delete process.env.SALESCAST_FAILPOINT;
  else process.env.SALESCAST_FAILPOINT = saved;
  vi.resetModules();
});

async function importWith(value: string | undefined) {
  if (value === undefined) delete process.env.SALESCAST_FAILPOINT;
  else process.env.SALESCAST_FAILPOINT = value;
  vi.resetModules();
  return import("../../src/util/failpoint.js");
}

describe("SALESCAST_FAILPOINT", () => {
  it.each(["train:btach", "train:batch@0", "train:batch@x", "TRAIN:BATCH", "registry"])("refuses %j, listing the names", async (value) => {
    await expect(importWith(value)).rejects.toThrow(/is not a failpoint; use one of train:batch, checkpoint:after-weights/);
  });

  it("does nothing when unset, or set to another failpoint", async () => {
    for (const value of [undefined, "", "registry:after-index"]) {
      const { failpoint } = await importWith(value);
      // A failpoint that fired here would SIGKILL the test worker, failing the run.
      for (let i = 0; i < 3; i++) failpoint("train:batch");
    }
  });

  it("kills at the N-th hit only", async () => {
    const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
    try {
      const { failpoint } = await importWith("train:batch@3");
      failpoint("train:batch");
      failpoint("checkpoint:after-weights");
      failpoint("train:batch");
      expect(kill).not.toHaveBeenCalled();
      failpoint("train:batch");
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGKILL");
    } finally {
      kill.mockRestore();
    }
  });
});
