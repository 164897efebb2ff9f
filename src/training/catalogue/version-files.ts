// What a catalogue model's ONE registry version holds (not one folder per series):
//   catalogue.json   what was fitted and how (levels, rows, horizon, first forecast date,
//                    reconciliation, interval levels, per-level metrics, the fits' summary)
//   forecasts.f64    the reconciled forecasts of every row (every series of every level),
//                    n × horizon float64 little-endian, in catalogue.json's row order
//   sigma.f64        per row, the standard deviation of its forecast errors on the held-out
//                    days (present when catalogue.evaluate was on): the intervals' width
//   gbdt_fits.json   the GBDT fits (trees, features, series scales), one per group
// The forecasts are made at training time from the end of the data: `salescast forecast` and
// GET /api/forecasts/{level} read them without refitting anything.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../../util/atomic-file.js";
import type { CatalogueForecast } from "./fit.js";

export const CATALOGUE_FORMAT_VERSION = 1;
export const CATALOGUE_FILE = "catalogue.json";
const FORECASTS_FILE = "forecasts.f64";
const SIGMA_FILE = "sigma.f64";
export const FITS_FILE = "gbdt_fits.json";

export interface LevelMetric {
  level: string;
  series: number;
  wrmsse: number;
  unscaled_series: number;
}

export interface CatalogueMeta {
  format_version: typeof CATALOGUE_FORMAT_VERSION;
  model_name: string;
  data: { file: string; sha256: string; first_date: string; last_date: string };
  horizon: number;
  first_forecast_date: string;
  reconcile: string;
  aggregate_model: string;
  group_by: string | null;
  strategy: string;
  loss: string;
  levels: string[];
  /** Per row, its level index. */
  row_levels: number[];
  row_names: string[];
  interval_levels: number[];
  /** Held-out WRMSSE per level and overall (catalogue.evaluate). */
  metrics?: { levels: LevelMetric[]; wrmsse: number; cutoff: string };
  fits: { group: string | null; series: number; trees: number }[];
  seconds: Record<string, number>;
}

export interface StoredCatalogue {
  meta: CatalogueMeta;
  forecasts: Float64Array;
  sigma?: Float64Array;
}

const bytesOf = (values: Float64Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** Writes the version's files into `dir` (a staging folder); returns their paths. */
export async function writeCatalogueVersion(dir: string, meta: CatalogueMeta, forecast: CatalogueForecast, sigma?: Float64Array): Promise<string[]> {
  const paths = [join(dir, CATALOGUE_FILE), join(dir, FORECASTS_FILE), join(dir, FITS_FILE)];
  await writeJsonAtomic(paths[0], meta);
  await writeFileAtomic(paths[1], bytesOf(forecast.forecasts));
  await writeFileAtomic(paths[2], JSON.stringify(forecast.fits));
  if (sigma) {
    paths.push(join(dir, SIGMA_FILE));
    await writeFileAtomic(paths[3], bytesOf(sigma));
  }
  return paths;
}

export class CatalogueVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueVersionError";
  }
}

async function readFloats(path: string, expected: number): Promise<Float64Array> {
  const bytes = await readFile(path);
  if (bytes.byteLength !== expected * 8)
    throw new CatalogueVersionError(`${path} holds ${bytes.byteLength} bytes, expected ${expected * 8}; retrain the catalogue`);
  const out = new Float64Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Reads a version written by writeCatalogueVersion (a damaged or foreign folder is refused, saying so). */
export async function readCatalogueVersion(dir: string): Promise<StoredCatalogue> {
  let meta: CatalogueMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, CATALOGUE_FILE), "utf8")) as CatalogueMeta;
  } catch (error) {
    throw new CatalogueVersionError(
      `${join(dir, CATALOGUE_FILE)} cannot be read (${(error as Error).message}): this version is not a catalogue model, or is damaged; retrain with train --catalogue`,
    );
  }
  if (meta.format_version !== CATALOGUE_FORMAT_VERSION)
    throw new CatalogueVersionError(`catalogue format ${String(meta.format_version)} is not ${CATALOGUE_FORMAT_VERSION}; retrain with this salescast`);
  const n = meta.row_names.length;
  const forecasts = await readFloats(join(dir, FORECASTS_FILE), n * meta.horizon);
  let sigma: Float64Array | undefined;
  try {
    sigma = await readFloats(join(dir, SIGMA_FILE), n);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { meta, forecasts, ...(sigma ? { sigma } : {}) };
}
