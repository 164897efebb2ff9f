// bench:catalogue's command line: the known flags, --help, and a clear refusal of anything else
// (an unknown or mistyped flag used to be ignored, and `--help` ran the whole hour-long bench).
// Config overrides (key.path=value) pass through to the caller.

/** Flags followed by a value. */
const VALUE_FLAGS = ["--stores", "--items", "--days", "--data", "--ets-sample", "--threads", "--sf-sample", "--trace-progress"] as const;
/** Value flags that take a whole number ≥ 1. */
const WHOLE_FLAGS = ["--stores", "--items", "--days", "--ets-sample", "--threads", "--sf-sample"];
/** Flags on their own. */
const SWITCHES = ["--json", "--selection", "--no-ets", "--no-statsforecast", "--no-lightgbm", "--help", "-h"] as const;

export const CATALOGUE_USAGE = `usage: node dist/bench/catalogue.js [options] [key.path=value ...]   (npm run bench:catalogue -- [options])
  --stores N --items M --days D   the demo catalogue's shape (default 10 × 3049 × 1941: 30,490 series, M5's)
  --data PATH.parquet             a catalogue file with the demo's columns instead of the generated one
  --selection                     score the 28 days before the last 28 (a selection window) instead of the last 28
  --threads N                     worker threads for the bottom-up ETS row (default: the machine's cores)
  --ets-sample N                  fit bottom-up ETS on N series only, time extrapolated, no WRMSSE
  --no-ets                        skip bottom-up ETS (the longest row: about 30 min at the full shape on 2 cores)
  --sf-sample N                   statsforecast AutoETS sample size (default 200)
  --trace-progress FILE           write every progress event of salescast's fit as JSON lines (node dist/bench/eta-replay.js FILE replays them)
  --no-statsforecast              skip the statsforecast sample
  --no-lightgbm                   skip mlforecast + LightGBM (about 12 min of CPU at the full shape)
  --json                          print the figures as JSON instead of tables
  -h, --help                      print this and exit
  key.path=value                  config overrides, e.g. catalogue.reconcile=mint_shrink catalogue.aggregate_model=auto`;

/** Why the arguments are refused (a message naming the known flags), or undefined when they are fine. */
export function catalogueArgumentProblem(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((VALUE_FLAGS as readonly string[]).includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) return `${arg} needs a value (see --help)`;
      const n = Number(value);
      if (WHOLE_FLAGS.includes(arg) && !(Number.isInteger(n) && n >= 1)) return `${arg} must be a whole number ≥ 1 (got ${value})`;
      i++;
    } else if (!(SWITCHES as readonly string[]).includes(arg) && !/^[a-z_]+\.[a-z_.]+=/.test(arg)) {
      return `unknown argument ${JSON.stringify(arg)}: known flags are ${[...VALUE_FLAGS, ...SWITCHES].join(", ")}, and config overrides key.path=value (see --help)`;
    }
  }
  return undefined;
}
