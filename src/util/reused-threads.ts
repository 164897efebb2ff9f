// worker_threads threads kept for job after job: starting a thread and loading its modules costs
// far more than a short job (about 0.75 s against a one-series backtest's 0.1 s, docs/scale.md),
// so a thread that finished a job waits, idle, for the next one. A thread is started only when a
// job finds none idle, so there are never more threads than jobs ever ran at once (a queue
// worker's concurrency). A thread that died (crashed, exited, ran out of memory) is dropped, and
// the next job starts a fresh one. Used by `salescast worker` (src/queue/job-thread.ts).
import { Worker } from "node:worker_threads";

export class ReusedThreads {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private closed = false;

  constructor(private readonly url: URL) {}

  /**
   * Runs `exchange` on an idle thread, or on a new one when none is idle; its value. `alive:
   * false` says the thread died doing it: it is not used again. Refused once closed.
   */
  async use<Value>(exchange: (thread: Worker) => Promise<{ value: Value; alive: boolean }>): Promise<Value> {
    if (this.closed) throw new Error("no job can start: the worker's job threads are closed (the worker is stopping)");
    const thread = this.idle.pop() ?? this.start();
    // An idle thread must not keep the process alive; one doing a job must.
    thread.ref();
    let alive = false;
    try {
      const outcome = await exchange(thread);
      alive = outcome.alive;
      return outcome.value;
    } finally {
      if (alive && !this.closed && this.all.has(thread)) {
        thread.unref();
        this.idle.push(thread);
      } else this.drop(thread);
    }
  }

  /** How many threads are alive (idle or doing a job). */
  get size(): number {
    return this.all.size;
  }

  /** Ends every thread (after the jobs under way finished, for a graceful stop); no job starts afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.all];
    this.idle.length = 0;
    this.all.clear();
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  private start(): Worker {
    const thread = new Worker(this.url);
    this.all.add(thread);
    // A thread that dies while idle (a late error of its last job) is dropped, so that no job is
    // posted to a thread that will never answer. An 'error' without a listener would throw in
    // the main thread and end the whole worker; a job under way hears it through its exchange.
    thread.on("error", () => undefined);
    thread.on("exit", () => this.drop(thread));
    return thread;
  }

  private drop(thread: Worker): void {
    if (!this.all.delete(thread)) return;
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
    void thread.terminate();
  }
}
