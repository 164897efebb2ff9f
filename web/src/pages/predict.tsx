// Predict: the category's last window, editable, sent to POST /api/predict/{category}; the
// forecast next to the history, and the model's validation metrics beside the baselines'
// so the number comes with how far to trust it. A level choice asks for prediction intervals
// (split conformal, calibrated at training) and the chart shades them around the forecast.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { getLatestWindow, getModels, getSeries, predict, type IntervalBand, type ModelInfo, type PredictAnswer, type Series } from "../api.js";
import { Chart } from "../charts/chart.js";
import { timeChartOption, type TimeBand, type TimeLine } from "../charts/options.js";
import { columnsFromFlatMetrics, MetricsTable } from "../components/metrics-table.js";
import { ErrorMessage, Loading, NoModels } from "../components/status.js";
import { WindowTable } from "../components/window-table.js";
import { checkCell, checkWindow } from "../lib/cells.js";
import { formatDateTime, formatSales } from "../lib/format.js";
import { replaceParams } from "../lib/route.js";
import { addDays } from "../lib/stats.js";
import { errorText, useAsync } from "../lib/use-async.js";

const MAX_HORIZON = 365;
/** Days of history before the window drawn for context. */
const CONTEXT_DAYS = 90;

/** The interval choices offered: the levels salescast calibrates by default (model.interval_levels). */
const LEVEL_CHOICES: Array<{ value: string; label: string; levels: number[] }> = [
  { value: "none", label: "None", levels: [] },
  { value: "80", label: "80%", levels: [80] },
  { value: "95", label: "95%", levels: [95] },
  { value: "both", label: "80% and 95%", levels: [80, 95] },
];

/** Band fill per level: the wider (95%) band lighter, so the 80% band reads on top of it. */
const BAND_STYLE: Record<number, { color: string; opacity: number }> = {
  80: { color: "#dc2626", opacity: 0.22 },
  95: { color: "#f87171", opacity: 0.15 },
};

export function PredictPage({ params }: { params: URLSearchParams }) {
  const models = useAsync((signal) => getModels(signal), []);
  const [picked, setPicked] = useState(params.get("category") ?? "");

  if (models.status === "loading" && !models.data) return <Loading what="models" />;
  if (models.status === "error") return <ErrorMessage title="Could not load the models" message={models.error} onRetry={models.reload} />;
  const list = models.data!;
  if (list.length === 0) return <NoModels />;
  const model = list.find((m) => m.category === picked) ?? list[0];

  return (
    <div class="page predict">
      <section class="controls" aria-label="Prediction controls">
        <label>
          Category
          <select
            value={model.category}
            data-testid="predict-category"
            onChange={(e) => {
              setPicked(e.currentTarget.value);
              replaceParams("predict", { category: e.currentTarget.value });
            }}
          >
            {list.map((m) => (
              <option key={m.category} value={m.category}>
                {m.category}
              </option>
            ))}
          </select>
        </label>
      </section>
      {/* A new key per category resets the window, the answer and any error. */}
      <PredictForCategory key={model.category} model={model} />
    </div>
  );
}

