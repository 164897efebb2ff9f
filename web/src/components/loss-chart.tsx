// Loss curves by epoch. Either from points already in hand (a live training job) or read from
// the tracking store for one or more runs (GET /api/runs/{id}/metrics/{key}).
import { useMemo } from "preact/hooks";
import { getMetricHistory, type RunInfo } from "../api.js";
import { Chart } from "../charts/chart.js";
import { PALETTE } from "../charts/echarts.js";
import { lossChartOption, type LineSpec } from "../charts/options.js";
import type { EpochLoss } from "../lib/job-losses.js";
import { useAsync } from "../lib/use-async.js";
import { ErrorMessage, Loading } from "./status.js";

export function LiveLossChart({ losses, label, height = 200, testId }: { losses: readonly EpochLoss[]; label: string; height?: number; testId?: string }) {
  const option = useMemo(
    () =>
      lossChartOption([
        { name: "train loss", points: losses.map((l) => [l.epoch, l.trainLoss]), color: PALETTE[0] },
        { name: "validation loss", points: losses.map((l) => [l.epoch, l.valLoss]), color: PALETTE[1], dashed: true },
      ]),
    [losses],
  );
  return <Chart option={option} label={label} height={height} testId={testId} />;
}

const KEYS = ["train_loss", "val_loss"] as const;

/** Both loss curves of every run given, one colour per run (train solid, validation dashed). */
export function RunsLossChart({ runs, height = 300, testId }: { runs: Pick<RunInfo, "run_id" | "run_name">[]; height?: number; testId?: string }) {
  const key = runs.map((r) => r.run_id).join(",");
  const histories = useAsync((signal) => Promise.all(runs.map((run) => Promise.all(KEYS.map((k) => getMetricHistory(run.run_id, k, signal))))), [key]);
  const option = useMemo(() => {
    if (!histories.data) return null;
    const lines: LineSpec[] = [];
    // One run: two colours. Several: one colour per run, validation dashed.
    const single = runs.length === 1;
    runs.forEach((run, i) => {
      const color = PALETTE[(single ? 0 : i) % PALETTE.length];
      const [train, val] = histories.data![i] ?? [[], []];
      const name = single ? "" : `${run.run_name} (${run.run_id.slice(0, 6)})`;
      lines.push({ name: `${name} train loss`.trim(), points: train.map((p) => [p.step, p.value]), color });
      lines.push({ name: `${name} validation loss`.trim(), points: val.map((p) => [p.step, p.value]), color: single ? PALETTE[1] : color, dashed: true });
    });
    return lossChartOption(lines);
  }, [histories.data]);

  if (histories.status === "error") return <ErrorMessage title="Could not load the loss curves" message={histories.error} onRetry={histories.reload} />;
  if (!option) return <Loading what="loss curves" />;
  const empty = histories.data!.every((pair) => pair.every((h) => h.length === 0));
  if (empty) return <p class="muted">No loss was recorded for {runs.length > 1 ? "these runs" : "this run"}.</p>;
  return (
    <div data-testid={testId}>
      <Chart option={option} label={`Training and validation loss by epoch for ${runs.map((r) => r.run_name).join(", ")}`} height={height} />
    </div>
  );
}
