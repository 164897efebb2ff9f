// Runs one tool as a child process and measures it: wall time, and CPU time (user + system of
// the child and everything it waited for: worker processes and threads included). On a machine
// shared with other work the wall time mostly measures the others; CPU time is the fairer figure.
import { spawn } from "node:child_process";

export interface ProcessResult {
  /** Exit status; null when the command could not start or was killed. */
  status: number | null;
  stdout: string;
  /** The last lines of stderr, for the message when it fails. */
  stderrTail: string[];
  wallSeconds: number;
  /** NaN when it could not be measured. */
  cpuSeconds: number;
  /** Why it did not start (command not found, ...). */
  startError?: string;
}

/** bash's `times` after the command: its second line is the children's user and system time. */
export function parseTimes(text: string): number {
  const lines = text.trim().split("\n");
  const match = /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/.exec(lines[1]?.trim() ?? "");
  if (!match) return Number.NaN;
  return Number(match[1]) * 60 + Number(match[2]) + Number(match[3]) * 60 + Number(match[4]);
}

/**
 * Runs `command args`, its stderr passed on line by line with `label` in front (progress of long
 * runs), its stdout kept. Never throws: a command that cannot start has status null and startError.
 */
export function runMeasured(label: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  const script = 'command -v "$1" >/dev/null 2>&1 || { echo "not found: $1" >&3; exit 127; }; "$@"; status=$?; times >&3; exit $status';
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn("bash", ["-c", script, "bash", command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let timesText = "";
    const tail: string[] = [];
    let partial = "";
    child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (timesText += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        process.stderr.write(`  ${label}: ${line}\n`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    });
    child.on("error", (error) => done({ status: null, stdout: "", stderrTail: tail, wallSeconds: 0, cpuSeconds: Number.NaN, startError: error.message }));
    child.on("close", (status) => {
      if (partial.trim()) tail.push(partial);
      const notFound = /^not found: (.*)$/m.exec(timesText);
      done({
        status: notFound ? null : status,
        stdout: Buffer.concat(stdout).toString(),
        stderrTail: tail,
        wallSeconds: (performance.now() - started) / 1000,
        cpuSeconds: parseTimes(timesText),
        startError: notFound ? `${notFound[1]} is not installed (not on PATH)` : undefined,
      });
    });
  });
}
