import { openSource } from "./dist/src/data/source.js";
import { planRead } from "./dist/src/data/read-plan.js";
import { cellsSql } from "./dist/src/data/aggregate.js";
const n = process.argv[2];
const s = await openSource(`/tmp/data-helper/wide${n}.csv`);
const plan = await planRead(s, { date_column: "Date", layout: "wide", series_columns: [] });
const tries = {
  cells: `SELECT count(*) FROM (${cellsSql(plan, s.relation)})`,
  group: `SELECT category_raw, date_key, count(*) FROM (${cellsSql(plan, s.relation)}) GROUP BY ALL`,
  groupsum: `SELECT category_raw, date_key, sum(try_cast(amount_text AS DOUBLE)) FROM (${cellsSql(plan, s.relation)}) GROUP BY ALL`,
};
for (const [k, sql] of Object.entries(tries)) {
  try { const t=performance.now(); await s.connection.runAndReadAll(sql); console.log(k, "ok", ((performance.now()-t)/1000).toFixed(2)); } catch (e) { console.log(k, e.message.slice(0,120)); }
  const r = (await s.connection.runAndReadAll("SELECT * FROM duckdb_memory()")).getRowObjectsJS().filter(x=>Number(x.memory_usage_bytes)>0); 
}
console.log(cellsSql(plan, s.relation).slice(0,200));
