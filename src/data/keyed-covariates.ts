// Covariates of a catalogue (data.series_key): columns known in advance per series and day
// (sell_price, promo, event, snap) read into one compact matrix per covariate, the same way the
// sales are read (keyed-values.ts): the series and dates dictionary scan, then one scan streamed
// chunk by chunk into Float32Arrays. covariatePeriods (covariate-periods.ts) turns a row into
// periods for any model that takes covariates. Float32 keeps 4 covariates of 59 million rows
// within about 0.9 GiB; covariates are z-scored before use, so 7 significant digits are plenty.

import { DataError } from "./errors.js";
import { readKeyedDictionary, seriesNames } from "./keyed-dictionary.js";
import { keyedTextColumns, numberSql, planKeyed } from "./keyed-plan.js";
import { openSource, resolveColumn, unreadableFile } from "./source.js";
import { isNumber } from "./sql.js";
import type { CovariateData } from "./covariate-periods.js";
import type { DataSettings } from "./types.js";

export async function loadKeyedCovariates(settings: DataSettings, names: readonly string[]): Promise<CovariateData> {
  const source = await openSource(settings.csv_path);
  try {
    const columns = names.map((name) => resolveColumn(source, name, "model.features.covariates"));
    const plan = planKeyed(source, settings);
    const dictionary = await readKeyedDictionary(source, plan);
    const series = seriesNames(dictionary);
    const index: Record<string, number> = Object.create(null);
    series.forEach((name, s) => (index[name] = s));
    const rowOfGroup = Int32Array.from(dictionary.keys, (group) => index[group.name]);
    const firstDay = dictionary.days[0];
    const days = dictionary.days[dictionary.days.length - 1] - firstDay + 1;
    const values = columns.map(() => new Float32Array(new SharedArrayBuffer(series.length * days * 4)).fill(Number.NaN));

    const cells = columns.map((column, i) => `CASE WHEN ${isNumber(numberSql(source, column))} THEN ${numberSql(source, column)} END AS c${i}`);
    const keyJoin = plan.keyColumns.map((_, i) => `r.k${i} = g.k${i}`).join(" AND ");
    // Several rows of one series and day (data.duplicates: sum) give their mean, like the single-key covariates.
    const rows = `SELECT g.gid, d.day, ${columns.map((_, i) => `r.c${i}`).join(", ")}
      FROM (SELECT ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key, ${cells.join(", ")} FROM ${source.relation}) r
      JOIN keys g ON ${keyJoin} JOIN dates d ON r.date_key = d.date_key`;
    const sql = settings.duplicates === "sum" ? `SELECT gid, day, ${columns.map((_, i) => `avg(c${i}) AS c${i}`).join(", ")} FROM (${rows}) GROUP BY gid, day` : rows;
    const present = columns.map(() => 0);
    let result;
    try {
      result = await source.connection.stream(sql);
    } catch (error) {
      throw unreadableFile(source.path, source.kind, error);
    }
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const gids = chunk.getColumnVector(0);
      const dayVector = chunk.getColumnVector(1);
      const vectors = columns.map((_, i) => chunk.getColumnVector(2 + i));
      for (let r = 0; r < chunk.rowCount; r++) {
        const cell = rowOfGroup[gids.getItem(r) as number] * days + (dayVector.getItem(r) as number) - firstDay;
        vectors.forEach((vector, i) => {
          const value = vector.getItem(r) as number | null;
          if (value === null) return;
          values[i][cell] = value;
          present[i]++;
        });
      }
    }
    const empty = columns.filter((_, i) => present[i] === 0);
    if (empty.length > 0) {
      throw new DataError(
        `Covariate column${empty.length > 1 ? "s" : ""} ${empty.map((c) => `"${c}"`).join(", ")} of ${source.path} ${empty.length > 1 ? "have" : "has"} no numeric values.`,
        "Covariates are numbers known in advance (e.g. a 0/1 promotion flag): fix the column or remove it from model.features.covariates.",
      );
    }
    return { names: [...names], byCategory: {}, bySeries: { index, firstDay, days, values } };
  } finally {
    source.close();
  }
}
