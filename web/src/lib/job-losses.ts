// The live loss curves of a training job: one point per finished epoch and category, built from
// the progress the job reports. Never changes a list in place: a new epoch gives a new array
// (and a new record), so charts that memoise on the list redraw with every epoch.
import type { CategoryProgress } from "../api-types.js";

export interface EpochLoss {
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
}

export type JobLosses = Readonly<Record<string, readonly EpochLoss[]>>;

/** `losses` with the epoch losses in `progress` recorded; the same object when nothing is new. */
export function recordLoss(losses: JobLosses, progress: CategoryProgress): JobLosses {
  if (progress.train_loss === null && progress.val_loss === null) return losses;
  const list = losses[progress.category] ?? [];
  const last = list[list.length - 1];
  // Batch progress of the next epoch repeats the last finished epoch's losses until that epoch ends.
  if (last && last.trainLoss === progress.train_loss && last.valLoss === progress.val_loss) return losses;
  const point: EpochLoss = { epoch: progress.epoch, trainLoss: progress.train_loss, valLoss: progress.val_loss };
  const next = last && last.epoch === progress.epoch ? [...list.slice(0, -1), point] : [...list, point];
  return { ...losses, [progress.category]: next };
}

/** Every category's progress of a snapshot recorded. */
export function recordLosses(losses: JobLosses, progress: readonly CategoryProgress[]): JobLosses {
  return progress.reduce(recordLoss, losses);
}
