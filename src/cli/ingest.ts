import type { CommandSpec } from "./spec.js";
import { formatSummary, loadSales, summarize } from "../data/ingest.js";

export const ingestCommand: CommandSpec = {
  name: "ingest",
  summary: "read the sales file and print each series: date range, periods, missing periods filled, total",
  async run({ config, out }) {
    const summary = summarize(await loadSales(config.data));
    out.result(summary, () => formatSummary(summary));
  },
};
