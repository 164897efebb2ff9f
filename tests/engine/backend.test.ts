// Every backend must pass these kernel checks against naive float64 loops: the reference one
// and the native one when it is built (backends-under-test.ts). Before them, the choice between
// the backends (engine.backend; src/engine/backends/index.ts).

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  activeBackend,
  availableBackends,
  backendDescription,
  backendSelection,
  getBackend,
  nativeBackendProblem,
  Random,
  resolveBackendName,
  useBackend,
  type Backend,
} from "../../src/engine/index.js";
import { backendsUnderTest } from "./backends-under-test.js";

const nativeLoads = nativeBackendProblem() === undefined;
const ENV_NAMES = ["SALESCAST__ENGINE__BACKEND", "SALESCAST_BACKEND"] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
const savedSelection = backendSelection();

afterEach(() => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  useBackend(savedSelection.choice, savedSelection.source);
  vi.resetModules();
});

/** A fresh engine module graph that reads the environment `env` (the choice from the environment is read once per module). */
async function engineWithEnvironment(env: Partial<Record<(typeof ENV_NAMES)[number], string>>) {
  for (const name of ENV_NAMES) delete process.env[name];
  Object.assign(process.env, env);
  vi.resetModules();
  return import("../../src/engine/index.js");
}

/** The messages of the process warnings emitted while `run` runs (they arrive on a later tick). */
async function warningsDuring(run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listen = (warning: Error) => seen.push(warning.message);
  process.on("warning", listen);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", listen);
  }
  return seen;
}

