// autocannon as a child process (bench/http.ts and its cold-start round), so load generation
// never shares an event loop with the server it measures.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

export interface LoadResult {
  server: string;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannonPath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("autocannon/package.json"), "..", "autocannon.js");
}

/** The parts of autocannon's JSON summary (`-j`) the bench reads. */
export interface AutocannonSummary {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** POSTs `body` (JSON) to url from `connections` connections for `seconds`; resolves with autocannon's JSON summary. */
export function runAutocannon(url: string, connections: number, seconds: number, body: string): Promise<AutocannonSummary> {
  const args = [autocannonPath(), "-c", String(connections), "-d", String(seconds), "-m", "POST", "-H", "content-type=application/json", "-b", body, "-j", url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`autocannon printed no JSON: ${out.slice(0, 200)} ${err.slice(0, 200)}`));
      }
    });
  });
}

/** autocannon's summary as one row of the bench's tables. */
export function loadResult(server: string, r: AutocannonSummary): LoadResult {
  return {
    server,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
