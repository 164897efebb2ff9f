// The network's validation metrics beside the baselines', so "how far can I trust this?"
// is answered with the seasonal-naive forecast as the yardstick.
import { formatMetric } from "../lib/format.js";

export interface MetricsColumn {
  name: string;
  metrics: Partial<Record<MetricKey, number | null>>;
}

export type MetricKey = "rmse" | "mae" | "smape" | "mase";

const ROWS: Array<[MetricKey, string, string]> = [
  ["mase", "MASE", "below 1 beats the in-sample seasonal-naive forecast"],
  ["rmse", "RMSE", "in sales units; large errors weigh more"],
  ["mae", "MAE", "in sales units"],
  ["smape", "sMAPE %", "0 to 200"],
];

export const BASELINE_LABELS: Record<string, string> = {
  seasonal_naive: "Seasonal naive",
  naive: "Naive",
  moving_average: "Moving average",
};

export function MetricsTable({ columns, caption, testId }: { columns: MetricsColumn[]; caption: string; testId?: string }) {
  return (
    <div class="table-scroll">
      <table class="metrics" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {columns.map((c) => (
              <th scope="col" key={c.name}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([key, label, hint]) => {
            const best = bestIndex(columns.map((c) => c.metrics[key]));
            return (
              <tr key={key}>
                <th scope="row" title={hint}>
                  {label}
                </th>
                {columns.map((c, i) => (
                  <td key={c.name} class={i === best ? "best" : undefined}>
                    {formatMetric(c.metrics[key])}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Lowest finite value wins (every metric here is an error: smaller is better). */
function bestIndex(values: Array<number | null | undefined>): number {
  let best = -1;
  values.forEach((v, i) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    if (best === -1 || v < (values[best] as number)) best = i;
  });
  return values.filter((v) => v !== null && v !== undefined && Number.isFinite(v)).length > 1 ? best : -1;
}

/**
 * Splits the registry's flat metrics (val_mase, seasonal_naive_val_mase, ...) into columns; a
 * metric that is not a number (NaN, sent as null) is left out like one never recorded.
 */
export function columnsFromFlatMetrics(metrics: Record<string, number | null>, part = "val"): MetricsColumn[] {
  const columnFor = (prefix: string) => {
    const out: Partial<Record<MetricKey, number>> = {};
    for (const [key] of ROWS) {
      const value = metrics[`${prefix}${part}_${key}`];
      if (value !== undefined && value !== null) out[key] = value;
    }
    return out;
  };
  const columns: MetricsColumn[] = [{ name: "Model", metrics: columnFor("") }];
  for (const [name, label] of Object.entries(BASELINE_LABELS)) {
    const m = columnFor(`${name}_`);
    if (Object.keys(m).length > 0) columns.push({ name: label, metrics: m });
  }
  return columns;
}
