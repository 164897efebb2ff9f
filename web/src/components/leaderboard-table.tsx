// The tournament of a version trained with architecture auto: every model's mean MASE on the
// selection windows (what chose the champion) and on the evaluation windows after them (never
// used to choose), its interval coverage there, and why a model has no score.
import type { Leaderboard } from "../api.js";
import { formatMetric } from "../lib/format.js";

const share = (value: number | null | undefined) => (typeof value === "number" ? `${(100 * value).toFixed(0)}%` : "–");

export function LeaderboardTable({ board, testId = "leaderboard" }: { board: Leaderboard; testId?: string }) {
  const levels = [...new Set(board.entries.flatMap((e) => e.coverage.map((c) => c.level)))].sort((a, b) => a - b);
  return (
    <div class="leaderboard" data-testid={testId}>
      <p>
        Chosen on {board.selection_cutoffs.length} selection windows ({board.selection_cutoffs[0]} – {board.selection_cutoffs.at(-1)}), scored on{" "}
        {board.evaluation_cutoffs.length} evaluation windows after them ({board.evaluation_cutoffs[0]} – {board.evaluation_cutoffs.at(-1)}), {board.horizon}{" "}
        periods ahead each. MASE: lower is better.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Selection MASE</th>
            <th scope="col">Evaluation MASE</th>
            {levels.map((level) => (
              <th scope="col" key={level}>
                {level}% covered
              </th>
            ))}
            <th scope="col">Fit / reason</th>
          </tr>
        </thead>
        <tbody>
          {board.entries.map((entry) => {
            const champion = entry.model === board.champion.model;
            return (
              <tr key={entry.model} class={champion ? "champion" : entry.status !== "ok" ? "muted" : ""}>
                <th scope="row">
                  {entry.model}
                  {champion ? " ★" : ""}
                  {entry.role === "baseline" ? <span class="muted"> (baseline)</span> : null}
                </th>
                <td>{formatMetric(entry.selection_mase)}</td>
                <td>{formatMetric(entry.evaluation_mase)}</td>
                {levels.map((level) => (
                  <td key={level}>{share(entry.coverage.find((c) => c.level === level)?.coverage)}</td>
                ))}
                <td>{entry.status === "ok" ? (entry.description ?? "") : `${entry.status}: ${entry.reason ?? ""}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p data-testid={`${testId}-reason`}>
        <strong>{board.champion.model}</strong> serves: {board.champion.reason}.
      </p>
    </div>
  );
}
