// Runs: the experiment runs from the tracking store (local folder or MLflow), filterable by
// category; ticking two or more compares their params, metrics and loss curves side by side.
import { useMemo, useState } from "preact/hooks";
import { getLeaderboard, getRuns, type RunInfo } from "../api.js";
import { LeaderboardTable } from "../components/leaderboard-table.js";
import { RunsLossChart } from "../components/loss-chart.js";
import { Empty, ErrorMessage, Loading } from "../components/status.js";
import { formatDateTime, formatMetric } from "../lib/format.js";
import { periodCount } from "../lib/period.js";
import { replaceParams } from "../lib/route.js";
import { useAsync } from "../lib/use-async.js";

const categoryOf = (run: RunInfo) => run.tags.item_id ?? run.params["data.item_id"] ?? "";

/** "14 days" / "8 weeks": the run's window in the periods of the data it was trained on. */
function windowOf(run: RunInfo): string {
  const size = Number(run.params["data.window_size"] ?? run.tags.window_size);
  if (!Number.isInteger(size) || size <= 0) return "–";
  return periodCount(size, run.params["data.frequency"] === "W" ? "W" : "D");
}

export function RunsPage({ params }: { params: URLSearchParams }) {
  const [category, setCategory] = useState(params.get("category") ?? "");
  const [chosen, setChosen] = useState<string[]>(() => (params.get("compare") ?? "").split(",").filter(Boolean));
  // All runs once; the category filter works on them in memory (the list of categories for
  // the picker comes from the same answer).
  const answer = useAsync((signal) => getRuns({}, signal), []);

  const update = (nextCategory: string, nextChosen: string[]) => {
    setCategory(nextCategory);
    setChosen(nextChosen);
    replaceParams("runs", { category: nextCategory, compare: nextChosen });
  };

  if (answer.status === "loading" && !answer.data) return <Loading what="runs" />;
  if (answer.status === "error") return <ErrorMessage title="Could not load the runs" message={answer.error} onRetry={answer.reload} />;
  const { runs, store } = answer.data!;
  const categories = [...new Set(runs.map(categoryOf).filter(Boolean))].sort();
  const shown = category ? runs.filter((r) => categoryOf(r) === category) : runs;
  const compared = chosen.map((id) => runs.find((r) => r.run_id === id)).filter((r): r is RunInfo => r !== undefined);

  return (
    <div class="page runs">
      <section class="controls" aria-label="Run filters">
        <label>
          Category
          <select value={category} onChange={(e) => update(e.currentTarget.value, chosen)} data-testid="runs-category">
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={answer.reload}>
          Refresh
        </button>
        {store.kind === "mlflow" && store.ui_url && /^https?:\/\//.test(store.ui_url) && (
          <a href={store.ui_url} target="_blank" rel="noopener" data-testid="mlflow-link">
            Open the MLflow UI
          </a>
        )}
        <p class="hint">Tick two or more runs to compare them.</p>
      </section>

      {runs.length === 0 ? (
        <Empty title="No runs yet">
          <p>
            Every training records a run. Train on the <a href="#/train">Train page</a> or run <code>npx salescast train</code>.
          </p>
        </Empty>
      ) : (
        <RunTable runs={shown} chosen={chosen} onToggle={(id, on) => update(category, on ? [...chosen, id] : chosen.filter((c) => c !== id))} />
      )}
      {compared.length >= 2 && <Comparison runs={compared} onClear={() => update(category, [])} />}
      {category && <ServedLeaderboard category={category} />}
    </div>
  );
}

/** The leaderboard of the version the category serves, when it was trained with architecture auto. */
function ServedLeaderboard({ category }: { category: string }) {
  const answer = useAsync((signal) => getLeaderboard(category, signal).catch(() => null), [category]);
  if (answer.status !== "ready" || !answer.data) return null;
  return (
    <section class="leaderboard-card" aria-label="Leaderboard">
      <h2>
        Leaderboard of {category}, version {answer.data.version}
      </h2>
      <LeaderboardTable board={answer.data.leaderboard} testId="runs-leaderboard" />
    </section>
  );
}

