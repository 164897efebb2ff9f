// A registry version's model on disk: model.json plus the files of the saved model beside it
// (the network's model.safetensors; a statistical model has none, its state is JSON).
//
//   model.json = {
//     format_version: 1, salescast_version, created_at,
//     window_size,              the served window's length (POST /api/predict's "series")
//     data,                     the fingerprint of the data it was trained on (file, sha256, dates, frequency)
//     extra,                    run id, metrics, intervals, features... (written by training)
//     model: { kind, format_version, state, files: {name: {sha256, bytes}} },   SavedModel minus files
//     ...the kind's topLevel fields (the network: architecture, shape, normalization, weights)
//   }
//
// A model.json without `model` was written before model kinds: it is a network checkpoint in the
// engine's format (families.ts LEGACY_FORMAT) and loads as it is, so existing registries keep
// working. Writes go file by file to a temporary name and are renamed, model.json last: it is
// the commit marker, and a folder without it holds no model.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { dataFingerprintSchema, type DataFingerprint } from "../engine/checkpoint.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { failpoint } from "../util/failpoint.js";
import { checkFormatVersion, checkSameMajor } from "../util/versioned-json.js";
import { salescastVersion } from "../version.js";
import { familyOf, LEGACY_FORMAT } from "./families.js";
import type { FittedModel, LoadOptions, SavedModel } from "./model.js";
import { ModelFileError } from "./model-file-error.js";

export const VERSION_FILE = "model.json";
export const VERSION_FORMAT = 1;

export interface FileFingerprint {
  sha256: string;
  bytes: number;
}

export interface VersionMeta {
  format_version: typeof VERSION_FORMAT;
  salescast_version: string;
  created_at: string;
  window_size: number;
  data: DataFingerprint;
  extra?: Record<string, unknown>;
  /** Absent in files written before model kinds (a network checkpoint). */
  model?: { kind: string; format_version: number; state: unknown; files?: Record<string, FileFingerprint> };
  /** A kind's topLevel fields (the network's shape, normalization, weights...). */
  [field: string]: unknown;
}

/** What the caller (training) adds around the saved model. */
export interface VersionInput {
  window_size: number;
  data: DataFingerprint;
  extra?: Record<string, unknown>;
  /** ISO timestamp; default now. */
  created_at?: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const RESERVED = new Set(["format_version", "salescast_version", "created_at", "window_size", "data", "extra", "model"]);

/** A file name the saved model may use: a plain name in the version folder, not model.json itself. */
function checkFileName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === VERSION_FILE || name.includes("..")) {
    throw new ModelFileError(`a saved model's file may not be called ${JSON.stringify(name)}: use a plain file name other than ${VERSION_FILE}`);
  }
}

/**
 * Writes the saved model's files into `dir`, then model.json; returns their paths (model.json
 * last). Nothing half-written: each file is written to a temporary name and renamed.
 */
