import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CheckpointError, loadCheckpoint, saveCheckpoint, type CheckpointMetaInput } from "../../src/engine/checkpoint.js";
import { salescastVersion } from "../../src/version.js";
import { CnnLstmModel, parameterLayout, type ModelShape } from "../../src/engine/model.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "../../src/engine/safetensors.js";

// Failure injection: a test sets `failRenameTo` / `failOpenOf` and the next matching fs call throws,
// as a full disk or a crash would, so we can check the checkpoint already on disk survives.
const injected = vi.hoisted(() => ({ failRenameTo: undefined as string | undefined, failOpenOf: undefined as string | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (injected.failRenameTo !== undefined && String(to).endsWith(injected.failRenameTo)) {
        throw Object.assign(new Error(`EIO: injected failure renaming to ${to}`), { code: "EIO" });
      }
      return actual.rename(from, to);
    },
    open: async (path: string, ...rest: unknown[]) => {
      if (injected.failOpenOf !== undefined && String(path).includes(injected.failOpenOf)) {
        throw Object.assign(new Error(`ENOSPC: injected failure opening ${path}`), { code: "ENOSPC" });
      }
      return (actual.open as (...args: unknown[]) => unknown)(path, ...rest);
    },
  };
});

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 8, lstmHidden: 16, lstmLayers: 1, outputSize: 1 };
const META: CheckpointMetaInput = {
  normalization: { mean: 512.25, std: 97.5 },
  data: { file: "sales.csv", sha256: "ab".repeat(32), category: "Beauty", start: "2023-01-01", end: "2023-12-31", frequency: "D" },
  created_at: "2026-01-02T03:04:05.000Z",
  extra: { epochs: 3 },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-ckpt-"));
});
afterEach(async () => {
  injected.failRenameTo = undefined;
  injected.failOpenOf = undefined;
  await rm(dir, { recursive: true, force: true });
});

function randomInputs(batch: number, shape: ModelShape, seed: number): Float32Array {
  const x = new Float32Array(batch * shape.inputSize * shape.windowSize);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s / 2147483648) * 4 - 2;
  }
  return x;
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

async function rewriteJson(path: string, edit: (meta: Record<string, any>) => void): Promise<void> {
  const meta = JSON.parse(await readFile(path, "utf8"));
  edit(meta);
  await writeFile(path, JSON.stringify(meta));
}

async function expectLoadError(pattern: RegExp, loadDir = dir): Promise<CheckpointError> {
  const error = await loadCheckpoint(loadDir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as Error).message).toMatch(pattern);
  return error as CheckpointError;
}

