// Predict: the category's last window, editable, sent to POST /api/predict/{category}; the
// forecast next to the history, one row per period with its date (downloadable as CSV), and the
// model's validation metrics beside the baselines' so the number comes with how far to trust
// it. A level choice asks for prediction intervals (split conformal, calibrated at training) and
// the chart shades them around the forecast. A model that reads covariates gets a box per
// covariate (the window's values from the data file, the forecast periods' from the user).
// The page opens on the server's default category (data.item_id) when it has a model.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  getLatestWindow,
  getLeaderboard,
  getModels,
  getSeries,
  predict,
  type Forecast,
  type IntervalBand,
  type LatestWindow,
  type ModelInfo,
  type Series,
} from "../api.js";
import { Chart } from "../charts/chart.js";
import { timeChartOption, type TimeBand, type TimeLine } from "../charts/options.js";
import { CovariateInputs } from "../components/covariate-inputs.js";
import { ForecastTable } from "../components/forecast-table.js";
import { columnsFromFlatMetrics, MetricsTable } from "../components/metrics-table.js";
import { ErrorMessage, Loading, NoModels } from "../components/status.js";
import { WindowTable } from "../components/window-table.js";
import { checkCell, checkValueList, checkWindow } from "../lib/cells.js";
import { format, formatDate, formatDateTime, formatSales } from "../lib/format.js";
import { periodCount, periodWords, type Frequency, type PeriodWords } from "../lib/period.js";
import { replaceParams } from "../lib/route.js";
import { addDays } from "../lib/stats.js";
import { LeaderboardTable } from "../components/leaderboard-table.js";
import { LiveQuality } from "../components/live-quality.js";
import { errorText, useAsync } from "../lib/use-async.js";

const MAX_HORIZON = 365;

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
  const answer = useAsync((signal) => getModels(signal), []);
  const [picked, setPicked] = useState(params.get("category") ?? "");

  if (answer.status === "loading" && !answer.data) return <Loading what="models" />;
  if (answer.status === "error") return <ErrorMessage title="Could not load the models" message={answer.error} onRetry={answer.reload} />;
  const { models: list, default: defaultCategory } = answer.data!;
  if (list.length === 0) return <NoModels />;
  // The category asked for in the address, else the server's default (data.item_id), else the first.
  const model = list.find((m) => m.category === picked) ?? list.find((m) => m.category === defaultCategory) ?? list[0];

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

interface Answer {
  result: Forecast;
  window: number[];
  horizon: number;
  /** Date of each forecast period. */
  dates: string[];
}

