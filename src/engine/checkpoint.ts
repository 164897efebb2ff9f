// A checkpoint is a folder with two files:
//   model.safetensors  the parameters, named and shaped exactly like the PyTorch state_dict
//                      (loads with safetensors.torch.load_file + load_state_dict, see docs/pytorch-loading.md)
//   model.json         CheckpointMeta: model shape, normalisation, data fingerprint, versions,
//                      and the sha256 of the weights file it belongs to.
//
// Normalisation convention (training, forecaster, ONNX export and the PyTorch snippet all use it):
//   z = (x - mean) / std        forecast = z_out * std + mean
// where `std` is stored exactly as the divisor, i.e. it already includes any epsilon
// (training stores population std of the training part + 1e-6). Nobody adds an epsilon again.
//
// Saving never damages the checkpoint already in the folder: both files are written to
// temporary names first, then renamed weights-then-JSON (model.json is the commit marker).
// The replaced weights are kept as model.safetensors.prev until model.json is committed, so a
// crash between the two renames is recovered on load (the sha256 in model.json picks the file).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { link, mkdir, readFile, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { syncDirectory, writeTemporary } from "../util/atomic-file.js";
import { failpoint } from "../util/failpoint.js";
import { salescastVersion } from "../version.js";
import { checkSameMajor, parseVersionedJson } from "../util/versioned-json.js";
import type { NormalizationStats } from "../data/windows.js";
import type { Backend, FloatArray } from "./backend.js";
import { CnnLstmModel, parameterLayout, type ModelShape } from "./model.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedTensor } from "./safetensors.js";

export const CHECKPOINT_FORMAT_VERSION = 1;
export const WEIGHTS_FILE = "model.safetensors";
export const META_FILE = "model.json";
const PREVIOUS_WEIGHTS_FILE = `${WEIGHTS_FILE}.prev`;

// The statistics travel with the windows a network reads, so their type lives there.
export type { NormalizationStats };

export interface DataFingerprint {
  file: string;
  sha256: string;
  category: string;
  /** ISO date of the first and last period of the series the model was trained on. */
  start: string;
  end: string;
  frequency: "D" | "W";
}

export interface WeightsFingerprint {
  file: string;
  sha256: string;
  bytes: number;
}

export interface CheckpointMeta {
  format_version: 1;
  salescast_version: string;
  architecture: "CNNLSTM";
  shape: ModelShape;
  window_size: number;
  normalization: NormalizationStats;
  data: DataFingerprint;
  created_at: string;
  /** Written by saveCheckpoint; absent only in hand-made files. */
  weights?: WeightsFingerprint;
  extra?: Record<string, unknown>;
}

/** What the caller supplies; the rest of CheckpointMeta comes from the model and the package. */
export interface CheckpointMetaInput {
  normalization: NormalizationStats;
  data: DataFingerprint;
  /** ISO timestamp; defaults to now. */
  created_at?: string;
  extra?: Record<string, unknown>;
}

/** Every problem with a checkpoint folder a user can cause; the message names the file. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

const checkpointError = (message: string) => new CheckpointError(message);

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** model.safetensors of a model: its parameters under PyTorch's state_dict names, float32. */
export function encodeWeights(model: CnnLstmModel<FloatArray>): Uint8Array {
  const tensors: NamedTensor[] = parameterLayout(model.shape).map(({ name, shape }) => {
    const values = model.params.view(name);
    // A float64 (gradient-check) model is saved as float32, like every checkpoint.
    return { name, shape, data: values instanceof Float32Array ? values : Float32Array.from(values) };
  });
  return encodeSafetensors(tensors, { format: "pt", architecture: "CNNLSTM", salescast_version: salescastVersion() });
}

/** The fields of model.json that describe the network and its weights file (`weights` are encodeWeights' bytes). */
export function checkpointModelFields(model: CnnLstmModel<FloatArray>, normalization: NormalizationStats, weights: Uint8Array) {
  return {
    architecture: "CNNLSTM" as const,
    shape: { ...model.shape },
    window_size: model.shape.windowSize,
    normalization: { mean: normalization.mean, std: normalization.std },
    weights: { file: WEIGHTS_FILE, sha256: sha256(weights), bytes: weights.length },
  };
}

/**
 * A network of `shape` holding the weights in `bytes` (a model.safetensors read from `path`);
 * a CheckpointError names every tensor that is missing, extra or of the wrong shape. It computes
 * on `backend` (default: the engine's choice, engine.backend).
 */