function PredictForCategory({ model }: { model: ModelInfo }) {
  const latest = useAsync((signal) => getLatestWindow(model.category, signal), [model.category]);
  const [cells, setCells] = useState<string[] | null>(null);
  const [horizonText, setHorizonText] = useState("1");
  const [levelChoice, setLevelChoice] = useState("none");
  const [answer, setAnswer] = useState<{ result: PredictAnswer; window: number[]; horizon: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const output = useRef<HTMLDivElement>(null);

  // Prefill once the latest window arrives (and again on "Reset").
  useEffect(() => {
    if (latest.status === "ready") setCells(latest.data.values.map(String));
  }, [latest.status, latest.data]);

  const context = useAsync(
    (signal) => (latest.data?.dates.length ? getSeries(model.category, { from: addDays(latest.data.dates[0], -CONTEXT_DAYS) }, signal) : Promise.resolve(null)),
    [model.category, latest.data],
  );

  const future = useMemo(() => (answer && latest.data ? futureDates(latest.data, answer.result.forecast.length) : []), [answer, latest.data]);

  if (latest.status === "loading" && !latest.data) return <Loading what={`the last window of ${model.category}`} />;
  if (latest.status === "error") return <ErrorMessage title={`Could not load the last window of ${model.category}`} message={latest.error} onRetry={latest.reload} />;
  if (!cells || !latest.data) return null;

  const dates = latest.data.dates;
  const check = checkWindow(cells);
  const horizon = Number(horizonText);
  const horizonOk = /^\d+$/.test(horizonText.trim()) && horizon >= 1 && horizon <= MAX_HORIZON;
  const canSend = check.problems.size === 0 && horizonOk && !sending;

  const send = async (event: Event) => {
    event.preventDefault();
    if (!canSend) return;
    setSending(true);
    setFailure(null);
    try {
      const levels = LEVEL_CHOICES.find((c) => c.value === levelChoice)?.levels ?? [];
      const result = await predict(model.category, check.values, horizon, undefined, levels, dates[dates.length - 1]);
      setAnswer({ result, window: check.values, horizon });
      // On a phone the answer is below the table: bring it into view.
      requestAnimationFrame(() => {
        const box = output.current;
        if (box && box.getBoundingClientRect().top > window.innerHeight * 0.6) box.scrollIntoView({ block: "start", behavior: "smooth" });
      });
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="predict-body">
      <form class="predict-form" onSubmit={send} noValidate>
        <WindowTable dates={dates} cells={cells} onChange={setCells} />
        <div class="form-row">
          <label>
            Horizon (periods ahead)
            <input
              type="number"
              min={1}
              max={MAX_HORIZON}
              step={1}
              value={horizonText}
              aria-invalid={horizonOk ? undefined : "true"}
              data-testid="predict-horizon"
              onInput={(e) => setHorizonText(e.currentTarget.value)}
            />
          </label>
          <label>
            Prediction interval
            <select value={levelChoice} data-testid="predict-level" onChange={(e) => setLevelChoice(e.currentTarget.value)}>
              {LEVEL_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary" disabled={!canSend} data-testid="predict-submit">
            {sending ? "Predicting…" : "Predict"}
          </button>
          <button type="button" onClick={() => (setCells(latest.data!.values.map(String)), setAnswer(null), setFailure(null))}>
            Reset to latest data
          </button>
        </div>
        {(check.problems.size > 0 || !horizonOk) && (
          <p class="form-problems" role="status" data-testid="predict-problems">
            {check.problems.size > 0 && `${check.problems.size} cell${check.problems.size > 1 ? "s need" : " needs"} fixing before predicting: ${[...check.problems.keys()].map((i) => `T-${cells.length - i}`).join(", ")}. `}
            {!horizonOk && `The horizon must be a whole number from 1 to ${MAX_HORIZON}.`}
          </p>
        )}
      </form>

      <div class="predict-output" ref={output}>
        {failure && <ErrorMessage title="The prediction failed" message={failure} />}
        <section class="chart-card" aria-label="Forecast">
          {answer ? (
            <Forecast answer={answer} futureDates={future} />
          ) : (
            <p class="muted">Edit the window if you like, then press Predict (or Enter in a cell) to forecast {latest.data.nextDate ?? "the next period"}.</p>
          )}
          <ForecastChart
            history={context.data ?? null}
            dates={dates}
            window={answer?.window ?? cellNumbers(cells)}
            forecast={answer?.result.forecast}
            intervals={answer?.result.intervals}
            futureDates={future}
          />
        </section>
        <ModelCard model={model} />
      </div>
    </div>
  );
}

/** The cells as numbers for the chart; a cell being edited into shape is a gap, not a zero. */
function cellNumbers(cells: string[]): Array<number | null> {
  return cells.map((text) => {
    const check = checkCell(text);
    return check.ok ? check.value : null;
  });
}

/** Dates of the forecast periods: the server's next_date, then one period apart. */
function futureDates(latest: Series, count: number): string[] {
  const step = latest.frequency === "W" ? 7 : 1;
  const last = latest.dates[latest.dates.length - 1];
  const first = latest.nextDate ?? (last ? addDays(last, step) : undefined);
  if (!first) return [];
  return Array.from({ length: count }, (_, i) => addDays(first, i * step));
}

function Forecast({ answer, futureDates }: { answer: { result: PredictAnswer; horizon: number }; futureDates: string[] }) {
  const first = futureDates[0] ?? "";
  return (
    <div class="forecast" aria-live="polite" data-testid="predict-result">
      <p class="big-number">
        <span class="label">Predicted sales{first ? ` for ${first}` : ""}</span>
        <output data-testid="predicted-sales" data-value={answer.result.predictedSales}>
          {formatSales(answer.result.predictedSales)}
        </output>
      </p>
      {answer.result.intervals.length > 0 && (
        <ul class="intervals" data-testid="predict-intervals">
          {answer.result.intervals.map((band) => (
            <li key={band.level} data-testid={`predict-interval-${band.level}`} data-lower={band.lower[0]} data-upper={band.upper[0]}>
              {band.level}% interval: {formatSales(band.lower[0])} – {formatSales(band.upper[0])}
            </li>
          ))}
        </ul>
      )}
      {answer.result.forecast.length > 1 && (
        <details>
          <summary>All {answer.result.forecast.length} forecast values</summary>
          <ol class="forecast-list" data-testid="forecast-list">
            {answer.result.forecast.map((v, i) => (
              <li key={i}>
                {futureDates[i] ?? `T+${i + 1}`}: {formatSales(v)}
                {answer.result.intervals.map((band) => ` (${band.level}%: ${formatSales(band.lower[i])} – ${formatSales(band.upper[i])})`).join("")}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

interface ForecastChartProps {
  history: Series | null;
  dates: string[];
  /** null where the cell does not hold a number (yet). */
  window: Array<number | null>;
  forecast?: number[];
  /** Prediction intervals of the forecast (bounds per step), if asked for. */
  intervals?: IntervalBand[];
  futureDates: string[];
}

function ForecastChart({ history, dates, window, forecast, intervals, futureDates }: ForecastChartProps) {
  const option = useMemo(() => {
    const firstWindowDate = dates[0] ?? "";
    const lines: TimeLine[] = [];
    const bands: TimeBand[] = [];
    if (history) {
      // The history up to the window's first day, so the two lines join.
      const end = history.dates.findIndex((d) => d > firstWindowDate);
      const cut = end === -1 ? history.dates.length : end;
      const before = { dates: history.dates.slice(0, cut), values: history.values.slice(0, cut) as Array<number | null> };
      if (before.dates[before.dates.length - 1] === firstWindowDate) before.values[before.values.length - 1] = window[0] ?? null;
      lines.push({ name: "History", ...before, color: "#9ca3af", width: 1.5 });
    }
    lines.push({ name: "Input window", dates, values: window, color: "#2563eb", width: 2 });
    if (forecast && forecast.length > 0 && dates.length > 0) {
      const last = dates[dates.length - 1];
      const futures = forecast.map((_, i) => futureDates[i] ?? addDays(last, i + 1));
      const lastValue = window[window.length - 1] ?? null;
      lines.push({ name: "Forecast", dates: [last, ...futures], values: [lastValue, ...forecast], color: "#dc2626", width: 2, dashed: true });
      // Each band starts at the last input (zero width: that value is known) and fans out, so a
      // one-step forecast still shows an area.
      for (const band of [...(intervals ?? [])].sort((a, b) => b.level - a.level)) {
        const style = BAND_STYLE[band.level] ?? { color: "#dc2626", opacity: 0.15 };
        bands.push({
          name: `${band.level}% interval`,
          dates: [last, ...futures],
          lower: [lastValue, ...band.lower],
          upper: [lastValue, ...band.upper],
          ...style,
        });
      }
    }
    return timeChartOption({ lines, bands, zoom: false, markDate: forecast && dates.length ? { date: dates[dates.length - 1], label: "now" } : undefined });
  }, [history, dates, window, forecast, intervals, futureDates]);
  return (
    <Chart
      option={option}
      label={`Sales history, the input window and the forecast joined to it${intervals?.length ? `, with its ${intervals.map((b) => `${b.level}%`).join(" and ")} prediction intervals shaded` : ""}`}
      height={320}
      testId="predict-chart"
    />
  );
}

function ModelCard({ model }: { model: ModelInfo }) {
  const columns = columnsFromFlatMetrics(model.metrics);
  const hasMetrics = Object.keys(columns[0]?.metrics ?? {}).length > 0;
  return (
    <section class="model-card" data-testid="model-card">
      <h2>Model</h2>
      <dl>
        <dt>Category</dt>
        <dd>{model.category}</dd>
        <dt>Version</dt>
        <dd data-testid="model-version">{model.version ?? "–"}</dd>
        <dt>Trained</dt>
        <dd>{formatDateTime(model.trainedAt)}</dd>
        <dt>Window</dt>
        <dd>{model.windowSize} periods</dd>
      </dl>
      {hasMetrics ? (
        <MetricsTable caption="Validation accuracy (lower is better; best in bold)" columns={columns} testId="model-metrics" />
      ) : (
        <p class="muted">This model was registered without validation metrics.</p>
      )}
    </section>
  );
}