describe("backend selection (engine.backend)", () => {
  it("lists reference and native; auto is native exactly when its addon loads", () => {
    expect(availableBackends()).toEqual(["reference", "native"]);
    expect(resolveBackendName("auto")).toBe(nativeLoads ? "native" : "reference");
    expect(resolveBackendName("reference")).toBe("reference");
    expect(resolveBackendName("native")).toBe("native");
  });

  it("useBackend decides for every model made afterwards, and the description says why", () => {
    useBackend("auto");
    expect(activeBackend().name).toBe(nativeLoads ? "native" : "reference");
    expect(backendDescription()).toMatch(nativeLoads ? /^native \(C\+\+ addon, .* threads?\)$/ : /^reference \(TypeScript; native backend unavailable: /);
    useBackend("reference");
    expect(activeBackend().name).toBe("reference");
    expect(backendDescription()).toMatch(
      nativeLoads
        ? /^reference \(TypeScript; chosen by engine\.backend: reference, the native backend is available\)$/
        : /^reference \(TypeScript; native backend unavailable: /,
    );
    expect(backendSelection()).toEqual({ choice: "reference", source: "engine.backend" });
  });

  it("refuses a choice that is not auto, native or reference, and an unknown backend name", () => {
    expect(() => useBackend("fast" as never)).toThrow(/Unknown engine\.backend "fast"; choose auto, native, reference/);
    expect(() => getBackend("cuda")).toThrow(/Unknown engine backend "cuda". Available backends: reference, native/);
  });

  it("without useBackend, SALESCAST__ENGINE__BACKEND decides (the configuration's environment variable)", async () => {
    const engine = await engineWithEnvironment({ SALESCAST__ENGINE__BACKEND: "reference" });
    expect(engine.backendSelection()).toEqual({ choice: "reference", source: "SALESCAST__ENGINE__BACKEND" });
    expect(engine.activeBackend().name).toBe("reference");
    if (nativeLoads)
      expect(engine.backendDescription()).toBe("reference (TypeScript; chosen by SALESCAST__ENGINE__BACKEND=reference, the native backend is available)");
    const fresh = await engineWithEnvironment({});
    expect(fresh.backendSelection()).toEqual({ choice: "auto", source: "default" });
  });

  it("still reads the deprecated SALESCAST_BACKEND, fast meaning native, with deprecation warnings; the new variable wins", async () => {
    let engine = await engineWithEnvironment({ SALESCAST_BACKEND: "fast" });
    const warnings = await warningsDuring(() => expect(engine.backendSelection()).toEqual({ choice: "native", source: "SALESCAST_BACKEND" }));
    expect(warnings.join("\n")).toMatch(/SALESCAST_BACKEND is deprecated: use SALESCAST__ENGINE__BACKEND/);
    expect(warnings.join("\n")).toMatch(/"fast" is the old name of the native backend; write "native"/);
    engine = await engineWithEnvironment({ SALESCAST_BACKEND: "reference", SALESCAST__ENGINE__BACKEND: "auto" });
    expect(engine.backendSelection()).toEqual({ choice: "auto", source: "SALESCAST__ENGINE__BACKEND" });
  });

  it("an unknown value in the environment is an error naming the variable and the choices, and --version's line says so", async () => {
    const engine = await engineWithEnvironment({ SALESCAST__ENGINE__BACKEND: "cuda" });
    expect(() => engine.activeBackend()).toThrow(/Unknown engine backend "cuda" \(from SALESCAST__ENGINE__BACKEND\). Set it to one of auto, native, reference/);
    expect(engine.backendDescription()).toMatch(/^none \(Unknown engine backend "cuda"/);
  });
});

function rand(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** out[M,N] = Σ_k A(m,k) B(k,n) with accessor functions, in float64. */
function naive(M: number, K: number, N: number, a: (m: number, k: number) => number, b: (k: number, n: number) => number): number[] {
  const out: number[] = [];
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a(m, k) * b(k, n);
      out.push(s);
    }
  return out;
}

describe.each(backendsUnderTest().map((be) => [be.name, be] as [string, Backend]))("kernels of the %s backend", (_name, be) => {
  const rng = new Random(5);
  const M = 5,
    K = 7,
    N = 3;

  it("matmul, matmulBt, matmulAt agree with the naive product, overwriting and accumulating", () => {
    const a = rand(rng, M * K),
      bKN = rand(rng, K * N),
      bNK = rand(rng, N * K),
      aKM = rand(rng, K * M);
    const cases: [string, (out: Float32Array, acc: boolean) => void, number[]][] = [
      [
        "matmul",
        (o, acc) => be.matmul(o, a, bKN, M, K, N, acc),
        naive(
          M,
          K,
          N,
          (m, k) => a[m * K + k],
          (k, n) => bKN[k * N + n],
        ),
      ],
      [
        "matmulBt",
        (o, acc) => be.matmulBt(o, a, bNK, M, K, N, acc),
        naive(
          M,
          K,
          N,
          (m, k) => a[m * K + k],
          (k, n) => bNK[n * K + k],
        ),
      ],
      [
        "matmulAt",
        (o, acc) => be.matmulAt(o, aKM, bKN, M, K, N, acc),
        naive(
          M,
          K,
          N,
          (m, k) => aKM[k * M + m],
          (k, n) => bKN[k * N + n],
        ),
      ],
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
    const dx = new Float32Array(4),
      dw = new Float32Array(6),
      db = new Float32Array(2);
    be.conv1dBackward(dx, dw, db, new Float32Array([1, 0, 0, 2]), x, w, 1, 1, 4, 2, 3);
    expect(Array.from(db)).toEqual([1, 2]);
    expect(Array.from(dw)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(Array.from(dx)).toEqual([1, 1, 0, 1]);
  });

  it("lstmCellForward computes c = f·c' + i·g and h = o·tanh(c) with gates i, f, g, o", () => {
    const z = [0.3, -0.2, 0.5, 1.1];
    const gates = new Float32Array(z);
    const c = new Float32Array(1),
      h = new Float32Array(1),
      tanhC = new Float32Array(1);
    be.lstmCellForward(gates, new Float32Array([0.7]), c, h, tanhC, 1, 1);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const expectedC = s(z[1]) * 0.7 + s(z[0]) * Math.tanh(z[2]);
    expect(c[0]).toBeCloseTo(expectedC, 6);
    expect(h[0]).toBeCloseTo(s(z[3]) * Math.tanh(expectedC), 6);
    expect(gates[2]).toBeCloseTo(Math.tanh(z[2]), 6);
  });
});