function RunTable({ runs, chosen, onToggle }: { runs: RunInfo[]; chosen: string[]; onToggle: (id: string, on: boolean) => void }) {
  return (
    <div class="table-scroll">
      <table class="runs-table" data-testid="runs-table">
        <caption>
          {runs.length} run{runs.length === 1 ? "" : "s"}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Compare</span>
            </th>
            <th scope="col">Run</th>
            <th scope="col">Category</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Window</th>
            <th scope="col">Val MASE</th>
            <th scope="col">Seasonal naive MASE</th>
            <th scope="col">Epochs</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.run_id} class={chosen.includes(run.run_id) ? "chosen" : undefined} data-testid="run-row">
              <td>
                <input
                  type="checkbox"
                  checked={chosen.includes(run.run_id)}
                  aria-label={`Compare ${run.run_name} (${run.run_id.slice(0, 8)})`}
                  onChange={(e) => onToggle(run.run_id, e.currentTarget.checked)}
                  data-testid={`run-check-${run.run_id}`}
                />
              </td>
              <th scope="row">
                {run.run_name} <code class="muted">{run.run_id.slice(0, 8)}</code>
                {run.experiment_name && <div class="muted small">{run.experiment_name}</div>}
              </th>
              <td>{categoryOf(run) || "–"}</td>
              <td>
                <span class={`badge run-${run.status.toLowerCase()}`} title={run.error ?? undefined}>
                  {run.status.toLowerCase()}
                </span>
              </td>
              <td>{formatDateTime(run.start_time)}</td>
              <td data-testid="run-window">{windowOf(run)}</td>
              <td>{formatMetric(run.metrics.val_mase)}</td>
              <td>{formatMetric(run.metrics.seasonal_naive_val_mase)}</td>
              <td>{run.metrics.epochs === undefined || run.metrics.epochs === null ? "–" : formatMetric(run.metrics.epochs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Comparison({ runs, onClear }: { runs: RunInfo[]; onClear: () => void }) {
  const [onlyDifferent, setOnlyDifferent] = useState(true);
  const params = useMemo(() => keyedRows(runs.map((r) => r.params)), [runs]);
  const metrics = useMemo(() => keyedRows(runs.map((r) => mapValues(r.metrics, formatMetric))), [runs]);
  const shownParams = onlyDifferent ? params.filter((row) => row.different) : params;

  return (
    <section class="comparison" data-testid="runs-compare" aria-label="Run comparison">
      <h2>
        Comparing {runs.length} runs{" "}
        <button type="button" class="link" onClick={onClear}>
          clear
        </button>
      </h2>
      <h3>Loss curves</h3>
      <RunsLossChart runs={runs} testId="compare-loss" />
      <h3>Metrics</h3>
      <CompareTable runs={runs} rows={metrics} testId="compare-metrics" />
      <h3>
        Params{" "}
        <label class="inline">
          <input type="checkbox" checked={onlyDifferent} onChange={(e) => setOnlyDifferent(e.currentTarget.checked)} /> only those that differ
        </label>
      </h3>
      {shownParams.length === 0 ? <p class="muted">All params are the same.</p> : <CompareTable runs={runs} rows={shownParams} testId="compare-params" />}
    </section>
  );
}

interface KeyedRow {
  key: string;
  values: Array<string | undefined>;
  different: boolean;
}

function keyedRows(records: Array<Record<string, string>>): KeyedRow[] {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
  return keys.map((key) => {
    const values = records.map((r) => r[key]);
    return { key, values, different: new Set(values).size > 1 };
  });
}

/** `f` of each value; a metric the store holds as NaN (sent as null) is left out, as if never logged. */
function mapValues(record: Record<string, number | null>, f: (v: number) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).flatMap(([k, v]) => (v === null ? [] : [[k, f(v)]])));
}

function CompareTable({ runs, rows, testId }: { runs: RunInfo[]; rows: KeyedRow[]; testId: string }) {
  return (
    <div class="table-scroll">
      <table class="compare" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            {runs.map((r) => (
              <th scope="col" key={r.run_id}>
                {r.run_name} <code class="muted">{r.run_id.slice(0, 6)}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} class={row.different ? "different" : undefined}>
              <th scope="row">{row.key}</th>
              {row.values.map((v, i) => (
                <td key={i}>{v ?? "–"}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
