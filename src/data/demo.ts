// Demo data: a deterministic transactions CSV in the columns of the reference sample
// (retail_sales.csv), with enough structure (trend, weekly and yearly seasons, holidays,
// promotions, days without sales) for a forecaster to learn and for gap filling to matter.

import { resolve } from "node:path";
import { STDOUT_TARGET, writeOutputFile } from "../util/output-file.js";
import { isoFromEpochDay, epochDayFromIso } from "./dates.js";
import { expectedTransactions, isClosed, profileFor, schedulePromotions, type CategoryProfile, type Promotion } from "./demo-demand.js";
import { DataError } from "./errors.js";
import { SeededRandom } from "./random.js";
import { csvCell } from "./csv-cell.js";

export const DEMO_COLUMNS = [
  "Transaction ID", "Date", "Customer ID", "Gender", "Age", "Product Category", "Quantity", "Price per Unit", "Total Amount",
] as const;

export interface DemoOptions {
  /** Same seed, same options => byte-identical file. Default 42. */
  seed?: number;
  /** First day, YYYY-MM-DD. Default 2022-01-01. */
  start?: string;
  /** Number of days. Default 1096 (2022-01-01 .. 2024-12-31). */
  days?: number;
  /** Default Beauty, Clothing, Electronics. */
  categories?: string[];
  /** Multiplies every day's volume (benchmarks use it to make millions of rows). Default 1. */
  volumeScale?: number;
  /** Stop after this many transactions. Default: no limit. */
  maxRows?: number;
}

export const DEMO_DEFAULTS = {
  seed: 42,
  start: "2022-01-01",
  days: 1096,
  categories: ["Beauty", "Clothing", "Electronics"],
  volumeScale: 1,
} as const;

/** Chance that a category sells nothing on an open day (out of stock, system down, ...). */
const NO_SALES_PROBABILITY = 0.015;
const QUANTITY_WEIGHTS = [0.45, 0.3, 0.15, 0.1];

export interface DemoChunk {
  text: string;
  rows: number;
}

/**
 * The CSV as chunks: the header line, then one chunk per day. Memory stays at one day.
 * The options are checked at the call (a bad option throws here, not at the first chunk).
 */
export function demoCsvChunks(options: DemoOptions = {}): Generator<DemoChunk> {
  return chunks(checkedOptions(options));
}

function* chunks({ seed, firstDay, days, categories, volumeScale, maxRows }: ReturnType<typeof checkedOptions>): Generator<DemoChunk> {
  const random = new SeededRandom(seed);
  const lastDay = firstDay + days - 1;
  const profiles = categories.map(profileFor);
  const promotions = profiles.map(() => schedulePromotions(random, firstDay, lastDay));
  const names = profiles.map((profile) => csvCell(profile.name));
  const customerIds = new CustomerIds(Math.max(100, Math.round(2_000 * volumeScale * Math.sqrt(days / 365))));

  yield { text: DEMO_COLUMNS.join(",") + "\n", rows: 0 };
  let transactionId = 0;
  for (let day = firstDay; day <= lastDay && transactionId < maxRows; day++) {
    if (isClosed(day)) continue;
    const counts = profiles.map((profile, c) => {
      if (random.next() < NO_SALES_PROBABILITY) return 0;
      const mean = expectedTransactions(profile, day, firstDay) * promotionBoost(promotions[c], day) * volumeScale;
      return random.poisson(mean);
    });
    // Interleave the categories within the day, as a till would record them.
    const order = shuffledCategoryOrder(random, counts);
    const date = isoFromEpochDay(day);
    let text = ""; // += builds a rope: cheaper than an array and join at millions of rows
    let rows = 0;
    for (const c of order) {
      if (transactionId >= maxRows) break;
      transactionId++;
      rows++;
      text += transactionLine(random, transactionId, date, profiles[c], names[c], customerIds);
    }
    yield { text, rows };
  }
}

