/**
 * Runs async tasks one after another per key (a tracking run id, say) and tasks of different
 * keys concurrently, so read-modify-write sequences on one run never interleave. A failed task
 * does not block the ones queued after it.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, settled);
    // Forget the key once its last task is done, so the map does not grow with every run ever seen.
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }
}
