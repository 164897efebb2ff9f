// `salescast demo-data --shape catalogue`: an M5-like retail catalogue, one row per store, item
// and day (default 10 stores x 3,049 items x 1,941 days, 30,490 series, about 57 million rows:
// items launched late or discontinued early have no rows outside their selling life).
//
// Columns: date, state_id, store_id, cat_id, dept_id, item_id, sales (units), sell_price, promo
// (0/1), event (0/1), snap (0/1, the SNAP day of the row's state). sell_price, promo, event and
// snap are known in advance: the covariates of the catalogue.
//
// How: the stores, items and days (a few thousand values, demo-catalogue-shape.ts) are drawn in
// JavaScript and handed to DuckDB as list literals; DuckDB then generates every row from them and
// streams them into the output file (COPY), so memory stays at DuckDB's cap whatever the size, and the rows
// never pass through JavaScript. Randomness per row is DuckDB's hash of (seed, series, day, draw):
// the same seed and options give the same rows (and, with one DuckDB version, the same bytes).
//
// Per row: demand rate = item rate x store volume x the day's factor (weekly, yearly, trend,
// events; 0 on Christmas Day) x 1.15 on SNAP days for FOODS x (price / base price)^-elasticity;
// the price steps to a new level every few weeks per item, and a promotion week (4 % of
// store-item-weeks) cuts it by 20 %. Units sold: a geometric draw with that mean below 4 units
// (intermittent: mostly zeros, overdispersed like M5), a rounded normal with variance
// rate x (1 + rate/8) above.

import { rename, rm, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tmpPathFor } from "../util/atomic-file.js";
import { epochDayFromIso } from "./dates.js";
import { catalogueShape, STATES, type CatalogueShape } from "./demo-catalogue-shape.js";
import { DataError } from "./errors.js";
import { quoteString } from "./sql.js";

export interface CatalogueOptions {
  seed?: number;
  stores?: number;
  items?: number;
  days?: number;
  /** First day, YYYY-MM-DD (M5's: 2011-01-29). */
  start?: string;
}

export const CATALOGUE_DEFAULTS = { seed: 42, stores: 10, items: 3049, days: 1941, start: "2011-01-29" } as const;

/** Row columns of the catalogue, in file order. */
export const CATALOGUE_COLUMNS = ["date", "state_id", "store_id", "cat_id", "dept_id", "item_id", "sales", "sell_price", "promo", "event", "snap"] as const;

const PROMO_SHARE = 0.04;

export interface CatalogueWritten {
  path: string;
  rows: number;
  series: number;
  format: "parquet" | "csv";
}

