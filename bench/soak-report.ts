// The soak's figures: latency per phase, errors per request class, memory and descriptors,
// worked out from the raw outcomes and /proc samples, and printed as tables.
import { formatTextTable } from "../src/util/text-table.js";
import { percentile, tally, type Outcome } from "./soak-load.js";
import type { ProcessSample } from "./soak-server.js";
import type { RequestKind } from "./soak-requests.js";
import type { SwapRecord } from "./soak-swap.js";

export interface PhaseStats {
  phase: string;
  /** Seconds since the load started (due times). */
  fromS: number;
  toS: number;
  requests: number;
  valid: number;
  /** Latency of the valid requests that were answered, ms (from the due time). */
  p50: number;
  p99: number;
  max: number;
  validErrors: number;
  timeouts: number;
}

export function phaseStats(phase: string, outcomes: Outcome[], origin: number, fromS: number, toS: number): PhaseStats {
  const inPhase = outcomes.filter((o) => {
    const t = (o.dueAt - origin) / 1000;
    return t >= fromS && t < toS;
  });
  const answeredValid = inPhase.filter((o) => o.kind === "valid" && o.failure === undefined).map((o) => o.latencyMs);
  const t = tally(inPhase);
  return {
    phase,
    fromS,
    toS,
    requests: t.requests,
    valid: t.valid,
    p50: percentile(answeredValid, 50),
    p99: percentile(answeredValid, 99),
    max: answeredValid.reduce((a, b) => Math.max(a, b), 0),
    validErrors: t.validErrors,
    timeouts: t.timeouts,
  };
}

export interface KindStats {
  kind: RequestKind;
  sent: number;
  expected: string;
  asExpected: number;
  wrongAnswer: number;
  noAnswer: number;
}

export function kindStats(outcomes: Outcome[], expected: Map<RequestKind, string>): KindStats[] {
  return [...expected].map(([kind, expectation]) => {
    const mine = outcomes.filter((o) => o.kind === kind);
    const wrongAnswer = mine.filter((o) => o.problem !== undefined).length;
    const noAnswer = mine.filter((o) => o.failure !== undefined).length;
    return { kind, sent: mine.length, expected: expectation, asExpected: mine.length - wrongAnswer - noAnswer, wrongAnswer, noAnswer };
  });
}

export interface MemoryStats {
  startMiB: number;
  endMiB: number;
  maxMiB: number;
  growthMiB: number;
  boundMiB: number;
  fdsStart: number;
  fdsEnd: number;
  fdsMax: number;
  /** Server CPU seconds per second of the window (1.0 = one core busy). */
  serverCores: number;
}

/** Memory between two idle samples, with everything sampled in between for the maximum. */
export function memoryStats(start: ProcessSample, end: ProcessSample, between: ProcessSample[], boundMiB: number): MemoryStats {
  const window = between.filter((s) => s.t >= start.t && s.t <= end.t);
  return {
    startMiB: start.rssMiB,
    endMiB: end.rssMiB,
    maxMiB: Math.max(start.rssMiB, end.rssMiB, ...window.map((s) => s.rssMiB)),
    growthMiB: end.rssMiB - start.rssMiB,
    boundMiB,
    fdsStart: start.fds,
    fdsEnd: end.fds,
    fdsMax: Math.max(start.fds, end.fds, ...window.map((s) => s.fds)),
    serverCores: (end.cpuSeconds - start.cpuSeconds) / Math.max(1e-9, end.t - start.t),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
const int = (v: number) => Math.round(v).toLocaleString("en-US");

export function phaseTable(phases: PhaseStats[]): string {
  return formatTextTable(
    ["phase", "from s", "to s", "requests", "valid", "p50 ms", "p99 ms", "max ms", "valid errors", "timeouts"],
    phases.map((p) => [
      p.phase,
      p.fromS.toFixed(1),
      p.toS.toFixed(1),
      int(p.requests),
      int(p.valid),
      ms(p.p50),
      ms(p.p99),
      ms(p.max),
      p.validErrors,
      p.timeouts,
    ]),
  );
}

export function kindTable(kinds: KindStats[]): string {
  return formatTextTable(
    ["request", "expected answer", "sent", "as expected", "wrong answer", "no answer"],
    kinds.map((k) => [k.kind, k.expected, int(k.sent), int(k.asExpected), k.wrongAnswer, k.noAnswer]),
    { textColumns: 2 },
  );
}

export function memoryLine(m: MemoryStats): string {
  const sign = m.growthMiB >= 0 ? "+" : "";
  return (
    `server RSS ${m.startMiB.toFixed(1)} MiB at start, ${m.endMiB.toFixed(1)} MiB at end (${sign}${m.growthMiB.toFixed(1)} MiB, bound +${m.boundMiB.toFixed(0)} MiB), ` +
    `max ${m.maxMiB.toFixed(1)} MiB; descriptors ${m.fdsStart} -> ${m.fdsEnd} (max ${m.fdsMax}); server CPU ${m.serverCores.toFixed(2)} cores`
  );
}

export function swapLine(swap: SwapRecord, origin: number): string {
  const at = (t: number | undefined) => (t === undefined ? "never" : `${((t - origin) / 1000).toFixed(1)} s`);
  const versions = `version ${swap.fromVersion ?? "?"} -> ${swap.toVersion ?? "(no new version answered)"}`;
  const error = swap.jobError ? ` (${swap.jobError})` : "";
  return (
    `swap: POST /api/train {"categories": ["${swap.category}"]} at ${at(swap.postedAt)}; job ${swap.jobState ?? "?"}${error} at ${at(swap.finishedAt)}; ` +
    `first answer from the new model at ${at(swap.firstNewAnswerAt)} (${versions})`
  );
}

export function problemLines(outcomes: Outcome[], limit = 10): string[] {
  const t = tally(outcomes);
  const lines = Object.entries(t.problems)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([what, n]) => `  ${n} x ${what}`);
  const failures = Object.entries(t.failuresByCode).map(([code, n]) => `  ${n} x no answer: ${code}`);
  return [...lines, ...failures];
}
