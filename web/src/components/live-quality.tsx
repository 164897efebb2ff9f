// Live forecast quality beside the backtest: the served forecasts scored against the actual
// values that arrived (POST /api/actuals or a new data file), their MASE next to the served
// version's validation MASE, and how often the actuals fell inside the intervals asked for. The
// ratio is the figure the alert watches (deploy/prometheus-rules.yml: above 1.5 for an hour).
import { getMonitoring } from "../api.js";
import { formatMetric } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

/** Live MASE above this many times the validation MASE reads as a warning (the alert rule's factor). */
const WORSE_FACTOR = 1.5;

export function LiveQuality({ category, version }: { category: string; version: number }) {
  const answer = useAsync((signal) => getMonitoring(category, signal), [category, version]);
  if (answer.status === "error") return <p class="muted">Live forecast quality is not available: {answer.error}</p>;
  if (!answer.data) return null;
  const { live, served, waiting } = answer.data;
  const validation = live.validation_mase ?? served?.validation_mase ?? null;
  const ratio = live.mase !== null && validation !== null && validation > 0 ? live.mase / validation : null;
  return (
    <section class="live-quality" data-testid="live-quality" aria-label="Live forecast quality">
      <h3>Live against backtest</h3>
      {live.scored === 0 ? (
        <p class="muted" data-testid="live-none">
          No served forecast has been scored yet{waiting > 0 ? ` (${waiting} dated forecast${waiting === 1 ? "" : "s"} waiting for actual values)` : ""}.
          Forecasts asked for with their date are scored when the actual values arrive: POST /api/actuals or a new sales file.
        </p>
      ) : (
        <table>
          <caption>
            Over the last {live.scored} scored forecast{live.scored === 1 ? "" : "s"}
            {waiting > 0 ? `; ${waiting} waiting for actual values` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">MASE</th>
              <th scope="col">Live</th>
              <th scope="col">Backtest (validation)</th>
              <th scope="col">Live / backtest</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Forecast error</th>
              <td data-testid="live-mase" data-value={live.mase ?? ""}>
                {formatMetric(live.mase)}
              </td>
              <td data-testid="backtest-mase" data-value={validation ?? ""}>
                {formatMetric(validation)}
              </td>
              <td data-testid="live-ratio" class={ratio !== null && ratio > WORSE_FACTOR ? "worse" : undefined}>
                {ratio === null ? "–" : `${ratio.toFixed(2)}×${ratio > WORSE_FACTOR ? " (worse than at training)" : ""}`}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {live.coverage.length > 0 && (
        <ul class="live-coverage" data-testid="live-coverage">
          {live.coverage.map((c) => (
            <li key={c.level}>
              {c.level}% intervals held {Math.round(c.coverage * 100)}% of {c.forecasts} actual value{c.forecasts === 1 ? "" : "s"}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
