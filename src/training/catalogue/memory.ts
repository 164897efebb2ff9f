// The memory a catalogue's GBDT fit takes, estimated before any work from the rows it will
// build, and the refusal when that exceeds catalogue.max_memory_mb (or half the machine): a
// clear message with the figure and what to change, never an out-of-memory crash halfway.
import { totalmem } from "node:os";
import type { Config } from "../../config/schema.js";

const MIB = 1024 ** 2;

export class CatalogueMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueMemoryError";
  }
}

export interface FitMemoryEstimate {
  /** Training rows of the largest group (the one fitted alone at a time). */
  rows: number;
  /** Features per row. */
  features: number;
  /** Bytes of the largest group's fit. */
  bytes: number;
}

/**
 * Bytes of one group's fit: its rows' features as float32 twice (the early-stopping split, then
 * every row together), their histogram bins (a byte each, twice), label, score, gradient and
 * hessian per row (float32/float64), and the series' scaled histories and covariates (float64).
 */
export function fitBytes(rows: number, features: number, historyValues: number, covariateValues: number): number {
  return rows * features * (4 * 2 + 2) + rows * (4 + 8 + 4 + 4 + 8) + historyValues * 8 * 2 + covariateValues * 8;
}

export function catalogueMemoryLimit(config: Config, machineBytes = totalmem()): { bytes: number; source: string } {
  const set = config.catalogue.max_memory_mb;
  if (set > 0) return { bytes: set * MIB, source: `catalogue.max_memory_mb ${set}` };
  return { bytes: Math.floor(machineBytes / 2), source: `half of this machine's ${formatMiB(machineBytes)}; catalogue.max_memory_mb sets another limit` };
}

/** Refuses a fit whose estimate exceeds the limit, saying the figures and the settings that lower them. */
export function checkFitMemory(config: Config, estimate: FitMemoryEstimate, series: number, machineBytes = totalmem()): void {
  const limit = catalogueMemoryLimit(config, machineBytes);
  if (estimate.bytes <= limit.bytes) return;
  const c = config.catalogue;
  throw new CatalogueMemoryError(
    `the catalogue is too large for one global model in memory: ${series.toLocaleString("en-US")} series give ` +
      `${estimate.rows.toLocaleString("en-US")} training rows × ${estimate.features} features in the largest fit, about ` +
      `${formatMiB(estimate.bytes)}, more than the limit of ${formatMiB(limit.bytes)} (${limit.source}). ` +
      `Lower catalogue.training_days (now ${c.training_days}${c.training_days === 0 ? ": every day" : ""}), ` +
      `fit one model per store with catalogue.group_by=store_id${c.group_by ? ` (now ${c.group_by}: choose a finer column)` : ""}, ` +
      `or raise catalogue.max_memory_mb on a machine with more memory.`,
  );
}

export function formatMiB(bytes: number): string {
  return bytes >= 1024 * MIB ? `${(bytes / (1024 * MIB)).toFixed(1)} GiB` : `${Math.ceil(bytes / MIB)} MiB`;
}