export async function writeVersion(dir: string, saved: SavedModel, input: VersionInput): Promise<{ metaPath: string; filePaths: string[] }> {
  const filePaths: string[] = [];
  const fingerprints: Record<string, FileFingerprint> = {};
  for (const [name, bytes] of Object.entries(saved.files ?? {})) {
    checkFileName(name);
    const path = join(dir, name);
    await writeFileAtomic(path, bytes);
    filePaths.push(path);
    fingerprints[name] = { sha256: sha256(bytes), bytes: bytes.length };
  }
  failpoint("checkpoint:after-weights");
  const topLevel = Object.fromEntries(Object.entries(saved.topLevel ?? {}).filter(([key]) => !RESERVED.has(key)));
  const meta: VersionMeta = {
    format_version: VERSION_FORMAT,
    salescast_version: salescastVersion(),
    ...topLevel,
    window_size: input.window_size,
    data: { ...input.data },
    created_at: input.created_at ?? new Date().toISOString(),
    ...(input.extra === undefined ? {} : { extra: input.extra }),
    model: { kind: saved.kind, format_version: saved.format_version, state: saved.state, files: fingerprints },
  };
  const metaPath = join(dir, VERSION_FILE);
  await writeFileAtomic(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { metaPath, filePaths };
}

const fingerprintSchema = z.object({ sha256: z.string(), bytes: z.number().int().nonnegative() });
const metaSchema = z.object({
  format_version: z.literal(VERSION_FORMAT),
  salescast_version: z.string().regex(/^\d+\.\d+\.\d+/, "must be a semantic version such as 0.1.0"),
  created_at: z.string(),
  window_size: z.number().int().min(1),
  data: dataFingerprintSchema,
  extra: z.record(z.string(), z.unknown()).optional(),
  model: z.object({
    kind: z.string().min(1),
    format_version: z.number().int().min(0),
    state: z.unknown(),
    files: z.record(z.string(), fingerprintSchema).optional(),
  }),
});

const modelFileError = (message: string) => new ModelFileError(message);

async function readText(metaPath: string, dir: string): Promise<string> {
  try {
    return await readFile(metaPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new ModelFileError(`${metaPath}: cannot read (${(error as Error).message})`);
    const leftovers = existsSync(join(dir, "model.safetensors")) ? " (the model's files are there; the save did not finish): retrain to write it again" : "";
    throw new ModelFileError(`${metaPath}: file not found; ${dir} holds no model${leftovers || " (train the model first)"}`);
  }
}

/** model.json of a version, checked, with the saved model it describes (files not read yet). */
function parseVersion(metaPath: string, text: string): { meta: VersionMeta; saved: SavedModel; files: Record<string, Partial<FileFingerprint>> } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${metaPath}: not valid JSON (${(error as Error).message}); the file is corrupt, train the model again`);
  }
  if (typeof raw === "object" && raw !== null && !("model" in raw)) {
    const legacy = LEGACY_FORMAT.read(metaPath, text);
    return { meta: raw as VersionMeta, saved: legacy.saved, files: legacy.files };
  }
  checkFormatVersion(metaPath, raw, VERSION_FORMAT, modelFileError);
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(`${metaPath}: invalid model metadata\n${z.prettifyError(parsed.error)}`);
  const meta = raw as VersionMeta;
  checkSameMajor(metaPath, meta.salescast_version, "models", modelFileError);
  const part = parsed.data.model;
  return { meta, saved: { kind: part.kind, format_version: part.format_version, state: part.state }, files: part.files ?? {} };
}

/**
 * The bytes of one file of the version, checked against its sha256. A file replaced in place by
 * a save that stopped before model.json (the engine's checkpoint save keeps the old one as
 * <name>.prev until then) is recovered from the .prev copy when that one matches.
 */
async function readChecked(dir: string, name: string, fingerprint: Partial<FileFingerprint>): Promise<Uint8Array> {
  checkFileName(name);
  const path = join(dir, name);
  const read = (file: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new ModelFileError(`${file}: cannot read (${error.message})`);
    });
  const bytes = await read(path);
  if (bytes === undefined) throw new ModelFileError(`${path}: file not found (${VERSION_FILE} is present, the file is missing); retrain or restore the file`);
  if (fingerprint.sha256 === undefined || sha256(bytes) === fingerprint.sha256) return bytes;
  const previous = await read(`${path}.prev`);
  if (previous !== undefined && sha256(previous) === fingerprint.sha256) return previous;
  throw new ModelFileError(`${path}: contents do not match the sha256 recorded in ${VERSION_FILE} (file changed or corrupted); retrain or restore the file`);
}

/** The model kind of a version (a model.json before model kinds holds the legacy family's). */
export function versionKind(meta: VersionMeta): string {
  return meta.model?.kind ?? LEGACY_FORMAT.family.kind;
}

/** model.json of a version folder alone, checked (no file beside it read). */
export async function readVersionMeta(dir: string): Promise<VersionMeta> {
  const metaPath = join(dir, VERSION_FILE);
  return parseVersion(metaPath, await readText(metaPath, dir)).meta;
}

/** model.json and the saved model of a version folder, every file checked. */
export async function readVersion(dir: string, expect: { windowSize?: number } = {}): Promise<{ meta: VersionMeta; saved: SavedModel }> {
  const metaPath = join(dir, VERSION_FILE);
  const { meta, saved, files } = parseVersion(metaPath, await readText(metaPath, dir));
  if (expect.windowSize !== undefined && expect.windowSize !== meta.window_size) {
    throw new ModelFileError(
      `${metaPath}: the model was trained with window_size ${meta.window_size}, but ${expect.windowSize} was asked for; ` +
        `set data.window_size=${meta.window_size} or retrain`,
    );
  }
  // A kind this salescast does not know is said before any file is read.
  familyOf(saved.kind, `the model kind in ${metaPath}`);
  const bytes: Record<string, Uint8Array> = {};
  for (const [name, fingerprint] of Object.entries(files)) bytes[name] = await readChecked(dir, name, fingerprint);
  return { meta, saved: { ...saved, files: bytes } };
}

/** A version folder's model, loaded by its family (any kind the families list knows). */
export async function loadVersion(dir: string, options: LoadOptions & { windowSize?: number } = {}): Promise<{ meta: VersionMeta; model: FittedModel }> {
  const { meta, saved } = await readVersion(dir, options);
  const family = familyOf(saved.kind, `the model kind in ${join(dir, VERSION_FILE)}`);
  try {
    return { meta, model: family.load(saved, options) };
  } catch (error) {
    // The family names the file or field; say which version folder it is in.
    if (error instanceof Error && !error.message.includes(dir)) error.message = `${error.message} (${dir})`;
    throw error;
  }
}
