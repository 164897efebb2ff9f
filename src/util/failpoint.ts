// Failpoints: named places where a crash test can kill this process on purpose, so that
// "SIGKILL between writing the weights and writing model.json" is a reproducible test instead
// of a lucky timing. tests/reliability/ sets the environment variable and spawns the CLI.
//
//   SALESCAST_FAILPOINT=checkpoint:after-weights      SIGKILL at the first hit of that name
//   SALESCAST_FAILPOINT=train:batch@7                 SIGKILL at the 7th hit
//
// SIGKILL (not an exception, not process.exit) because a crash runs no finally blocks, no
// exit handlers and flushes nothing: what `kill -9` or the OOM killer does. Worker
// threads share the process, so a failpoint in a worker kills the whole process too.
// Without the variable a failpoint is one comparison with a constant.
//
// One failpoint is not a kill: `disk:full@N` makes the N-th file write of the process (atomic
// writes, copies, appends; see diskFailpoint) and every later one fail with ENOSPC, as a disk
// that has just filled up would, so the full-disk tests run without root or a tiny file system.
// Worker threads count their own writes.

/** Every failpoint placed in the code, so tests (and readers) know the names. */
export const FAILPOINTS = [
  "train:batch", // after each training batch (src/training/train-category.ts, onBatch)
  "checkpoint:after-weights", // model.safetensors renamed into place, model.json not yet (src/engine/checkpoint.ts)
  "registry:after-rename", // version folder moved into place, index not yet written (src/registry/local/local.ts)
  "registry:after-index", // index written, lock still held (src/registry/local/local.ts)
  "tracking:end-run", // run about to be marked FINISHED/FAILED/KILLED (src/tracking/local/local-store.ts)
  "disk:full", // not a kill: from the N-th file write on, every write fails with ENOSPC (diskFailpoint)
] as const;

export type FailpointName = (typeof FAILPOINTS)[number];

const wanted = parseFailpoint(process.env.SALESCAST_FAILPOINT);
let hits = 0;

export function failpoint(name: Exclude<FailpointName, "disk:full">): void {
  if (wanted === undefined || name !== wanted.name) return;
  hits += 1;
  if (hits === wanted.hit) process.kill(process.pid, "SIGKILL");
}

/**
 * Called before each file write (src/util/atomic-file.ts and the append-only logs). Under
 * SALESCAST_FAILPOINT=disk:full@N, throws from the N-th call on the error a full disk gives:
 * ENOSPC from `write`, with no file name in it (what Node reports for a real one).
 */
export function diskFailpoint(): void {
  if (wanted === undefined || wanted.name !== "disk:full") return;
  hits += 1;
  if (hits >= wanted.hit) {
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { errno: -28, code: "ENOSPC", syscall: "write" });
  }
}

function parseFailpoint(value: string | undefined): { name: string; hit: number } | undefined {
  if (value === undefined || value === "") return undefined;
  const match = /^([a-z-]+:[a-z-]+)(?:@(\d+))?$/.exec(value);
  if (!match || !(FAILPOINTS as readonly string[]).includes(match[1]) || (match[2] !== undefined && Number(match[2]) < 1)) {
    // A misspelt failpoint would make a crash test pass without crashing anything.
    throw new Error(`SALESCAST_FAILPOINT=${JSON.stringify(value)} is not a failpoint; use one of ${FAILPOINTS.join(", ")}, optionally with @N (N >= 1)`);
  }
  return { name: match[1], hit: match[2] === undefined ? 1 : Number(match[2]) };
}
