// Number and date formatting shared by the pages (one place, so every figure reads the same).
// Everything follows one locale, the browser's unless a test asks for another, so numbers,
// dates in tables and the date pickers (which the browser draws in its own locale) agree.
// Sales amounts carry the currency of app.currency when the server names one.

export interface DisplaySettings {
  /** BCP 47 locale; undefined = the browser's. */
  locale?: string;
  /** ISO 4217 code of the sales amounts; null = plain numbers. */
  currency?: string | null;
}

export interface Formatter {
  readonly locale: string;
  readonly currency: string | null;
  /** Sales amounts: whole units with thousands separators; small values keep two decimals. */
  sales(value: number | undefined | null): string;
  /** Short axis labels: 1,500 -> 1.5K (with the currency symbol when there is one). */
  axis(value: number): string;
  /** Metric values (RMSE, MAE, sMAPE, MASE): three significant decimals at most; whole numbers (epochs) as they are. */
  metric(value: number | undefined | null): string;
  /** A loss (normalised units): four significant digits. */
  loss(value: number | undefined | null): string;
  /** A duration in seconds with one decimal. */
  seconds(value: number): string;
  /** A change as a signed percentage: +12.5%. */
  percentChange(change: number | undefined): string;
  /** A calendar date (YYYY-MM-DD, no time zone) as the locale writes it: "Mar 4, 2024", "04.03.2024". */
  date(isoDate: string | undefined): string;
  /** An instant (ISO timestamp or epoch ms) with date and minutes, in the viewer's time zone. */
  dateTime(value: string | number | undefined): string;
  /** A number typed into a cell, as the locale writes it without grouping: 1234.5 -> "1234,5" in German. */
  editable(value: number): string;
  /** The locale's decimal and grouping separators. */
  readonly separators: { decimal: string; group: string };
}

export function makeFormatter(settings: DisplaySettings = {}): Formatter {
  const locale = new Intl.NumberFormat(settings.locale).resolvedOptions().locale;
  const currency = settings.currency ?? null;
  const money = (digits: number) =>
    new Intl.NumberFormat(locale, {
      ...(currency ? { style: "currency", currency } : {}),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const whole = money(0);
  const cents = money(2);
  const compactAxis = new Intl.NumberFormat(locale, { ...(currency ? { style: "currency", currency } : {}), notation: "compact", maximumFractionDigits: 1 });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimals = (digits: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const oneDecimal = decimals(1);
  const threeDecimals = decimals(3);
  const fourSignificant = new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const calendarDate = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const instant = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
  const separators = {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
  const finite = (value: number | undefined | null): value is number => value !== undefined && value !== null && Number.isFinite(value);

  return {
    locale,
    currency,
    separators,
    sales: (value) => (finite(value) ? (Math.abs(value) >= 100 ? whole : cents).format(value) : "–"),
    axis: (value) => compactAxis.format(value),
    metric: (value) => {
      if (!finite(value)) return "n/a";
      if (Number.isInteger(value) || Math.abs(value) >= 1000) return integer.format(value);
      return (Math.abs(value) >= 10 ? oneDecimal : threeDecimals).format(value);
    },
    seconds: (value) => oneDecimal.format(value),
    loss: (value) => (finite(value) ? fourSignificant.format(value) : "n/a"),
    percentChange: (change) => (change === undefined || !Number.isFinite(change) ? "n/a" : percent.format(change)),
    date: (isoDate) => {
      if (!isoDate) return "–";
      const time = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(time) ? isoDate : calendarDate.format(time);
    },
    dateTime: (value) => {
      if (value === undefined || value === "") return "–";
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? String(value) : instant.format(date);
    },
    editable: (value) => (separators.decimal === "." ? String(value) : String(value).replace(".", separators.decimal)),
  };
}

/** The formatter the pages use; App sets the currency once the server's settings arrive. */
export let format: Formatter = makeFormatter();

export function setDisplay(settings: DisplaySettings): void {
  format = makeFormatter(settings);
}

// The pages' shorthands.
export const formatSales = (value: number | undefined | null) => format.sales(value);
export const formatMetric = (value: number | undefined | null) => format.metric(value);
export const formatPercentChange = (change: number | undefined) => format.percentChange(change);
export const formatDate = (isoDate: string | undefined) => format.date(isoDate);
export const formatDateTime = (value: string | number | undefined) => format.dateTime(value);
