import { describe, expect, it } from "vitest";
import { ParameterSet } from "../../src/engine/index.js";

describe("ParameterSet", () => {
  const layout = [
    { name: "a", shape: [2, 3] },
    { name: "b", shape: [4] },
  ];

  it("lays tensors out back to back in one array, in layout order", () => {
    const p = new ParameterSet(layout);
    expect(p.entries).toEqual([
      { name: "a", shape: [2, 3], offset: 0, size: 6 },
      { name: "b", shape: [4], offset: 6, size: 4 },
    ]);
    expect(p.data).toBeInstanceOf(Float32Array);
    expect(p.data.length).toBe(10);
    expect(p.grad.length).toBe(10);
  });

  it("views write through to the flat arrays", () => {
    const p = new ParameterSet(layout);
    p.view("b").set([1, 2, 3, 4]);
    p.gradView("a")[5] = 9;
    expect(Array.from(p.data.subarray(6))).toEqual([1, 2, 3, 4]);
    expect(p.grad[5]).toBe(9);
    p.zeroGrad();
    expect(p.grad.every((g) => g === 0)).toBe(true);
    expect(p.data[6]).toBe(1);
  });

  it("names the known parameters when asked for an unknown one", () => {
    expect(() => new ParameterSet(layout).view("c")).toThrow('No parameter named "c". Known parameters: a, b.');
  });

  it("refuses duplicate names and bad shapes", () => {
    expect(() => new ParameterSet([...layout, { name: "a", shape: [1] }])).toThrow(/"a" appears twice/);
    expect(() => new ParameterSet([{ name: "z", shape: [2, 0] }])).toThrow(/shape \[2, 0\]; every dimension must be a positive integer/);
  });
});
