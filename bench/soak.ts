// `npm run bench:soak [-- options]`: POST /api/predict at a fixed rate for a minute while a
// training job replaces a model, then connection churn, against a `salescast serve` child
// process with the demo data and three small trained models (1 epoch each; one warm-up job
// through the API before the load, so one-time costs are paid before the first memory sample).
//
//   --rate N            requests per second (default: 70% of the closed-loop capacity measured first)
//   --duration S        seconds of fixed-rate load (default 60)
//   --connections N     sockets for the fixed-rate load and the capacity run (default 64)
//   --job-at S          when the training job is posted, seconds into the load (default duration / 3)
//   --calibrate S       seconds of the closed-loop capacity run (default 5)
//   --churn-duration S  seconds of connection churn (default 20; 0 skips it)
//   --churn-clients N   connections open at once during churn (default 1000)
//   --timeout S         a request unanswered this long after it was due is a timeout (default 10)
//   --json              machine-readable output
//
// Exits 1 when a valid request was not answered 200, the swap did not happen, the server's
// memory grew beyond the noise bound, or it kept descriptors after the churn.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { listenOverflows, openFileLimit, runChurn } from "./soak-churn.js";
import { percentile, runClosedLoop, runOpenLoop, tally, targetOf } from "./soak-load.js";
import { kindStats, kindTable, memoryLine, memoryStats, phaseStats, phaseTable, problemLines, swapLine } from "./soak-report.js";
import { requestCycle, validCycle, type RequestKind } from "./soak-requests.js";
import { heapUsedMiB, prepareModels, ProcessSampler, startServerProcess, type ProcessSample, type ServerProcess } from "./soak-server.js";
import { servedVersion, swapWatcher, trainAndFollow, warmUpTraining, type SwapRecord } from "./soak-swap.js";

interface Options {
  rate?: number;
  duration: number;
  connections: number;
  jobAt?: number;
  calibrate: number;
  churnDuration: number;
  churnClients: number;
  timeout: number;
  json: boolean;
}

const USAGE = "Options: --rate N --duration S --connections N --job-at S --calibrate S --churn-duration S --churn-clients N --timeout S --json";
const SWAP_CATEGORY = "Clothing";
const WARM_UP_CATEGORY = "Beauty";
const SETUP_EPOCHS = 1;
const JOB_EPOCHS = 2;