export function decodeWeights(bytes: Uint8Array, path: string, shape: ModelShape, backend?: Backend): CnnLstmModel {
  let tensors: NamedTensor[];
  try {
    tensors = decodeSafetensors(bytes, path).tensors;
  } catch (error) {
    if (error instanceof SafetensorsError) throw new CheckpointError(`${error.message}; retrain or restore the file`);
    throw error;
  }
  compareTensors(path, tensors, shape);
  const model = new CnnLstmModel(shape, 0, backend ? { backend } : {});
  for (const tensor of tensors) model.params.view(tensor.name).set(tensor.data);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Save.

/**
 * Makes model.safetensors.prev hold the weights the committed model.json refers to, so they stay
 * reachable until the new model.json is in place. Usually that is a hard link to the current
 * weights; after an interrupted save it is the .prev file already there. False when there is
 * nothing to keep (first save) or the file system cannot link.
 */
async function keepCommittedWeightsAside(weightsPath: string, previousPath: string, metaPath: string): Promise<boolean> {
  const committedSha = await readFile(metaPath, "utf8")
    .then((text) => (JSON.parse(text) as Partial<CheckpointMeta>).weights?.sha256)
    .catch(() => undefined);
  if (committedSha !== undefined) {
    const previous = await readFile(previousPath).catch(() => undefined);
    if (previous !== undefined && sha256(previous) === committedSha) return true;
  }
  await unlink(previousPath).catch(() => undefined);
  return link(weightsPath, previousPath).then(
    () => true,
    () => false,
  );
}

/** Writes dir/model.safetensors and dir/model.json (creating dir), never leaving a half checkpoint. */
export async function saveCheckpoint(
  dir: string,
  model: CnnLstmModel<FloatArray>,
  input: CheckpointMetaInput,
): Promise<{ weightsPath: string; metaPath: string }> {
  const { normalization } = input;
  if (!Number.isFinite(normalization.mean) || !Number.isFinite(normalization.std) || normalization.std <= 0) {
    throw new CheckpointError(`saveCheckpoint: normalization needs a finite mean and a positive std, got mean=${normalization.mean} std=${normalization.std}`);
  }
  const version = salescastVersion();
  const weights = encodeWeights(model);
  const { weights: fingerprint, ...fields } = checkpointModelFields(model, normalization, weights);
  // Key order as model.json has always been written (weights after created_at).
  const meta: CheckpointMeta = {
    format_version: CHECKPOINT_FORMAT_VERSION,
    salescast_version: version,
    ...fields,
    data: { ...input.data },
    created_at: input.created_at ?? new Date().toISOString(),
    weights: fingerprint,
    ...(input.extra === undefined ? {} : { extra: input.extra }),
  };
  const metaText = `${JSON.stringify(meta, null, 2)}\n`;

  await mkdir(dir, { recursive: true });
  const weightsPath = join(dir, WEIGHTS_FILE);
  const metaPath = join(dir, META_FILE);
  const previousPath = join(dir, PREVIOUS_WEIGHTS_FILE);

  const weightsTmp = await writeTemporary(weightsPath, weights);
  let metaTmp: string;
  try {
    metaTmp = await writeTemporary(metaPath, metaText);
  } catch (error) {
    await unlink(weightsTmp).catch(() => undefined);
    throw error;
  }

  const keptPrevious = await keepCommittedWeightsAside(weightsPath, previousPath, metaPath);
  let weightsReplaced = false;
  try {
    await rename(weightsTmp, weightsPath);
    weightsReplaced = true;
    failpoint("checkpoint:after-weights");
    await rename(metaTmp, metaPath);
  } catch (error) {
    if (keptPrevious && weightsReplaced) await rename(previousPath, weightsPath).catch(() => undefined);
    else if (keptPrevious) await unlink(previousPath).catch(() => undefined);
    await unlink(weightsTmp).catch(() => undefined);
    await unlink(metaTmp).catch(() => undefined);
    throw error;
  }
  if (keptPrevious) await unlink(previousPath).catch(() => undefined);
  await syncDirectory(dirname(metaPath));
  return { weightsPath, metaPath };
}

// ---------------------------------------------------------------------------------------------
// Load.

const positiveInt = z.number().int().positive();
/** The checked form of DataFingerprint (also in every registry version's model.json). */
export const dataFingerprintSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  category: z.string(),
  start: z.string(),
  end: z.string(),
  frequency: z.enum(["D", "W"]),
});
const metaSchema = z.object({
  format_version: z.literal(CHECKPOINT_FORMAT_VERSION),
  salescast_version: z.string().regex(/^\d+\.\d+\.\d+/, "must be a semantic version such as 0.1.0"),
  architecture: z.literal("CNNLSTM"),
  shape: z.strictObject({
    windowSize: z.number().int().min(3),
    inputSize: positiveInt,
    convChannels: positiveInt,
    lstmHidden: positiveInt,
    lstmLayers: positiveInt,
    outputSize: positiveInt,
  }),
  window_size: z.number().int().min(3),
  normalization: z.object({ mean: z.number(), std: z.number().positive() }),
  data: dataFingerprintSchema,
  created_at: z.string(),
  weights: z.object({ file: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative() }).optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CheckpointError(`${path}: cannot read (${(error as Error).message})`);
  }
}