describe("saveCheckpoint / loadCheckpoint", () => {
  it("round-trips: identical parameters and bit-identical predictions", async () => {
    for (const shape of [SHAPE, { ...SHAPE, lstmLayers: 2, convChannels: 5, lstmHidden: 7 }]) {
      const model = new CnnLstmModel(shape, 7);
      const { weightsPath, metaPath } = await saveCheckpoint(dir, model, META);
      expect(weightsPath).toBe(join(dir, "model.safetensors"));
      expect(metaPath).toBe(join(dir, "model.json"));

      const { model: loaded, meta } = await loadCheckpoint(dir, { windowSize: shape.windowSize });
      expect(bytesOf(loaded.params.data).equals(bytesOf(model.params.data))).toBe(true);
      const x = randomInputs(5, shape, 3);
      expect(bytesOf(loaded.predict(x, 5)).equals(bytesOf(model.predict(x, 5)))).toBe(true);

      expect(meta).toMatchObject({
        format_version: 1,
        salescast_version: salescastVersion(),
        architecture: "CNNLSTM",
        shape,
        window_size: shape.windowSize,
        normalization: META.normalization,
        data: META.data,
        created_at: META.created_at,
        extra: { epochs: 3 },
      });
      expect(meta.weights?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("reads the version from package.json", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(salescastVersion()).toBe(pkg.version);
  });

  it("writes a safetensors file an independent reader can parse (header by hand)", async () => {
    const model = new CnnLstmModel(SHAPE, 11);
    await saveCheckpoint(dir, model, META);
    const raw = await readFile(join(dir, "model.safetensors"));
    const headerLength = Number(raw.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const headerText = raw.subarray(8, 8 + headerLength).toString("utf8");
    expect(headerText.trimEnd().endsWith("}")).toBe(true);
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ *$/); // padding is spaces only
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ format: "pt", architecture: "CNNLSTM", salescast_version: salescastVersion() });

    const layout = parameterLayout(SHAPE);
    expect(Object.keys(header).filter((k) => k !== "__metadata__")).toEqual(layout.map((l) => l.name));
    const data = raw.subarray(8 + headerLength);
    let expectedBegin = 0;
    for (const { name, shape } of layout) {
      const info = header[name];
      expect(info.dtype).toBe("F32");
      expect(info.shape).toEqual(shape);
      const [begin, end] = info.data_offsets;
      expect(begin).toBe(expectedBegin);
      expect(end - begin).toBe(shape.reduce((a: number, b: number) => a * b, 1) * 4);
      const values = model.params.view(name);
      for (let i = 0; i < values.length; i++) expect(data.readFloatLE(begin + 4 * i)).toBe(values[i]);
      expectedBegin = end;
    }
    expect(data.length).toBe(expectedBegin);
  });

  it("names the missing file", async () => {
    await expectLoadError(/model\.json: file not found; .* holds no checkpoint/);
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    await rm(join(dir, "model.safetensors"));
    await expectLoadError(/model\.safetensors: file not found/);
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    await rm(join(dir, "model.json"));
    await expectLoadError(/model\.json: file not found \(model\.safetensors is present; the save did not finish\)/);
  });

  it("refuses weights that changed since model.json was written (sha256)", async () => {
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    const path = join(dir, "model.safetensors");
    const raw = await readFile(path);
    raw[raw.length - 1] ^= 0xff;
    await writeFile(path, raw);
    await expectLoadError(/model\.safetensors: contents do not match the sha256 recorded in model\.json/);
  });

  it("reports truncated and corrupted weights with the file name and the problem", async () => {
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    const path = join(dir, "model.safetensors");
    const raw = await readFile(path);
    // Drop the recorded sha256 (as in a hand-made model.json) so the safetensors checks themselves are reached.
    await rewriteJson(join(dir, "model.json"), (m) => delete m.weights);

    await writeFile(path, raw.subarray(0, raw.length - 10));
    await expectLoadError(/model\.safetensors: tensors need \d+ bytes of data but the file holds \d+ \(truncated\?\)/);
    await writeFile(path, raw.subarray(0, 20));
    await expectLoadError(/model\.safetensors: header length \d+ exceeds the 12 bytes after the length field/);
    await writeFile(path, raw.subarray(0, 3));
    await expectLoadError(/model\.safetensors: file is 3 bytes, too short/);

    const corrupt = Buffer.from(raw);
    corrupt[8] = "x".charCodeAt(0); // the header's opening brace
    await writeFile(path, corrupt);
    await expectLoadError(/model\.safetensors: header is not valid UTF-8 JSON/);
  });

  it("says exactly which tensor differs from the shape in model.json", async () => {
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    const metaPath = join(dir, "model.json");
    await rewriteJson(metaPath, (m) => (m.shape.convChannels = 6));
    const error = await expectLoadError(/tensors do not match the model shape/);
    expect(error.message).toContain('tensor "conv.weight": expected shape [6, 1, 3], found [8, 1, 3]');
    expect(error.message).toContain('tensor "conv.bias": expected shape [6], found [8]');
    expect(error.message).toContain('tensor "lstm.weight_ih_l0": expected shape [64, 6], found [64, 8]');
    expect(error.message).not.toContain("fc.weight");

    await rewriteJson(metaPath, (m) => {
      m.shape.convChannels = 8;
      m.shape.lstmLayers = 2;
    });
    const missing = await expectLoadError(/missing tensor "lstm\.weight_ih_l1" \(expected shape \[64, 16\]\)/);
    expect(missing.message).toContain('missing tensor "lstm.bias_hh_l1"');

    // A file holding a tensor the model does not have.
    await saveCheckpoint(dir, new CnnLstmModel({ ...SHAPE, lstmLayers: 2 }, 1), META);
    await rewriteJson(metaPath, (m) => {
      m.shape.lstmLayers = 1;
      delete m.weights;
    });
    await expectLoadError(/unexpected tensor "lstm\.weight_ih_l1" \[64, 16\]/);
  });

  it("refuses unknown format versions, other major versions, bad metadata and corrupt JSON", async () => {
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    const metaPath = join(dir, "model.json");
    const original = await readFile(metaPath, "utf8");

    await rewriteJson(metaPath, (m) => (m.format_version = 2));
    await expectLoadError(/model\.json: format_version 2 is not one this salescast .* reads \(it reads 1\)/);

    await writeFile(metaPath, original);
    await rewriteJson(metaPath, (m) => (m.salescast_version = "99.0.0"));
    await expectLoadError(/written by salescast 99\.0\.0, .* same major version/);

    await writeFile(metaPath, original);
    await rewriteJson(metaPath, (m) => (m.normalization.std = 0));
    await expectLoadError(/model\.json: invalid checkpoint metadata[\s\S]*normalization\.std/);

    await writeFile(metaPath, original);
    await rewriteJson(metaPath, (m) => (m.window_size = 28));
    await expectLoadError(/window_size 28 disagrees with shape\.windowSize 14/);

    await writeFile(metaPath, original.slice(0, original.length / 2));
    await expectLoadError(/model\.json: not valid JSON/);

    await writeFile(metaPath, original);
    await expect(loadCheckpoint(dir, { windowSize: 28 })).rejects.toThrow(/trained with window_size 14, but 28 was asked for/);
    await expect(loadCheckpoint(dir, { windowSize: 14 })).resolves.toBeDefined();
  });

  it("leaves only the two checkpoint files and replaces an existing checkpoint", async () => {
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), META);
    const second = new CnnLstmModel(SHAPE, 2);
    await saveCheckpoint(dir, second, META);
    expect((await readdir(dir)).sort()).toEqual(["model.json", "model.safetensors"]);
    const { model } = await loadCheckpoint(dir);
    expect(bytesOf(model.params.data).equals(bytesOf(second.params.data))).toBe(true);
  });

  it("keeps the existing checkpoint intact when a save fails midway", async () => {
    const first = new CnnLstmModel(SHAPE, 1);
    await saveCheckpoint(dir, first, META);
    const x = randomInputs(3, SHAPE, 9);
    const before = first.predict(x, 3);

    for (const failure of [
      { failOpenOf: "model.safetensors.tmp" }, // writing the new weights
      { failOpenOf: "model.json.tmp" }, // writing the new metadata
      { failRenameTo: "model.safetensors" }, // committing the weights
      { failRenameTo: "model.json" }, // committing the metadata, after the weights were replaced
    ]) {
      Object.assign(injected, failure);
      // The open failure is ENOSPC: it comes back as a full disk naming the final file, not the temporary one.
      const expected = failure.failOpenOf
        ? /^the disk holding .* is full \(.*\) while writing .*\/model\.(safetensors|json); free space there$/
        : /injected failure/;
      await expect(saveCheckpoint(dir, new CnnLstmModel(SHAPE, 2), META)).rejects.toThrow(expected);
      injected.failOpenOf = undefined;
      injected.failRenameTo = undefined;

      expect((await readdir(dir)).sort(), JSON.stringify(failure)).toEqual(["model.json", "model.safetensors"]);
      const { model } = await loadCheckpoint(dir);
      expect(bytesOf(model.predict(x, 3)).equals(bytesOf(before)), JSON.stringify(failure)).toBe(true);
    }
  });

  it("recovers the previous weights after a crash between the two renames", async () => {
    const first = new CnnLstmModel(SHAPE, 1);
    await saveCheckpoint(dir, first, META);
    const oldWeights = await readFile(join(dir, "model.safetensors"));
    // The state a crash leaves: new weights in place, old ones kept aside, old model.json.
    const other = new CnnLstmModel(SHAPE, 2);
    const tensors = parameterLayout(SHAPE).map(({ name, shape }) => ({ name, shape, data: other.params.view(name) }));
    await writeFile(join(dir, "model.safetensors"), encodeSafetensors(tensors));
    await writeFile(join(dir, "model.safetensors.prev"), oldWeights);
    const { model } = await loadCheckpoint(dir);
    expect(bytesOf(model.params.data).equals(bytesOf(first.params.data))).toBe(true);

    // A save that fails on top of that state must still leave the first model loadable.
    injected.failRenameTo = "model.json";
    await expect(saveCheckpoint(dir, new CnnLstmModel(SHAPE, 3), META)).rejects.toThrow(/injected failure/);
    injected.failRenameTo = undefined;
    const { model: after } = await loadCheckpoint(dir);
    expect(bytesOf(after.params.data).equals(bytesOf(first.params.data))).toBe(true);

    // And a save that succeeds cleans up.
    await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 3), META);
    expect((await readdir(dir)).sort()).toEqual(["model.json", "model.safetensors"]);
  });

  it("refuses bad normalisation at save time without touching the folder", async () => {
    await expect(saveCheckpoint(dir, new CnnLstmModel(SHAPE, 1), { ...META, normalization: { mean: 1, std: 0 } })).rejects.toThrow(
      /positive std, got mean=1 std=0/,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("decodeSafetensors", () => {
  const tensors = [
    { name: "a", shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
    { name: "b", shape: [], data: new Float32Array([-0.5]) },
    { name: "empty", shape: [0, 4], data: new Float32Array(0) },
  ];

  function withHeader(header: unknown, data: Uint8Array): Uint8Array {
    const json = Buffer.from(JSON.stringify(header));
    const out = Buffer.alloc(8 + json.length + data.length);
    out.writeBigUInt64LE(BigInt(json.length), 0);
    json.copy(out, 8);
    Buffer.from(data).copy(out, 8 + json.length);
    return out;
  }

  it("round-trips scalars, empty tensors and metadata", () => {
    const decoded = decodeSafetensors(encodeSafetensors(tensors, { k: "v" }), "t.safetensors");
    expect(decoded.metadata).toEqual({ k: "v" });
    expect(decoded.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual(tensors.map((t) => [t.name, t.shape, Array.from(t.data)]));
  });

  it("accepts tensors listed in any order (offsets decide)", () => {
    const data = new Uint8Array(new Float32Array([7, 8, 9]).buffer);
    const decoded = decodeSafetensors(
      withHeader({ y: { dtype: "F32", shape: [1], data_offsets: [8, 12] }, x: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, data),
    );
    expect(decoded.tensors.map((t) => [t.name, Array.from(t.data)])).toEqual([
      ["x", [7, 8]],
      ["y", [9]],
    ]);
  });

  it.each([
    [{ a: { dtype: "F16", shape: [2], data_offsets: [0, 8] } }, /tensor "a": dtype is "F16"; salescast reads only F32/],
    [{ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, /shape \[3\] needs 12 bytes but data_offsets span 8/],
    [{ a: { dtype: "F32", shape: [-2], data_offsets: [0, 8] } }, /shape \[-2\] is not a list of non-negative integers/],
    [{ a: { dtype: "F32", shape: [2], data_offsets: [4] } }, /data_offsets \[4\] is not a pair/],
    [{ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, /starts at data offset 4, expected 0 \(offsets must be contiguous/],
    [
      { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } },
      /tensor "b" starts at data offset 4, expected 8/,
    ],
    [{ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, /the file holds 8 bytes of data but tensors use only 4/],
    [{ __metadata__: { n: 1 }, a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, /__metadata__\.n is 1, not a string/],
    [[1, 2], /header is not a JSON object/],
  ])("refuses a bad header %j", (header, pattern) => {
    const bytes = withHeader(header, new Uint8Array(8));
    expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(new RegExp(`^bad\\.safetensors: .*${pattern.source}`));
  });

  it("refuses an absurd header length without allocating it", () => {
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(2n ** 63n, 0);
    expect(() => decodeSafetensors(bytes, "x")).toThrow(/header length 9223372036854775808 exceeds the 8 bytes/);
  });

  it("refuses to encode inconsistent tensors", () => {
    expect(() => encodeSafetensors([{ name: "a", shape: [3], data: new Float32Array(2) }])).toThrow(/shape \[3\] \(3 values\) but 2 values/);
    expect(() => encodeSafetensors([{ name: "__metadata__", shape: [1], data: new Float32Array(1) }])).toThrow(/reserved/);
  });
});

// The PyTorch twin: load model.safetensors with load_state_dict and compare forecasts in sales units.
const PYTHON = "/usr/bin/python3";
const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import torch, numpy"]).status === 0;

describe.skipIf(!hasTorch)("PyTorch loads the checkpoint (tools/check_safetensors.py; skipped without /usr/bin/python3 + torch)", () => {
  it("gives the same forecasts as the engine", async () => {
    for (const shape of [SHAPE, { ...SHAPE, lstmLayers: 2 }]) {
      const model = new CnnLstmModel(shape, 5);
      await saveCheckpoint(dir, model, META);
      const { mean, std } = META.normalization;
      const batch = 6;
      const z = randomInputs(batch, shape, 4);
      const sales = Array.from(z, (v) => Math.fround(v * std + mean));
      const normalised = Float32Array.from(sales, (v) => (v - mean) / std);
      const forecasts = Array.from(model.predict(normalised, batch), (v) => v * std + mean);
      const inputs = Array.from({ length: batch }, (_, b) => sales.slice(b * shape.windowSize, (b + 1) * shape.windowSize));
      const casesPath = join(dir, "cases.json");
      await writeFile(casesPath, JSON.stringify({ inputs, forecasts }));

      const result = spawnSync(PYTHON, ["tools/check_safetensors.py", dir, casesPath, "--reader", "builtin", "--tol", "1e-5"], {
        encoding: "utf8",
      });
      const report = result.stdout.trim() ? JSON.parse(result.stdout.trim()) : undefined;
      console.log(`PyTorch vs engine (layers=${shape.lstmLayers}):`, result.stdout.trim(), result.stderr.trim());
      expect(result.status, result.stderr).toBe(0);
      expect(report.cases).toBe(batch);
      expect(report.max_rel_diff).toBeLessThanOrEqual(1e-5);
    }
  });
});
