// Number and date formatting shared by the pages (one place, so every figure reads the same).

const compact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const twoDigits = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Sales amounts: whole units with thousands separators; small values keep two decimals. */
export function formatSales(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "–";
  return Math.abs(value) >= 100 ? compact.format(value) : twoDigits.format(value);
}

/** Metric values (RMSE, MAE, sMAPE, MASE): three significant decimals at most. */
export function formatMetric(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 1000) return compact.format(value);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 3);
}

export function formatPercentChange(change: number | undefined): string {
  if (change === undefined || !Number.isFinite(change)) return "n/a";
  const sign = change > 0 ? "+" : "";
  return `${sign}${(change * 100).toFixed(1)}%`;
}

/** An ISO timestamp or epoch ms as "2024-05-01 14:03" in the viewer's time zone. */
export function formatDateTime(value: string | number | undefined): string {
  if (value === undefined || value === "") return "–";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