function checked(options: CatalogueOptions) {
  const merged = { ...CATALOGUE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const firstDay = epochDayFromIso(merged.start);
  if (firstDay === undefined) throw new DataError(`--start "${merged.start}" is not a date.`, "Write it YYYY-MM-DD, e.g. 2011-01-29.");
  for (const [name, value, max] of [["--stores", merged.stores, 1000], ["--items", merged.items, 100_000], ["--days", merged.days, 20_000]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new DataError(`${name} ${value} is out of range.`, `Give a whole number from 1 to ${max}.`);
    }
  }
  return { ...merged, firstDay };
}

/** Writes the catalogue to `path`: Parquet when it ends in .parquet, else CSV. Temporary file, then rename. */
export async function writeCatalogue(path: string, options: CatalogueOptions = {}): Promise<CatalogueWritten> {
  const settings = checked(options);
  const target = resolve(path);
  const format = target.toLowerCase().endsWith(".parquet") ? "parquet" : "csv";
  const shape = catalogueShape(settings.stores, settings.items, settings.firstDay, settings.days, settings.seed);
  await mkdir(dirname(target), { recursive: true });
  const temporary = tmpPathFor(target);
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: "1GB", temp_directory: join(tmpdir(), "salescast-duckdb") });
  const connection = await instance.connect();
  try {
    const copyOptions = format === "parquet" ? "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000" : "FORMAT csv, HEADER true";
    const result = await connection.run(`COPY (${rowsSql(settings.seed, shape)}) TO ${quoteString(temporary)} (${copyOptions})`);
    const rows = Number((await result.getRowObjectsJS())[0]?.Count ?? 0);
    await rename(temporary, target);
    return { path: target, rows, series: settings.stores * settings.items, format };
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A SQL list literal of numbers (shortest round-trip text, so the values are exact). */
function numberList(values: readonly number[]): string {
  const type = values.every(Number.isInteger) ? "INTEGER" : "DOUBLE";
  return `[${values.map((value) => String(value)).join(", ")}]::${type}[]`;
}

function textList(values: readonly string[]): string {
  return `[${values.map(quoteString).join(", ")}]`;
}

/** Uniform in (0, 1) from DuckDB's 64-bit hash of the arguments (53 bits kept). */
function uniform(...args: string[]): string {
  return `(((hash(${args.join(", ")}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0)`;
}

/**
 * Every row, ordered by store, item, day: a range over series x days, the stores', items' and
 * days' attributes looked up in list literals (no join, so the range's order is kept and the rows
 * stream straight into the file), then the draws.
 */
function rowsSql(seed: number, shape: CatalogueShape): string {
  const { stores, items, days } = shape;
  const at = (list: string, index: string) => `(${list})[${index} + 1]`;
  const store = (values: string) => at(values, "s");
  const item = (values: string) => at(values, "i");
  const day = (values: string) => at(values, "d");
  const snapLists = STATES.map((_, s) => numberList(days.map((d) => d.snap[s])));
  const stateIndex = store(numberList(stores.map((st) => STATES.indexOf(st.state as (typeof STATES)[number]))));
  const snap = `CASE ${stateIndex} ${snapLists.map((list, s) => `WHEN ${s} THEN ${day(list)}`).join(" ")} END`;
  const week = "(d // 7)";
  const promoDraw = uniform(String(seed), "'promo'", "series", week);
  const priceLevel = uniform(String(seed), "'price'", "i", `(${week} + i) // ${item(numberList(items.map((it) => it.priceWeeks)))}`);
  const basePrice = item(numberList(items.map((it) => it.basePrice)));
  return `
    WITH r AS (SELECT series, d, series // ${items.length} AS s, series % ${items.length} AS i
               FROM (SELECT range // ${days.length} AS series, range % ${days.length} AS d
                     FROM range(${stores.length * items.length * days.length}))),
    live AS (SELECT * FROM r WHERE d BETWEEN ${item(numberList(items.map((it) => it.firstDay)))} AND ${item(numberList(items.map((it) => it.lastDay)))}),
    priced AS (
      SELECT series, d, DATE ${quoteString(days[0].date)} + d::INTEGER AS date,
             ${store(textList(stores.map((st) => st.state)))} AS state_id, ${store(textList(stores.map((st) => st.store)))} AS store_id,
             ${item(textList(items.map((it) => it.cat)))} AS cat_id, ${item(textList(items.map((it) => it.dept)))} AS dept_id,
             ${item(textList(items.map((it) => it.item)))} AS item_id,
             (${promoDraw} < ${PROMO_SHARE})::INTEGER AS promo,
             round(${basePrice} * (0.85 + 0.3 * ${priceLevel}) * CASE WHEN ${promoDraw} < ${PROMO_SHARE} THEN 0.8 ELSE 1 END, 2) AS sell_price,
             ${day(numberList(days.map((dy) => dy.event)))} AS event, ${snap} AS snap,
             ${item(numberList(items.map((it) => it.rate)))} * ${store(numberList(stores.map((st) => st.volume)))} * ${day(numberList(days.map((dy) => dy.factor)))} AS demand,
             ${basePrice} AS base_price, ${item(numberList(items.map((it) => it.elasticity)))} AS elasticity
      FROM live),
    rated AS (SELECT *, demand * CASE WHEN cat_id = 'FOODS' AND snap = 1 THEN 1.15 ELSE 1 END * pow(sell_price / base_price, -elasticity) AS rate FROM priced)
    SELECT date, state_id, store_id, cat_id, dept_id, item_id,
           CASE WHEN rate <= 0 THEN 0
                WHEN rate < 4 THEN floor(ln(${uniform(String(seed), "series", "d", "1")}) / ln(rate / (1 + rate)))
                ELSE greatest(0, round(rate + sqrt(rate * (1 + rate / 8))
                       * sqrt(-2 * ln(${uniform(String(seed), "series", "d", "2")})) * cos(2 * pi() * ${uniform(String(seed), "series", "d", "3")})))
           END::INTEGER AS sales,
           sell_price, promo, event, snap
    FROM rated`;
}
