import type { CommandSpec } from "./spec.js";

export const ingestCommand: CommandSpec = {
  name: "ingest",
  summary: "read the sales file and print each series: date range, periods, missing periods filled, total",
  async run({ config, out }) {
    const { formatSummary, loadSales, summarize, summaryJson } = await import("../data/ingest.js");
    const summary = summarize(await loadSales(config.data));
    out.result(summaryJson(summary), () => formatSummary(summary));
  },
};