function PredictForCategory({ model }: { model: ModelInfo }) {
  const latest = useAsync((signal) => getLatestWindow(model.category, signal), [model.category]);
  const [cells, setCells] = useState<string[] | null>(null);
  const [covariateTexts, setCovariateTexts] = useState<Record<string, string>>({});
  const [horizonText, setHorizonText] = useState("1");
  const [levelChoice, setLevelChoice] = useState("none");
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const output = useRef<HTMLDivElement>(null);
  const covariates = model.inputs?.features.covariates ?? [];

  // Prefill once the latest window arrives (and again on "Reset"): the window's values, and the
  // covariates' values over the window where the data file has them.
  const prefill = (data: LatestWindow) => {
    setCells(data.values.map(format.editable));
    setCovariateTexts(Object.fromEntries(covariates.map((name) => [name, (data.covariates?.[name] ?? []).map(format.editable).join("\n")])));
  };
  useEffect(() => {
    if (latest.status === "ready") prefill(latest.data);
  }, [latest.status, latest.data]);

  const frequency: Frequency = latest.data?.frequency ?? model.inputs?.frequency ?? "D";
  const words = periodWords(frequency);
  const context = useAsync(
    (signal) =>
      latest.data?.dates.length
        ? getSeries(model.category, { from: addDays(latest.data.dates[0], -words.contextPeriods * words.days) }, signal)
        : Promise.resolve(null),
    [model.category, latest.data],
  );

  if (latest.status === "loading" && !latest.data) return <Loading what={`the last window of ${model.category}`} />;
  if (latest.status === "error")
    return <ErrorMessage title={`Could not load the last window of ${model.category}`} message={latest.error} onRetry={latest.reload} />;
  if (!cells || !latest.data) return null;

  const dates = latest.data.dates;
  const check = checkWindow(cells);
  const horizon = Number(horizonText);
  const horizonOk = /^\d+$/.test(horizonText.trim()) && horizon >= 1 && horizon <= MAX_HORIZON;
  const askedDates = futureDates(latest.data, horizonOk ? horizon : 0);
  const covariateChecks = covariates.map((name) => [name, checkValueList(covariateTexts[name] ?? "", dates.length + askedDates.length)] as const);
  const covariatesOk = covariateChecks.every(([, c]) => c.ok);
  const canSend = check.problems.size === 0 && horizonOk && covariatesOk && !sending;
  const dateLabel = frequency === "W" ? "Week starting" : "Day";

  const send = async (event: Event) => {
    event.preventDefault();
    if (!canSend) return;
    setSending(true);
    setFailure(null);
    try {
      const levels = LEVEL_CHOICES.find((c) => c.value === levelChoice)?.levels ?? [];
      const values = Object.fromEntries(covariateChecks.map(([name, c]) => [name, c.ok ? c.values : []]));
      const result = await predict(model.category, { series: check.values, horizon, levels, lastDate: dates[dates.length - 1], covariates: values });
      setAnswer({ result, window: check.values, horizon, dates: futureDates(latest.data!, result.forecast.length) });
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

  const badCovariates = covariateChecks.filter(([, c]) => !c.ok).map(([name]) => name);
  return (
    <div class="predict-body">
      <form class="predict-form" onSubmit={send} noValidate>
        <WindowTable dates={dates} cells={cells} onChange={setCells} units={words.units} dateLabel={dateLabel} />
        {covariates.length > 0 && (
          <CovariateInputs
            names={covariates}
            texts={covariateTexts}
            onChange={setCovariateTexts}
            windowSize={dates.length}
            futureDates={askedDates}
            units={words.units}
          />
        )}
        <div class="form-row">
          <label>
            Horizon ({words.units} ahead)
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
          <button type="button" onClick={() => (prefill(latest.data!), setAnswer(null), setFailure(null))}>
            Reset to latest data
          </button>
        </div>
        {(check.problems.size > 0 || !horizonOk || badCovariates.length > 0) && (
          <p class="form-problems" role="status" data-testid="predict-problems">
            {check.problems.size > 0 &&
              `${check.problems.size} cell${check.problems.size > 1 ? "s need" : " needs"} fixing before predicting: ${[...check.problems.keys()].map((i) => `T-${cells.length - i}`).join(", ")}. `}
            {!horizonOk && `The horizon must be a whole number from 1 to ${MAX_HORIZON}. `}
            {badCovariates.length > 0 && `Covariate${badCovariates.length > 1 ? "s" : ""} ${badCovariates.join(", ")}: see the note under each box.`}
          </p>
        )}
      </form>

      <div class="predict-output" ref={output}>
        {failure && <ErrorMessage title="The prediction failed" message={failure} />}
        <section class="chart-card" aria-label="Forecast">
          {answer ? (
            <Forecast answer={answer} frequency={frequency} />
          ) : (
            <p class="muted">Edit the window if you like, then press Predict (or Enter in a cell) to forecast {periodOf(latest.data.next_date, frequency)}.</p>
          )}
          <ForecastChart
            history={context.data ?? null}
            dates={dates}
            window={answer?.window ?? cellNumbers(cells)}
            forecast={answer?.result.forecast}
            intervals={answer?.result.intervals}
            futureDates={answer?.dates ?? []}
            words={words}
          />
          {answer && (
            <ForecastTable
              category={model.category}
              dates={answer.dates}
              forecast={answer.result.forecast}
              intervals={answer.result.intervals}
              dateLabel={dateLabel}
            />
          )}
        </section>
        <ModelCard model={model} frequency={frequency} />
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

/** A period named by its first day: "Mar 4, 2024", or "the week of Mar 4, 2024". */
function periodOf(isoDate: string, frequency: Frequency): string {
  return frequency === "W" ? `the week of ${formatDate(isoDate)}` : formatDate(isoDate);
}

/** Dates of the forecast periods: the server's next_date, then one period apart. */
function futureDates(latest: LatestWindow, count: number): string[] {
  const step = periodWords(latest.frequency).days;
  return Array.from({ length: count }, (_, i) => addDays(latest.next_date, i * step));
}

/** The first period's forecast, large, with its intervals; every period is in the table under the chart. */
function Forecast({ answer, frequency }: { answer: Answer; frequency: Frequency }) {
  const first = answer.dates[0];
  return (
    <div class="forecast" aria-live="polite" data-testid="predict-result">
      <p class="big-number">
        <span class="label">Predicted sales{first ? ` for ${periodOf(first, frequency)}` : ""}</span>
        <output data-testid="predicted-sales" data-value={answer.result.predicted_sales}>
          {formatSales(answer.result.predicted_sales)}
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
  words: PeriodWords;
}

function ForecastChart({ history, dates, window, forecast, intervals, futureDates, words }: ForecastChartProps) {
  const option = useMemo(() => {
    const firstWindowDate = dates[0] ?? "";
    const lines: TimeLine[] = [];
    const bands: TimeBand[] = [];
    if (history) {
      // The history up to the window's first period, so the two lines join.
      const end = history.dates.findIndex((d) => d > firstWindowDate);
      const cut = end === -1 ? history.dates.length : end;
      const before = { dates: history.dates.slice(0, cut), values: history.values.slice(0, cut) as Array<number | null> };
      if (before.dates[before.dates.length - 1] === firstWindowDate) before.values[before.values.length - 1] = window[0] ?? null;
      lines.push({ name: "History", ...before, color: "#9ca3af", width: 1.5 });
    }
    lines.push({ name: "Input window", dates, values: window, color: "#2563eb", width: 2 });
    if (forecast && forecast.length > 0 && dates.length > 0) {
      const last = dates[dates.length - 1];
      const futures = forecast.map((_, i) => futureDates[i] ?? addDays(last, (i + 1) * words.days));
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
    return timeChartOption({
      lines,
      bands,
      zoom: false,
      minStepDays: words.days,
      markDate: forecast && dates.length ? { date: dates[dates.length - 1], label: "now" } : undefined,
    });
  }, [history, dates, window, forecast, intervals, futureDates, words]);
  return (
    <Chart
      option={option}
      label={`${words.adjective} sales history, the input window and the forecast joined to it${intervals?.length ? `, with its ${intervals.map((b) => `${b.level}%`).join(" and ")} prediction intervals shaded` : ""}`}
      height={320}
      testId="predict-chart"
    />
  );
}

/** The model's inputs in words: "sales, day of week, month, holidays (2 dates), covariates promo". */
function describeInputs(model: ModelInfo): string | undefined {
  const inputs = model.inputs;
  if (!inputs) return undefined;
  const parts = ["sales"];
  const { day_of_week, month, holidays, covariates } = inputs.features;
  if (day_of_week) parts.push("day of week");
  if (month) parts.push("month");
  if (holidays.length > 0) parts.push(`holidays (${holidays.length} date${holidays.length === 1 ? "" : "s"})`);
  if (covariates.length > 0) parts.push(`covariate${covariates.length === 1 ? "" : "s"} ${covariates.join(", ")}`);
  return parts.join(", ");
}

function ModelCard({ model, frequency }: { model: ModelInfo; frequency: Frequency }) {
  const columns = columnsFromFlatMetrics(model.metrics);
  const hasMetrics = Object.keys(columns[0]?.metrics ?? {}).length > 0;
  const inputs = describeInputs(model);
  return (
    <section class="model-card" data-testid="model-card">
      <h2>Model</h2>
      <dl>
        <dt>Category</dt>
        <dd>{model.category}</dd>
        <dt>Version</dt>
        <dd data-testid="model-version">{model.version ?? "–"}</dd>
        <dt>Trained</dt>
        <dd>{formatDateTime(model.created_at)}</dd>
        <dt>Window</dt>
        <dd data-testid="model-window">{periodCount(model.window_size, frequency)}</dd>
        {inputs && (
          <>
            <dt>Inputs</dt>
            <dd data-testid="model-inputs">{inputs}</dd>
          </>
        )}
        {model.inputs && model.inputs.horizon > 1 && (
          <>
            <dt>Steps per call</dt>
            <dd>{periodCount(model.inputs.horizon, frequency)} at once</dd>
          </>
        )}
      </dl>
      {hasMetrics ? (
        <MetricsTable caption="Validation accuracy (lower is better; best in bold)" columns={columns} testId="model-metrics" />
      ) : (
        <p class="muted">This model was registered without validation metrics.</p>
      )}
      <WhyThisModel category={model.category} version={model.version} />
      <LiveQuality category={model.category} version={model.version} />
    </section>
  );
}

/** Which model serves and why: the tournament's choice, for a version trained with architecture auto. */
function WhyThisModel({ category, version }: { category: string; version: number }) {
  const answer = useAsync((signal) => getLeaderboard(category, signal), [category, version]);
  if (answer.status !== "ready" || !answer.data) return null;
  const board = answer.data.leaderboard;
  return (
    <details class="why-model" data-testid="model-why">
      <summary>
        Serves <strong>{board.champion.model}</strong>: {board.champion.reason}
      </summary>
      <LeaderboardTable board={board} testId="model-leaderboard" />
    </details>
  );
}