/** The whole demo CSV as one string (the default is about 5 MB; use writeDemoData for more). */
export function generateDemoTransactions(options: DemoOptions = {}): string {
  let text = "";
  for (const chunk of demoCsvChunks(options)) text += chunk.text;
  return text;
}

/**
 * Streams the demo CSV to `path` through a temporary file renamed into place, so the file is
 * either complete or absent (or to standard output for "-"). Creates missing parent folders;
 * refuses a target that is not a regular file (src/util/output-file.ts).
 */
export async function writeDemoData(path: string, options: DemoOptions & { option?: string } = {}): Promise<{ path: string; rows: number }> {
  const chunks = demoCsvChunks(options); // checks the options before anything touches the disk
  let rows = 0;
  const texts = (function* () {
    for (const chunk of chunks) {
      rows += chunk.rows;
      yield chunk.text;
    }
  })();
  const where = await writeOutputFile(path, texts, { option: options.option ?? "data.csv_path" });
  return { path: where === "stdout" ? STDOUT_TARGET : resolve(path), rows };
}

function promotionBoost(promotions: readonly Promotion[], day: number): number {
  for (const promotion of promotions) {
    if (day >= promotion.first && day <= promotion.last) return promotion.boost;
  }
  return 1;
}

function shuffledCategoryOrder(random: SeededRandom, counts: readonly number[]): number[] {
  const order: number[] = [];
  counts.forEach((count, c) => {
    for (let i = 0; i < count; i++) order.push(c);
  });
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Customer ids CUST000001 ... drawn from a fixed pool, each string made once. */
class CustomerIds {
  private readonly made: string[] = [];
  constructor(readonly size: number) {}

  draw(random: SeededRandom): string {
    const n = random.integer(1, this.size);
    return (this.made[n] ??= `CUST${String(n).padStart(6, "0")}`);
  }
}

function transactionLine(
  random: SeededRandom,
  id: number,
  date: string,
  profile: CategoryProfile,
  csvName: string,
  customerIds: CustomerIds,
): string {
  const customer = customerIds.draw(random);
  const gender = random.next() < profile.femaleShare ? "Female" : "Male";
  const age = Math.min(70, Math.max(18, Math.round(40 + 12 * random.normal())));
  const quantity = random.weightedIndex(QUANTITY_WEIGHTS) + 1;
  const price = profile.prices[random.weightedIndex(profile.priceWeights)];
  return `${id},${date},${customer},${gender},${age},${csvName},${quantity},${price},${quantity * price}\n`;
}

function checkedOptions(options: DemoOptions) {
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const start = options.start ?? DEMO_DEFAULTS.start;
  const days = options.days ?? DEMO_DEFAULTS.days;
  const categories = options.categories ?? [...DEMO_DEFAULTS.categories];
  const volumeScale = options.volumeScale ?? DEMO_DEFAULTS.volumeScale;
  const maxRows = options.maxRows ?? Infinity;
  if (!Number.isInteger(seed)) throw new DataError(`Demo data seed must be an integer, got ${seed}.`, "Pass a whole number as the seed.");
  const firstDay = epochDayFromIso(start);
  if (firstDay === undefined) throw new DataError(`Demo data start "${start}" is not a date.`, "Give the start as YYYY-MM-DD.");
  if (!Number.isInteger(days) || days < 1) throw new DataError(`Demo data days must be a whole number >= 1, got ${days}.`, "Pass e.g. 1096 for three years.");
  if (categories.length === 0 || categories.some((c) => c.trim() === "")) {
    throw new DataError("Demo data needs at least one non-empty category name.", "Leave categories out to get Beauty, Clothing, Electronics.");
  }
  if (!(volumeScale > 0) || !Number.isFinite(volumeScale)) throw new DataError(`Demo data volumeScale must be > 0, got ${volumeScale}.`, "Use 1 for realistic volumes.");
  if (!(maxRows >= 0)) throw new DataError(`Demo data maxRows must be >= 0, got ${maxRows}.`, "Leave it out for no limit.");
  return { seed, firstDay, days, categories, volumeScale, maxRows };
}
