// Every backend must pass these kernel checks against naive float64 loops: the reference one
// and the native "fast" one when it is built (backends-under-test.ts).

import { afterEach, describe, expect, it } from "vitest";
import { activeBackend, availableBackends, Random, type Backend } from "../../src/engine/index.js";
import { backendDescription, defaultBackendName } from "../../src/engine/backend.js";
import { fastBackendProblem } from "../../src/engine/backends/fast.js";
import { backendsUnderTest } from "./backends-under-test.js";

const saved = process.env.SALESCAST_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.SALESCAST_BACKEND;
  else process.env.SALESCAST_BACKEND = saved;
});

describe("backend selection", () => {
  it("defaults to fast when its addon loads, else reference; SALESCAST_BACKEND=reference forces reference", () => {
    delete process.env.SALESCAST_BACKEND;
    const expected = fastBackendProblem() === undefined ? "fast" : "reference";
    expect(defaultBackendName()).toBe(expected);
    expect(activeBackend().name).toBe(expected);
    expect(backendDescription()).toMatch(new RegExp(`^${expected} \\(`));
    process.env.SALESCAST_BACKEND = "reference";
    expect(activeBackend().name).toBe("reference");
    expect(backendDescription()).toMatch(/^reference \(TypeScript; /);
    expect(availableBackends()).toEqual(["reference", "fast"]);
  });

  it("names the available backends when SALESCAST_BACKEND is unknown", () => {
    process.env.SALESCAST_BACKEND = "cuda";
    expect(() => activeBackend()).toThrow(/Unknown engine backend "cuda". Available backends: reference, fast/);
    expect(backendDescription()).toMatch(/^none \(Unknown engine backend "cuda"/);
  });
});

function rand(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** out[M,N] = Σ_k A(m,k) B(k,n) with accessor functions, in float64. */
function naive(M: number, K: number, N: number, a: (m: number, k: number) => number, b: (k: number, n: number) => number): number[] {
  const out: number[] = [];
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a(m, k) * b(k, n);
    out.push(s);
  }
  return out;
}

describe.each(backendsUnderTest().map((be) => [be.name, be] as [string, Backend]))("kernels of the %s backend", (_name, be) => {
  const rng = new Random(5);
  const M = 5, K = 7, N = 3;

  it("matmul, matmulBt, matmulAt agree with the naive product, overwriting and accumulating", () => {
    const a = rand(rng, M * K), bKN = rand(rng, K * N), bNK = rand(rng, N * K), aKM = rand(rng, K * M);
    const cases: [string, (out: Float32Array, acc: boolean) => void, number[]][] = [
      ["matmul", (o, acc) => be.matmul(o, a, bKN, M, K, N, acc), naive(M, K, N, (m, k) => a[m * K + k], (k, n) => bKN[k * N + n])],
      ["matmulBt", (o, acc) => be.matmulBt(o, a, bNK, M, K, N, acc), naive(M, K, N, (m, k) => a[m * K + k], (k, n) => bNK[n * K + k])],
      ["matmulAt", (o, acc) => be.matmulAt(o, aKM, bKN, M, K, N, acc), naive(M, K, N, (m, k) => aKM[k * M + m], (k, n) => bKN[k * N + n])],
    ];
    for (const [label, run, expected] of cases) {
      const out = new Float32Array(M * N).fill(123);
      run(out, false);
      expect(Array.from(out), label).toEqual(expected.map(Math.fround));
      run(out, true);
      out.forEach((v, i) => expect(v, label).toBeCloseTo(2 * expected[i], 5));
    }
  });

  it("addRowVector and sumRows", () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    be.addRowVector(a, new Float32Array([10, 20, 30]), 2, 3);
    expect(Array.from(a)).toEqual([11, 22, 33, 14, 25, 36]);
    const sums = new Float32Array([1, 1, 1]);
    be.sumRows(sums, a, 2, 3);
    expect(Array.from(sums)).toEqual([26, 48, 70]);
  });

  it("relu forward and backward (no gradient where the output is 0)", () => {
    const x = new Float32Array([-1, 0, 2, Number.NaN]);
    be.reluForward(x, 4);
    expect(Array.from(x)).toEqual([0, 0, 2, Number.NaN]);
    const d = new Float32Array([5, 5, 5, 5]);
    be.reluBackward(d, x, 4);
    expect(Array.from(d)).toEqual([0, 0, 5, 0]);
  });

  it("conv1dForward writes [T', B, C] and conv1dBackward adds the matching gradients", () => {
    // x [B=1, F=1, T=4] = 1 2 3 4, w [C=2, F=1, K=3]
    const x = new Float32Array([1, 2, 3, 4]);
    const w = new Float32Array([1, 0, -1, 0.5, 0.5, 0.5]);
    const bias = new Float32Array([0, 1]);
    const out = new Float32Array(4);
    be.conv1dForward(out, x, w, bias, 1, 1, 4, 2, 3);
    expect(Array.from(out)).toEqual([-2, 4, -2, 5.5]); // t=0: [1-3, 1+3], t=1: [2-4, 1+4.5]
    const dx = new Float32Array(4), dw = new Float32Array(6), db = new Float32Array(2);
    be.conv1dBackward(dx, dw, db, new Float32Array([1, 0, 0, 2]), x, w, 1, 1, 4, 2, 3);
    expect(Array.from(db)).toEqual([1, 2]);
    expect(Array.from(dw)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(Array.from(dx)).toEqual([1, 1, 0, 1]);
  });

  it("lstmCellForward computes c = f·c' + i·g and h = o·tanh(c) with gates i, f, g, o", () => {
    const z = [0.3, -0.2, 0.5, 1.1];
    const gates = new Float32Array(z);
    const c = new Float32Array(1), h = new Float32Array(1), tanhC = new Float32Array(1);
    be.lstmCellForward(gates, new Float32Array([0.7]), c, h, tanhC, 1, 1);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const expectedC = s(z[1]) * 0.7 + s(z[0]) * Math.tanh(z[2]);
    expect(c[0]).toBeCloseTo(expectedC, 6);
    expect(h[0]).toBeCloseTo(s(z[3]) * Math.tanh(expectedC), 6);
    expect(gates[2]).toBeCloseTo(Math.tanh(z[2]), 6);
  });
});
