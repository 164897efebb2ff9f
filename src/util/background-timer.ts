// A repeating background task that never keeps the process alive (the timer is unref'd): the
// monitoring's periodic save and its look for new actuals both run on one.

export class BackgroundTimer {
  private timer: NodeJS.Timeout | undefined;

  /** Runs `task` every `intervalMs`, replacing any earlier schedule. */
  start(task: () => unknown, intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void task(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
