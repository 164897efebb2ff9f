// The native backend: the C++ addon (native/src, built by scripts/build-native.mjs at
// install) behind the Backend interface. Every kernel is there for callers that drive the layers
// one kernel at a time; CnnLstmModel uses createNetwork(), which runs the whole network in one
// call per batch (AVX2+FMA kernels when the CPU has them, a batch split over two threads) and
// adamUpdate(). float32 only: float64 models fall back to the reference backend.
//
// Threads: a batch of 8+ rows is split over 2 threads in the main thread, 1 in worker threads;
// SALESCAST_THREADS=1|2 overrides (results are identical either way).
//
// Loading is lazy and happens once per thread: nativeBackendProblem() says why the addon cannot be
// used (not built, built for another Node, ...), and engine.backend: auto then takes "reference".
// (The name was "fast" before engine.backend existed; the C++ sources keep their names.)

import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { isMainThread } from "node:worker_threads";
import { packageRoot } from "../../version.js";
import type { AdamUpdateArgs, Backend, FloatArray, FusedNetwork, NetworkShape } from "../backend.js";

/** Must equal SALESCAST_ADDON_ABI in native/src/addon.cpp. */
const ADDON_ABI = 3;
const BUILD_HINT = "build it with `npm rebuild salescast` or `node scripts/build-native.mjs` (needs a C++ compiler and the Node.js headers)";

type NetworkHandle = { readonly __brand: "salescast-network" };

/** The addon: the Backend's own kernels (same signatures), plus its fused network, one matmul with a variant, and Adam on flat arguments. */
interface NativeAddon extends Pick<
  Backend,
  "addRowVector" | "sumRows" | "reluForward" | "reluBackward" | "conv1dForward" | "conv1dBackward" | "lstmCellForward" | "lstmCellBackward"
> {
  describe(): { abi: number; variant: string; threads: number };
  setThreads(threads: number): void;
  createNetwork(F: number, T: number, C: number, H: number, L: number, O: number, K: number): NetworkHandle;
  networkParameterCount(net: NetworkHandle): number;
  networkForward(net: NetworkHandle, params: Float32Array, x: Float32Array, batch: number, y: Float32Array, keep: boolean): void;
  networkBackward(net: NetworkHandle, params: Float32Array, grad: Float32Array, dOut: Float32Array, dInput: Float32Array): void;
  /** variant 0: a·b, 1: a·bᵀ, 2: aᵀ·b */
  matmul(out: FloatArray, a: FloatArray, b: FloatArray, M: number, K: number, N: number, accumulate: boolean, variant: number): void;
  adamUpdate(
    p: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    stepSize: number,
    correction2Sqrt: number,
  ): void;
}

/** Why the addon cannot be used, in full (with its path) and for HTTP answers (no server path). */
type Problem = { problem: string; publicProblem: string };
let loaded: { addon: NativeAddon } | Problem | undefined;

/** Where the addon is looked for: SALESCAST_NATIVE_ADDON, else native/build/salescast_native.node. */
export function nativeAddonPath(): string {
  const override = process.env.SALESCAST_NATIVE_ADDON?.trim();
  return override ? override : join(packageRoot(), "native", "build", "salescast_native.node");
}

/**
 * The problem as the process reports it (with the addon's path) and as an HTTP answer may show it:
 * the path relative to the package, or only its file name when it is elsewhere.
 */
function problemAt(path: string, describe: (where: string) => string): Problem {
  const inPackage = relative(packageRoot(), path);
  const shown = inPackage && !inPackage.startsWith("..") && !inPackage.startsWith(sep) ? inPackage : (path.split(sep).pop() ?? "the addon");
  return { problem: describe(path), publicProblem: describe(shown).split(path).join(shown) };
}

function load(): { addon: NativeAddon } | Problem {
  if (loaded) return loaded;
  const path = nativeAddonPath();
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const abi = addon.describe().abi;
    if (abi !== ADDON_ABI) {
      loaded = problemAt(path, (where) => `the addon at ${where} was built from other sources (ABI ${abi}, expected ${ADDON_ABI}); ${BUILD_HINT}`);
    } else {
      // A worker thread is one of a pool that already keeps the cores busy (train --all): one
      // thread each, unless SALESCAST_THREADS says otherwise.
      if (!isMainThread && !process.env.SALESCAST_THREADS) addon.setThreads(1);
      loaded = { addon };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    loaded =
      code === "MODULE_NOT_FOUND"
        ? problemAt(path, (where) => `the native addon is not built (no ${where}); ${BUILD_HINT}`)
        : problemAt(path, (where) => `the native addon at ${where} does not load (${reason}); ${BUILD_HINT}`);
  }
  return loaded;
}

