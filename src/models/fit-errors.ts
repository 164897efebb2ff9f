/** A fit stopped by its AbortSignal (FitContext.signal): nothing it made may be saved. */
export class TrainingAbortedError extends Error {
  constructor() {
    super("training was interrupted before it finished; nothing was registered");
    this.name = "TrainingAbortedError";
  }
}