/** model.json text of a checkpoint, checked: every problem is a CheckpointError naming `metaPath`. */
export function parseMeta(metaPath: string, text: string): CheckpointMeta {
  const raw = parseVersionedJson(metaPath, text, CHECKPOINT_FORMAT_VERSION, checkpointError, "save the checkpoint again");
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CheckpointError(`${metaPath}: invalid checkpoint metadata\n${z.prettifyError(parsed.error)}`);
  }
  const meta = parsed.data as CheckpointMeta;
  if (meta.window_size !== meta.shape.windowSize) {
    throw new CheckpointError(`${metaPath}: window_size ${meta.window_size} disagrees with shape.windowSize ${meta.shape.windowSize}`);
  }
  checkSameMajor(metaPath, meta.salescast_version, "checkpoints", checkpointError);
  return meta;
}

/** The weights bytes model.json belongs to, recovering from a save interrupted between renames. */
async function readMatchingWeights(dir: string, meta: CheckpointMeta): Promise<{ path: string; bytes: Uint8Array }> {
  const weightsPath = join(dir, WEIGHTS_FILE);
  const bytes = await readIfExists(weightsPath);
  if (bytes === undefined) {
    throw new CheckpointError(`${weightsPath}: file not found (${META_FILE} is present, the weights are missing); retrain or restore the file`);
  }
  const expected = meta.weights?.sha256;
  if (expected === undefined || sha256(bytes) === expected) return { path: weightsPath, bytes };
  const previousPath = join(dir, PREVIOUS_WEIGHTS_FILE);
  const previous = await readIfExists(previousPath);
  if (previous !== undefined && sha256(previous) === expected) return { path: previousPath, bytes: previous };
  throw new CheckpointError(
    `${weightsPath}: contents do not match the sha256 recorded in ${META_FILE} (file changed or corrupted); retrain or restore the file`,
  );
}

/** Lists every difference between the file's tensors and the ones the model shape needs. */
function compareTensors(weightsPath: string, found: NamedTensor[], shape: ModelShape): void {
  const expected = parameterLayout(shape);
  const foundByName = new Map(found.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const { name, shape: want } of expected) {
    const tensor = foundByName.get(name);
    if (tensor === undefined) problems.push(`missing tensor "${name}" (expected shape [${want.join(", ")}])`);
    else if (tensor.shape.join(",") !== want.join(",")) {
      problems.push(`tensor "${name}": expected shape [${want.join(", ")}], found [${tensor.shape.join(", ")}]`);
    }
  }
  const expectedNames = new Set(expected.map((e) => e.name));
  for (const tensor of found) {
    if (!expectedNames.has(tensor.name)) problems.push(`unexpected tensor "${tensor.name}" [${tensor.shape.join(", ")}]`);
  }
  if (problems.length > 0) {
    throw new CheckpointError(`${weightsPath}: tensors do not match the model shape in ${META_FILE} (${JSON.stringify(shape)}):\n  ${problems.join("\n  ")}`);
  }
}

/** model.json of a checkpoint folder alone, checked (no weights read): what a model needs and was trained on. */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const metaPath = join(dir, META_FILE);
  const metaBytes = await readIfExists(metaPath);
  if (metaBytes === undefined) throw new CheckpointError(`${metaPath}: file not found; ${dir} holds no checkpoint (train the model first)`);
  return parseMeta(metaPath, metaBytes.toString("utf8"));
}

/**
 * Loads a checkpoint folder written by saveCheckpoint; every inconsistency is a CheckpointError.
 * The model computes on `backend` (default: the engine's choice, engine.backend).
 */
export async function loadCheckpoint(
  dir: string,
  expect: { windowSize?: number; backend?: Backend } = {},
): Promise<{ model: CnnLstmModel; meta: CheckpointMeta }> {
  const metaPath = join(dir, META_FILE);
  const metaBytes = await readIfExists(metaPath);
  if (metaBytes === undefined) {
    const hasWeights = existsSync(join(dir, WEIGHTS_FILE));
    throw new CheckpointError(
      hasWeights
        ? `${metaPath}: file not found (${WEIGHTS_FILE} is present; the save did not finish): retrain to write the checkpoint again`
        : `${metaPath}: file not found; ${dir} holds no checkpoint (train the model first)`,
    );
  }
  const meta = parseMeta(metaPath, metaBytes.toString("utf8"));
  if (expect.windowSize !== undefined && expect.windowSize !== meta.window_size) {
    throw new CheckpointError(
      `${metaPath}: the model was trained with window_size ${meta.window_size}, but ${expect.windowSize} was asked for; ` +
        `set data.window_size=${meta.window_size} or retrain`,
    );
  }
  const weights = await readMatchingWeights(dir, meta);
  return { model: decodeWeights(weights.bytes, weights.path, meta.shape, expect.backend), meta };
}
