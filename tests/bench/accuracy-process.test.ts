// How the bench runs a tool: its stdout kept, its stderr passed on and its last lines kept for
// the message, wall and CPU time measured, a tool that is not installed reported, not thrown.
import { describe, expect, it } from "vitest";
import { parseTimes, runMeasured } from "../../bench/accuracy-process.js";

describe("runMeasured", () => {
  it("keeps stdout and the last stderr lines, and measures the child's CPU time", async () => {
    // a fixed amount of work (not a fixed time), so it uses CPU whatever the machine's load
    const script = "let x = 0; for (let i = 0; i < 2e8; i++) x += i & 1; console.log('done', x > 0); console.error('one\\ntwo'); process.exit(3)";
    const result = await runMeasured("test", process.execPath, ["-e", script]);
    expect(result.status).toBe(3);
    expect(result.stdout).toBe("done true\n");
    expect(result.stderrTail).toEqual(["one", "two"]);
    expect(result.startError).toBeUndefined();
    // measured (bash's times), not asserted as a speed: only that the work was counted
    expect(result.cpuSeconds).toBeGreaterThan(0);
    expect(result.wallSeconds).toBeGreaterThan(0);
  });

  it("reports a tool that is not installed instead of failing", async () => {
    const result = await runMeasured("test", "salescast-no-such-tool", ["x"]);
    expect(result.status).toBeNull();
    expect(result.startError).toBe("salescast-no-such-tool is not installed (not on PATH)");
  });
});

describe("parseTimes", () => {
  it("adds the children's user and system time from bash's times", () => {
    expect(parseTimes("0m0.003s 0m0.001s\n1m37.360s 0m1.040s\n")).toBeCloseTo(98.4, 10);
    expect(parseTimes("garbage")).toBeNaN();
  });
});
