// Check-before-commit for a worker that stalled: a worker paused past its job's lock (SIGSTOP, a
// long GC pause, a machine suspended) loses the job to another worker, which runs it again. When
// the first one wakes it must not register a second version or write to the run the new owner
// has already ended FAILED (once.ts). BullMQ cannot stop a processor that is already running, so
// trainCategory asks before each write (TrainCategoryOptions.checkOwnership): this extends the
// job's lock if the lock still holds this worker's token, atomically (BullMQ's extendLock
// script), and throws WorkLostError otherwise.
//
// Extending, not only reading, narrows the window left: after a successful check the lock is
// good for another queue.stalled_ms, so only a pause longer than that falling exactly between the
// check and the registry's commit (a rename) could still let two versions through. A write
// already under way when the process froze (one epoch's losses, say) completes when it wakes;
// none starts after.
import type { Job } from "bullmq";
import { WorkLostError } from "../training/work-lost.js";

export function ownershipCheck(job: Job, token: string | undefined, lockMs: number): () => Promise<void> {
  return async () => {
    if (token === undefined) return; // a job processed without a lock (not how the worker runs): nothing to lose
    if ((await job.extendLock(token, lockMs)) === 1) return;
    throw new WorkLostError(
      `job ${job.id} is no longer this worker's: its lock lapsed while the worker was stalled (longer than queue.stalled_ms, ${lockMs} ms) ` +
        "and the job went to another worker, so this worker writes nothing more for it (no version, no run update). " +
        "If workers stall that long in normal work (a busy machine, long pauses), raise queue.stalled_ms",
    );
  };
}