/** Why the native backend cannot be used in this process, or undefined when it can. */
export function nativeBackendProblem(): string | undefined {
  const result = load();
  return "problem" in result ? result.problem : undefined;
}

/** nativeBackendProblem() without the server's paths, for GET /api/health. */
export function nativeBackendPublicProblem(): string | undefined {
  const result = load();
  return "problem" in result ? result.publicProblem : undefined;
}

/**
 * The loaded addon, for the engine parts that declare their own entry points in it (the GBDT
 * learner: src/engine/gbdt/native-learner.ts); undefined when it cannot be used (see nativeBackendProblem).
 */
export function loadedAddon(): object | undefined {
  const result = load();
  return "addon" in result ? result.addon : undefined;
}

/** e.g. "C++ addon, AVX2+FMA kernels, 2 threads"; only meaningful when nativeBackendProblem() is undefined. */
export function describeNativeBackend(): string {
  const result = load();
  if ("problem" in result) return `unavailable: ${result.problem}`;
  const { variant, threads } = result.addon.describe();
  const kernels =
    variant === "avx2"
      ? "AVX2+FMA kernels"
      : process.env.SALESCAST_NATIVE_KERNELS === "generic"
        ? "baseline SIMD kernels (SALESCAST_NATIVE_KERNELS=generic)"
        : "baseline SIMD kernels (no AVX2+FMA on this CPU)";
  return `C++ addon, ${kernels}, ${threads} thread${threads === 1 ? "" : "s"}`;
}

export function createNativeBackend(): Backend {
  const result = load();
  if ("problem" in result) {
    throw new Error(
      `The native engine backend cannot be used: ${result.problem}. ` + `Or set engine.backend to auto (native when it loads, else reference) or reference.`,
    );
  }
  const n = result.addon;
  return {
    name: "native",
    supportsFloat64: false,
    alloc: (length) => new Float32Array(length),
    matmul: (out, a, b, M, K, N, acc) => n.matmul(out, a, b, M, K, N, acc, 0),
    matmulBt: (out, a, b, M, K, N, acc) => n.matmul(out, a, b, M, K, N, acc, 1),
    matmulAt: (out, a, b, M, K, N, acc) => n.matmul(out, a, b, M, K, N, acc, 2),
    addRowVector: (out, v, M, N) => n.addRowVector(out, v, M, N),
    sumRows: (out, a, M, N) => n.sumRows(out, a, M, N),
    reluForward: (x, count) => n.reluForward(x, count),
    reluBackward: (d, out, count) => n.reluBackward(d, out, count),
    conv1dForward: (out, x, w, bias, B, F, T, C, K) => n.conv1dForward(out, x, w, bias, B, F, T, C, K),
    conv1dBackward: (dx, dw, dbias, dOut, x, w, B, F, T, C, K) => n.conv1dBackward(dx, dw, dbias, dOut, x, w, B, F, T, C, K),
    lstmCellForward: (gates, cPrev, c, h, tanhC, B, H) => n.lstmCellForward(gates, cPrev, c, h, tanhC, B, H),
    lstmCellBackward: (dGates, acts, cPrev, tanhC, dH, dC, B, H) => n.lstmCellBackward(dGates, acts, cPrev, tanhC, dH, dC, B, H),
    createNetwork: (shape) => createNativeNetwork(n, shape),
    adamUpdate: (p, grad, m, v, a: AdamUpdateArgs) => n.adamUpdate(p, grad, m, v, a.beta1, a.beta2, a.eps, a.weightDecay, a.stepSize, a.correction2Sqrt),
  };
}

function createNativeNetwork(n: NativeAddon, s: NetworkShape): FusedNetwork {
  const handle = n.createNetwork(s.inputSize, s.windowSize, s.convChannels, s.lstmHidden, s.lstmLayers, s.outputSize, s.kernelSize);
  return {
    parameterCount: n.networkParameterCount(handle),
    forward: (params, x, batch, y, keep) => n.networkForward(handle, params, x, batch, y, keep),
    backward: (params, grad, dOut, dInput) => n.networkBackward(handle, params, grad, dOut, dInput),
  };
}
