// The --out option shared by demo-data, export and backtest: the target is checked before any
// work (src/util/output-file.ts says what is refused and why), and "-" sends the file to
// standard output, where the command's own summary then cannot go: it goes to stderr instead,
// and --json (which also wants stdout) is refused with it.
import { checkOutputTarget, STDOUT_TARGET } from "../util/output-file.js";
import type { Output } from "./output.js";
import { UsageError } from "./spec.js";

export interface OutputTarget {
  path: string;
  /** How messages name where the path came from: "--out" or the configuration key. */
  option: string;
}

/** The checked --out target, the fallback when --out is absent, or undefined without either. */
export async function outputOption(value: unknown, options: { fallback: OutputTarget; binary?: boolean }): Promise<OutputTarget>;
export async function outputOption(value: unknown, options?: { binary?: boolean }): Promise<OutputTarget | undefined>;
export async function outputOption(value: unknown, options: { fallback?: OutputTarget; binary?: boolean } = {}): Promise<OutputTarget | undefined> {
  const target = value === undefined ? options.fallback : { path: String(value), option: "--out" };
  if (target) await checkOutputTarget(target.path, { option: target.option, binary: options.binary });
  return target;
}

export function refuseJsonOnStdout(target: OutputTarget | undefined, out: Output): void {
  if (target?.path === STDOUT_TARGET && out.json) {
    throw new UsageError(`--out ${STDOUT_TARGET} and --json both write to standard output: drop one, or give --out a file name.`);
  }
}

/** Prints the command's result on stdout, or as a log line on stderr when the file took stdout. */
export function resultBesideOutput(target: OutputTarget | undefined, out: Output, value: unknown, text: () => string): void {
  if (target?.path === STDOUT_TARGET) out.log(text());
  else out.result(value, text);
}