function parseOptions(argv: string[]): Options {
  const o: Options = { duration: 60, connections: 64, calibrate: 5, churnDuration: 20, churnClients: 1000, timeout: 10, json: false };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min)
      throw new Error(`${flag} needs a number of at least ${min}, got ${value ?? "nothing"}. ${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--rate") o.rate = number(flag, argv[++i], 1);
    else if (flag === "--duration") o.duration = number(flag, argv[++i], 1);
    else if (flag === "--connections") o.connections = Math.round(number(flag, argv[++i], 1));
    else if (flag === "--job-at") o.jobAt = number(flag, argv[++i], 0);
    else if (flag === "--calibrate") o.calibrate = number(flag, argv[++i], 1);
    else if (flag === "--churn-duration") o.churnDuration = number(flag, argv[++i], 0);
    else if (flag === "--churn-clients") o.churnClients = Math.round(number(flag, argv[++i], 1));
    else if (flag === "--timeout") o.timeout = number(flag, argv[++i], 0.1);
    else if (flag === "--json") o.json = true;
    else throw new Error(`Unknown option ${flag}. ${USAGE}`);
  }
  if (o.jobAt !== undefined && o.jobAt >= o.duration) throw new Error(`--job-at (${o.jobAt} s) must be inside --duration (${o.duration} s).`);
  return o;
}

/**
 * The noise bound on RSS growth between two idle samples. Under steady load with no training,
 * this server's RSS moves by a few MiB between samples (V8 growing and shrinking its young
 * generation, glibc keeping freed pages); a training job runs on worker threads whose isolates
 * are torn down afterwards but whose freed memory glibc does not always return at once. A leak
 * of a single retained buffer per request would add 60 s x rate x >= 100 B, tens of MiB at
 * thousands of requests a second, far above this bound.
 */
function memoryBoundMiB(startMiB: number): number {
  return Math.max(32, 0.15 * startMiB);
}

/** Waits until the server's descriptors are back to `baseline` (closing sockets take a moment), at most `seconds`. */
async function settle(sampler: ProcessSampler, baseline: number, seconds: number): Promise<ProcessSample> {
  const until = performance.now() + seconds * 1000;
  let sample = sampler.sample();
  while (sample.fds > baseline && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    sample = sampler.sample();
  }
  return sample;
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line = "") => {
    if (!o.json) console.log(line);
  };
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "?",
    loadBefore: loadavg().map((v) => Number(v.toFixed(2))),
    openFileLimit: openFileLimit(),
    somaxconn: Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8").trim()),
  };
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), load average ${machine.loadBefore.join(" ")}; client open-file limit ${machine.openFileLimit ?? "unlimited"}, somaxconn ${machine.somaxconn}`,
  );
  const fdNeed = o.churnClients + 100;
  if (machine.openFileLimit !== undefined && machine.openFileLimit < fdNeed && o.churnDuration > 0) {
    log(
      `warning: ${o.churnClients} churn connections need about ${fdNeed} descriptors but ulimit -n is ${machine.openFileLimit}; raise it (ulimit -n ${fdNeed * 2}) or expect EMFILE failures`,
    );
  }

  const root = mkdtempSync(join(tmpdir(), "salescast-soak-"));
  let server: ServerProcess | undefined;
  let sampler: ProcessSampler | undefined;
  try {
    const setupStarted = performance.now();
    await prepareModels(root, SETUP_EPOCHS);
    server = await startServerProcess(root, JOB_EPOCHS);
    sampler = new ProcessSampler(server.pid);
    const fresh = sampler.sample();
    await warmUpTraining(server.base, WARM_UP_CATEGORY);
    log(
      `setup: demo data, 3 models trained for ${SETUP_EPOCHS} epoch, server pid ${server.pid} on ${server.base} (RSS ${fresh.rssMiB.toFixed(1)} MiB), ` +
        `warm-up job for ${WARM_UP_CATEGORY} (${JOB_EPOCHS} epochs) done; ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );
    const target = targetOf(server.base);
    const cycle = requestCycle();

    // Capacity: the same mix, closed loop; it also warms the server (JIT, model caches).
    const capacity = await runClosedLoop(target, cycle, o.connections, o.calibrate, o.timeout * 1000);
    const capacityValidP99 = percentile(
      capacity.outcomes.filter((x) => x.kind === "valid" && !x.failure).map((x) => x.latencyMs),
      99,
    );
    const rate = Math.round(o.rate ?? 0.7 * capacity.perSecond);
    log(
      `capacity: ${capacity.perSecond.toFixed(0)} req/s closed loop with ${o.connections} connections for ${o.calibrate} s (valid p99 ${capacityValidP99.toFixed(1)} ms); ` +
        `fixed rate ${rate} req/s${o.rate === undefined ? " (70%)" : " (--rate)"}`,
    );

    const swap: SwapRecord = { category: SWAP_CATEGORY, fromVersion: await servedVersion(server.base, SWAP_CATEGORY, cycle[1].body) };
    const jobAt = o.jobAt ?? o.duration / 3;
    await new Promise((r) => setTimeout(r, 2000));
    const soakStart = sampler.sample();
    const heapStart = await heapUsedMiB(server.base);

    let following: Promise<void> | undefined;
    const jobTimer = setTimeout(() => {
      following = trainAndFollow(server!.base, swap, performance.now() + (o.duration - jobAt + 120) * 1000).catch((error: Error) => {
        swap.jobState = "unreachable";
        swap.jobError = error.message;
      });
    }, jobAt * 1000);
    const load = await runOpenLoop({
      target,
      rate,
      seconds: o.duration,
      cycle,
      connections: o.connections,
      timeoutMs: o.timeout * 1000,
      onOutcome: swapWatcher(swap),
    });
    clearTimeout(jobTimer);
    await following;
    await new Promise((r) => setTimeout(r, 2000));
    const soakEnd = sampler.sample();
    const heapAfterSoak = await heapUsedMiB(server.base);

    const origin = load.startedAt;
    const jobS = swap.postedAt === undefined ? o.duration : (swap.postedAt - origin) / 1000;
    const swapS = swap.firstNewAnswerAt === undefined ? o.duration : Math.min(o.duration, (swap.firstNewAnswerAt - origin) / 1000);
    const phases = [
      phaseStats("before job", load.outcomes, origin, 0, jobS),
      phaseStats("training", load.outcomes, origin, jobS, swapS),
      phaseStats("after swap", load.outcomes, origin, swapS, o.duration),
      phaseStats("all", load.outcomes, origin, 0, o.duration),
    ];
    const expected = new Map<RequestKind, string>(cycle.map((r) => [r.kind, r.errorCode ? `${r.status} ${r.errorCode}` : "200"]));
    const kinds = kindStats(load.outcomes, expected);
    const soakTally = tally(load.outcomes);
    const soakMemory = memoryStats(soakStart, soakEnd, sampler.samples, memoryBoundMiB(soakStart.rssMiB));
    const achieved = load.outcomes.length / o.duration;

    log();
    log(
      `fixed rate: ${rate} req/s for ${o.duration} s (${achieved.toFixed(0)} req/s sent), ${o.connections} connections, 80% valid / 20% invalid, categories in turn; latency of valid requests from their due time`,
    );
    log(phaseTable(phases));
    log(kindTable(kinds));
    log(swapLine(swap, origin));
    log(memoryLine(soakMemory));
    log(
      `  (the bound would catch a leak of ${leakSensitivity(soakMemory.boundMiB, load.outcomes.length)} per request); V8 heap in use ${mib(heapStart)} -> ${mib(heapAfterSoak)}`,
    );
    log(`client: scheduler late by ${load.maxSendLagMs.toFixed(1)} ms at worst, client CPU ${(load.clientCpuSeconds / o.duration).toFixed(2)} cores`);
    for (const line of problemLines(load.outcomes)) log(line);

    let churn: (ReturnType<typeof churnReport> & { listenOverflows: number | null; heapUsedMiB: number | null }) | undefined;
    if (o.churnDuration > 0) {
      const before = await settle(sampler, soakStart.fds, 5);
      const overflowsBefore = listenOverflows();
      const result = await runChurn(target, validCycle(), o.churnClients, o.churnDuration, o.timeout * 1000);
      const overflowsAfter = listenOverflows();
      const overflows = overflowsBefore === undefined || overflowsAfter === undefined ? undefined : overflowsAfter - overflowsBefore;
      await new Promise((r) => setTimeout(r, 2000));
      const after = await settle(sampler, before.fds, 10);
      const heapAfterChurn = await heapUsedMiB(server.base);
      churn = {
        ...churnReport(result, memoryStats(before, after, sampler.samples, memoryBoundMiB(before.rssMiB))),
        listenOverflows: overflows ?? null,
        heapUsedMiB: heapAfterChurn ?? null,
      };
      log();
      log(`churn: ${o.churnClients} connections at once for ${o.churnDuration} s, each sending 1 to 3 valid requests and closing`);
      log(
        `  ${churn.connections.toLocaleString("en-US")} connections opened (${churn.connectionsPerSecond.toFixed(0)}/s), ${churn.requests.toLocaleString("en-US")} requests, ` +
          `${churn.validErrors} errors, ${churn.timeouts} timeouts; p50 ${churn.p50.toFixed(1)} ms, p99 ${churn.p99.toFixed(1)} ms, max ${churn.max.toFixed(1)} ms (from request start, connect included)`,
      );
      log(`  ${memoryLine(churn.memory)}`);
      log(
        `  (the bound would catch a leak of ${leakSensitivity(churn.memory.boundMiB, churn.connections)} per connection); V8 heap in use ${mib(heapAfterSoak)} -> ${mib(heapAfterChurn)}`,
      );
      log(
        `  client CPU ${(result.clientCpuSeconds / result.seconds).toFixed(2)} cores; handshakes dropped on a full accept queue (ListenOverflows, retried by the client after 1 s, 3 s, ...): ${overflows ?? "unknown"}`,
      );
      for (const line of problemLines(result.outcomes)) log(line);
    }

    const failures: string[] = [];
    if (soakTally.validErrors > 0) failures.push(`${soakTally.validErrors} valid requests were not answered 200 during the fixed-rate load`);
    if (swap.jobState !== "succeeded")
      failures.push(`the training job did not succeed (${swap.jobState ?? "not started"}${swap.jobError ? `: ${swap.jobError}` : ""})`);
    else if (swap.firstNewAnswerAt === undefined) {
      const endedS = swap.finishedAt === undefined ? NaN : (swap.finishedAt - origin) / 1000;
      failures.push(
        endedS >= o.duration
          ? `the training job ended at ${endedS.toFixed(1)} s, after the load (${o.duration} s), so no answer came from the new model; raise --duration or lower --job-at`
          : `the training job succeeded at ${endedS.toFixed(1)} s but no later answer came from a new model version`,
      );
    }
    if (soakMemory.growthMiB > soakMemory.boundMiB)
      failures.push(`server RSS grew by ${soakMemory.growthMiB.toFixed(1)} MiB during the fixed-rate load (bound ${soakMemory.boundMiB.toFixed(0)} MiB)`);
    if (churn && churn.validErrors > 0) failures.push(`${churn.validErrors} requests failed during connection churn`);
    if (churn && churn.memory.growthMiB > churn.memory.boundMiB)
      failures.push(`server RSS grew by ${churn.memory.growthMiB.toFixed(1)} MiB during churn (bound ${churn.memory.boundMiB.toFixed(0)} MiB)`);
    if (churn && churn.memory.fdsEnd > churn.memory.fdsStart)
      failures.push(`the server holds ${churn.memory.fdsEnd - churn.memory.fdsStart} more descriptors after the churn`);
    const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
    log();
    log(`load average after: ${loadAfter.join(" ")}`);
    log(failures.length === 0 ? "PASS" : `FAIL: ${failures.join("; ")}`);
    const serverStderr = server.stderrTail();
    if (serverStderr) log(`server stderr (last lines):\n${serverStderr.split("\n").slice(-5).join("\n")}`);

    if (o.json) {
      console.log(
        JSON.stringify(
          {
            options: o,
            machine: { ...machine, loadAfter },
            capacity: { perSecond: capacity.perSecond, validP99: capacityValidP99 },
            soak: {
              rate,
              sentPerSecond: achieved,
              phases,
              kinds,
              tally: soakTally,
              swap: swapJson(swap, origin),
              memory: { ...soakMemory, heapUsedStartMiB: heapStart ?? null, heapUsedEndMiB: heapAfterSoak ?? null },
              maxSendLagMs: load.maxSendLagMs,
              clientCpuSeconds: load.clientCpuSeconds,
            },
            churn: churn ?? null,
            samples: sampler.samples,
            failures,
          },
          null,
          2,
        ),
      );
    }
    return failures.length === 0 ? 0 : 1;
  } finally {
    sampler?.stop();
    await server?.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

const mib = (v: number | undefined) => (v === undefined ? "unknown" : `${v.toFixed(1)} MiB`);

/** The smallest steady leak per event (request, connection) that would push RSS over the bound. */
function leakSensitivity(boundMiB: number, events: number): string {
  const bytes = (boundMiB * 1024 * 1024) / Math.max(1, events);
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes.toFixed(0)} B`;
}

function churnReport(result: Awaited<ReturnType<typeof runChurn>>, memory: ReturnType<typeof memoryStats>) {
  const t = tally(result.outcomes);
  const latencies = result.outcomes.filter((x) => !x.failure).map((x) => x.latencyMs);
  return {
    connections: result.connections,
    connectionsPerSecond: result.connections / result.seconds,
    requests: t.requests,
    validErrors: t.validErrors,
    timeouts: t.timeouts,
    failuresByCode: t.failuresByCode,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    memory,
  };
}

function swapJson(swap: SwapRecord, origin: number) {
  const s = (t: number | undefined) => (t === undefined ? null : (t - origin) / 1000);
  return { ...swap, postedAt: s(swap.postedAt), finishedAt: s(swap.finishedAt), firstNewAnswerAt: s(swap.firstNewAnswerAt) };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench:soak failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
