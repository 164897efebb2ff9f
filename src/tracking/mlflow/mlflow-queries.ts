// The read side of MLflow's REST API, page by page: run search, experiment search and metric
// histories. Each follows next_page_token until the server has nothing more.
import type { WireMetric } from "./mlflow-batch.js";
import type { MlflowHttp } from "./mlflow-http.js";
import { filterLiteral, toMetricPoint, type WireExperiment, type WireRun } from "./mlflow-wire.js";
import type { MetricPoint, RunFilter } from "../store.js";

/** Active runs of the experiments matching the filter's status and category, newest first. */
export async function searchRuns(http: MlflowHttp, experimentIds: string[], filter: RunFilter): Promise<WireRun[]> {
  const clauses: string[] = [];
  if (filter.status !== undefined) clauses.push(`attributes.status = '${filter.status}'`);
  // A name holding both quote characters cannot be written in MLflow's filter language: filter here instead.
  const categoryLiteral = filter.category === undefined ? undefined : filterLiteral(filter.category);
  if (categoryLiteral !== undefined) clauses.push(`tags.item_id = ${categoryLiteral}`);
  const runs: WireRun[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.post<{ runs?: WireRun[]; next_page_token?: string }>("runs/search", {
      experiment_ids: experimentIds,
      filter: clauses.join(" and "),
      run_view_type: "ACTIVE_ONLY",
      max_results: 1000,
      order_by: ["attributes.start_time DESC"],
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  if (filter.category === undefined || categoryLiteral !== undefined) return runs;
  return runs.filter((r) => r.data?.tags?.some((t) => t.key === "item_id" && t.value === filter.category));
}

export async function searchExperiments(http: MlflowHttp): Promise<WireExperiment[]> {
  const out: WireExperiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.post<{ experiments?: WireExperiment[]; next_page_token?: string }>("experiments/search", {
      max_results: 1000,
      view_type: "ACTIVE_ONLY",
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    out.push(...(page.experiments ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return out;
}

/** Every point of one metric, ordered by step, then timestamp, then the server's order. */
export async function metricHistory(http: MlflowHttp, runId: string, key: string): Promise<MetricPoint[]> {
  const points: MetricPoint[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.get<{ metrics?: WireMetric[]; next_page_token?: string }>("metrics/get-history", {
      run_id: runId,
      metric_key: key,
      max_results: 25000,
      page_token: pageToken,
    });
    points.push(...(page.metrics ?? []).map(toMetricPoint));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return points
    .map((p, order) => ({ p, order }))
    .sort((a, b) => a.p.step - b.p.step || a.p.timestamp - b.p.timestamp || a.order - b.order)
    .map(({ p }) => p);
}

/** work() over items, at most `limit` at a time, results in the items' order. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
