// Load generation for the soak, on node:http with keep-alive agents.
//
// runOpenLoop sends at a fixed rate whatever the answers do (an open model, as wrk2 does): the
// i-th request is due at start + i / rate, and its latency is counted from that due time, so a
// slow server (or a queue in front of it) shows up as latency instead of silently lowering the
// rate as a closed loop would. runClosedLoop is the opposite (each connection sends its next
// request when the previous one is answered) and is used to find the capacity.
import http from "node:http";
import { answerProblem, type RequestKind, type SoakRequest } from "./soak-requests.js";

export interface Outcome {
  kind: RequestKind;
  category: string;
  /** performance.now() when the request was due (open loop) or started (closed loop). */
  dueAt: number;
  /** Milliseconds from dueAt to the end of the answer (or to the failure). */
  latencyMs: number;
  status?: number;
  /** The answer was not the documented one (status or error code), in words. */
  problem?: string;
  /** No answer: "timeout" or the socket error's code (ECONNRESET, ECONNREFUSED, ...). */
  failure?: string;
  /** The X-Model-Version header of a 200. */
  version?: string;
}

export interface Target {
  host: string;
  port: number;
}

export function targetOf(base: string): Target {
  const url = new URL(base);
  return { host: url.hostname, port: Number(url.port) };
}

/** Counts the distinct sockets requests were sent on (connections opened). */
export class SocketCounter {
  private readonly seen = new WeakSet<object>();
  opened = 0;
  note(socket: object): void {
    if (this.seen.has(socket)) return;
    this.seen.add(socket);
    this.opened++;
  }
}

/** Sends one request; never rejects: failures become an Outcome with `failure`. */
export function sendRequest(target: Target, agent: http.Agent, sent: SoakRequest, dueAt: number, timeoutMs: number, sockets?: SocketCounter): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (fields: Partial<Outcome>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ kind: sent.kind, category: sent.category, dueAt, latencyMs: performance.now() - dueAt, ...fields });
    };
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        method: "POST",
        path: sent.path,
        agent,
        headers: { "content-type": "application/json", "content-length": sent.body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error: NodeJS.ErrnoException) => finish({ status: res.statusCode, failure: error.code ?? error.message }));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const version = res.headers["x-model-version"];
          const problem = answerProblem(sent, status, Buffer.concat(chunks).toString("utf8"));
          finish({ status, problem, version: typeof version === "string" ? version : undefined });
        });
      },
    );
    // The budget runs from the due time: time spent queued behind busy sockets counts.
    const timer = setTimeout(
      () => {
        finish({ failure: "timeout" });
        req.destroy();
      },
      Math.max(0, timeoutMs - (performance.now() - dueAt)),
    );
    req.on("error", (error: NodeJS.ErrnoException) => finish({ failure: error.code ?? error.message }));
    if (sockets) req.on("socket", (socket) => sockets.note(socket));
    req.end(sent.body);
  });
}

export interface OpenLoopOptions {
  target: Target;
  rate: number;
  seconds: number;
  cycle: SoakRequest[];
  /** Sockets the agent may open at once; requests beyond wait in the agent's queue (and that wait counts). */
  connections: number;
  timeoutMs: number;
  /** Called for every outcome as it arrives (e.g. to notice a model swap while running). */
  onOutcome?(outcome: Outcome): void;
}

export interface OpenLoopResult {
  outcomes: Outcome[];
  startedAt: number;
  /** How late the scheduler got round to sending a due request, at worst (client-side stalls). */
  maxSendLagMs: number;
  /** CPU time this (the client's) process used, in seconds. */
  clientCpuSeconds: number;
}

export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const total = Math.round(o.rate * o.seconds);
  const interval = 1000 / o.rate;
  const outcomes: Outcome[] = [];
  let inFlight = 0;
  let allAnswered = () => {};
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let next = 0;
  let maxSendLagMs = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - startedAt) / interval) + 1);
      for (; next < due; next++) {
        const dueAt = startedAt + next * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
        const sent = o.cycle[next % o.cycle.length];
        inFlight++;
        void sendRequest(o.target, agent, sent, dueAt, o.timeoutMs).then((outcome) => {
          outcomes.push(outcome);
          o.onOutcome?.(outcome);
          if (--inFlight === 0 && next === total) allAnswered();
        });
      }
      if (next < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  // sendRequest never rejects and always settles (answer, error or timeout).
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { outcomes, startedAt, maxSendLagMs, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Requests answered per second with `connections` connections each sending as soon as answered. */
export async function runClosedLoop(
  target: Target,
  cycle: SoakRequest[],
  connections: number,
  seconds: number,
  timeoutMs: number,
): Promise<{ perSecond: number; outcomes: Outcome[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const outcomes: Outcome[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let next = 0;
  const connection = async () => {
    while (performance.now() < end) {
      outcomes.push(await sendRequest(target, agent, cycle[next++ % cycle.length], performance.now(), timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  agent.destroy();
  return { perSecond: outcomes.length / ((performance.now() - started) / 1000), outcomes };
}

/** Nearest-rank percentile of unsorted values (NaN when there are none). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Outcomes that break the contract, by class: valid requests must all be answered 200. */
export function tally(outcomes: Outcome[]) {
  const valid = outcomes.filter((o) => o.kind === "valid");
  const invalid = outcomes.filter((o) => o.kind !== "valid");
  const count = (list: Outcome[], test: (o: Outcome) => boolean) => list.filter(test).length;
  const failuresByCode: Record<string, number> = {};
  for (const o of outcomes) if (o.failure) failuresByCode[o.failure] = (failuresByCode[o.failure] ?? 0) + 1;
  const problems: Record<string, number> = {};
  for (const o of outcomes) if (o.problem) problems[`${o.kind}: ${o.problem}`] = (problems[`${o.kind}: ${o.problem}`] ?? 0) + 1;
  return {
    requests: outcomes.length,
    valid: valid.length,
    invalid: invalid.length,
    validErrors: count(valid, (o) => o.problem !== undefined || o.failure !== undefined),
    invalidWrongAnswer: count(invalid, (o) => o.problem !== undefined),
    invalidNoAnswer: count(invalid, (o) => o.failure !== undefined && o.failure !== "timeout"),
    timeouts: count(outcomes, (o) => o.failure === "timeout"),
    failuresByCode,
    problems,
  };
}
