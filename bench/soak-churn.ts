// Connection churn: `clients` clients at once, each opening a connection, sending one to three
// valid requests on it, closing it and starting over, for `seconds`. What it looks for is the
// server's side of many short connections: refused or reset connections, latency when
// connections pile up in the accept queue, and descriptors or memory that are not given back.
import http from "node:http";
import { readFileSync } from "node:fs";
import { sendRequest, SocketCounter, type Outcome, type Target } from "./soak-load.js";
import type { SoakRequest } from "./soak-requests.js";

export interface ChurnResult {
  connections: number;
  outcomes: Outcome[];
  seconds: number;
  clientCpuSeconds: number;
}

export async function runChurn(target: Target, cycle: SoakRequest[], clients: number, seconds: number, timeoutMs: number): Promise<ChurnResult> {
  const sockets = new SocketCounter();
  const outcomes: Outcome[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  let next = 0;
  const client = async (id: number) => {
    for (let round = 0; performance.now() < end; round++) {
      // One socket per agent: every round is a new connection, closed by destroy().
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const requestsOnThisConnection = 1 + ((id + round) % 3);
      for (let i = 0; i < requestsOnThisConnection; i++) {
        const outcome = await sendRequest(target, agent, cycle[next++ % cycle.length], performance.now(), timeoutMs, sockets);
        outcomes.push(outcome);
        if (outcome.failure) break;
      }
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
  const cpu = process.cpuUsage(cpuBefore);
  return { connections: sockets.opened, outcomes, seconds: (performance.now() - started) / 1000, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** This process's limit on open files (the soft limit, what `ulimit -n` shows). */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === "unlimited" ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/**
 * The kernel's count of connections dropped because a listening socket's accept queue was full
 * (TcpExt ListenOverflows in /proc/net/netstat, for the whole network namespace). A dropped
 * handshake is retried by the client's kernel after 1 s, then 3 s, ..., which is what a
 * p99 of whole seconds under connection churn usually is.
 */
export function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8")
      .split("\n")
      .filter((l) => l.startsWith("TcpExt:"));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/) ?? [];
    const at = names.indexOf("ListenOverflows");
    return at < 0 ? undefined : Number(values[at]);
  } catch {
    return undefined;
  }
}
