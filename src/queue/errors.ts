// Errors a user of the queue can cause, each saying what was wrong and how to fix it.

/** queue.url names a Redis salescast cannot use (unreachable, or set up so it could drop jobs). */
export class QueueServerError extends Error {
  override readonly name = "QueueServerError";
}

/**
 * A job this worker must not run (queued by another salescast version, a configuration that
 * does not match its hash, a sales file that differs on this machine). The worker fails the job
 * without retrying it: a retry on the same worker would be refused again.
 */
export class JobRefusedError extends Error {
  override readonly name = "JobRefusedError";
}
