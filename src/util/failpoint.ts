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

/** Every failpoint placed in the code, so tests (and readers) know the names. */
export const FAILPOINTS = [
  "train:batch", // after each training batch (src/training/train-category.ts, onBatch)
  "checkpoint:after-weights", // model.safetensors renamed into place, model.json not yet (src/engine/checkpoint.ts)
  "registry:after-rename", // version folder moved into place, index not yet written (src/registry/local.ts)
  "registry:after-index", // index written, lock still held (src/registry/local.ts)
  "tracking:end-run", // run about to be marked FINISHED/FAILED/KILLED (src/tracking/local-store.ts)
] as const;

export type FailpointName = (typeof FAILPOINTS)[number];

const wanted = parseFailpoint(process.env.SALESCAST_FAILPOINT);
let hits = 0;

export function failpoint(name: FailpointName): void {
  if (wanted === undefined || name !== wanted.name) return;
  hits += 1;
  if (hits === wanted.hit) process.kill(process.pid, "SIGKILL");
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
