import type { Command } from "commander";
import type { CommandContext } from "./context.js";

/** One `salescast` command: its name, one-line summary, extra options and what it does. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** The command's own positional arguments, in order (e.g. "[action]", "[id]"); none when omitted. */
  args?: Array<{ name: string; description: string }>;
  options?: (command: Command) => void;
  /** Returns the exit code (0 when omitted). `args` are the positional words that are not overrides. */
  run(context: CommandContext, options: Record<string, unknown>, args: string[]): Promise<number | void>;
}

/** Error for a command used the wrong way (a missing option, a bad value). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
