// The built `salescast` command run as a user runs it: a child process in `cwd` with only PATH from
// this environment (plus what a test adds), its exit code and both streams.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = join(fileURLToPath(new URL("../..", import.meta.url)), "bin", "salescast.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number; maxBuffer?: number } = {}): Promise<CliRun> {
  const { env = {}, timeout = 120_000, maxBuffer } = options;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { PATH: process.env.PATH, ...env }, timeout, ...(maxBuffer ? { maxBuffer } : {}) },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
