// `salescast train --catalogue`: the catalogue as one model (src/training/catalogue/train.ts),
// a progress bar with an ETA on stderr, the per-level held-out WRMSSE table on stdout.
import type { Config } from "../config/schema.js";
import type { Output } from "./output.js";
import { withInterrupt } from "./interrupt.js";

export async function trainCatalogueCommand(config: Config, out: Output): Promise<number> {
  const { loadConfiguredData } = await import("../data/model-data.js");
  const { trainCatalogue } = await import("../training/catalogue/train.js");
  const { CatalogueProgressBar } = await import("../training/catalogue/progress-bar.js");
  const { formatTextTable } = await import("../util/text-table.js");
  const data = await loadConfiguredData(config);
  out.log(`catalogue: ${data.series.length.toLocaleString("en-US")} series, ${data.catalogue?.matrix.periods ?? 0} days`);
  const bar = new CatalogueProgressBar(process.stderr, config.catalogue.evaluate ? 2 : 1);
  // With queue.url set, the GBDT groups are fitted by the queue's workers (src/queue/catalogue-jobs.ts); the rest stays here.
  const onQueue = config.queue.url ? await import("../queue/catalogue-jobs.js") : undefined;
  const result = await withInterrupt(out, async (signal) =>
    trainCatalogue(config, data, {
      signal,
      ...(onQueue ? { runGroups: await onQueue.catalogueOnQueue(config, (line) => out.log(line), signal) } : {}),
      log: (line) => out.log(line),
      onProgress: (event) => bar.report(event, event.pass === "final" && config.catalogue.evaluate ? 1 : 0),
    }),
  );
  bar.end();
  out.result(result, () => {
    const head = `${result.model_name} version ${result.version} (run ${result.run_id}): ${result.series.toLocaleString("en-US")} series, ${result.rows.toLocaleString("en-US")} forecast rows over ${result.levels.length} levels, ${result.seconds.toFixed(1)} s`;
    if (!result.metrics) return head;
    const naive = new Map(result.metrics.seasonal_naive.levels.map((l) => [l.level, l.wrmsse]));
    const rows = result.metrics.levels.map((l) => [l.level, String(l.series), l.wrmsse.toFixed(4), naive.get(l.level)!.toFixed(4)]);
    rows.push(["overall", "", result.metrics.wrmsse.toFixed(4), result.metrics.seasonal_naive.wrmsse.toFixed(4)]);
    return `${head}\nheld-out WRMSSE (last ${config.catalogue.horizon} days)\n${formatTextTable(["level", "series", "salescast", "seasonal naive"], rows)}`;
  });
  return 0;
}
