// The error that tells trainCategory to stop writing: the work it is doing was given to someone
// else (a queue worker that stalled past its job's lock, whose job another worker now runs).
// Unlike any other failure it writes nothing more: no FAILED status on the run (the new owner
// has already ended it), no metrics, no version. Only the local staging folder is removed.
export class WorkLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkLostError";
  }
}
