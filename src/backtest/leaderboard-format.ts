// A leaderboard for the terminal (`salescast leaderboard`): one line per entrant with its
// selection and evaluation MASE, interval coverage and why it has no score, the champion marked.
import { formatTextTable } from "../util/text-table.js";
import type { Leaderboard } from "./leaderboard.js";

const number = (value: number | null | undefined, digits = 3) => (typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export function formatLeaderboard(board: Leaderboard, version?: number): string {
  const levels = [...new Set(board.entries.flatMap((e) => e.coverage.map((c) => c.level)))].sort((a, b) => a - b);
  const rows = board.entries.map((entry) => [
    `${entry.model}${entry.model === board.champion.model ? " *" : ""}`,
    entry.role,
    entry.status,
    number(entry.selection_mase),
    number(entry.evaluation_mase),
    ...levels.map((level) => number(entry.coverage.find((c) => c.level === level)?.coverage, 2)),
    entry.description ?? entry.reason ?? "",
  ]);
  const title =
    `${board.series}${version === undefined ? "" : ` (version ${version})`}: ${board.selection_cutoffs.length} selection windows ` +
    `${board.selection_cutoffs[0]} .. ${board.selection_cutoffs.at(-1)}, ${board.evaluation_cutoffs.length} evaluation windows ` +
    `${board.evaluation_cutoffs[0]} .. ${board.evaluation_cutoffs.at(-1)}, horizon ${board.horizon}, every ${board.step} periods`;
  const table = formatTextTable(["model", "role", "status", "selection MASE", "evaluation MASE", ...levels.map((l) => `${l}% cover`), "model / reason"], rows);
  return `${title}\n${table}\nchampion: ${board.champion.model}: ${board.champion.reason}`;
}
