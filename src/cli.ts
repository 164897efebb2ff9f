// The `salescast` command line: parse, load the configuration, call one step, print the result.
// Each command lives in src/cli/<name>.ts; this file only declares them.
//
// Start-up stays cheap (`salescast --help` and `--version` answer in a fraction of a second):
// this file and the command files import only commander and small helpers at the top; each
// command imports what it needs (the configuration schema, DuckDB, the engine, the server)
// inside its run(). tests/cli/lazy-imports.test.ts keeps it so.
import { Command, CommanderError, Option } from "commander";
import { DEFAULT_CONFIG_PATH } from "./config/paths.js";
import type { CommonOptions } from "./cli/context.js";
import { UsageError } from "./cli/spec.js";
import { salescastVersion } from "./version.js";
import { commands } from "./cli/commands.js";

export async function main(argv: string[]): Promise<number> {
  const program = new Command("salescast")
    .description("Sales forecasting per product category with a CNN+LSTM: data, training, serving, tracking.")
    .version(await versionText(argv), "-v, --version")
    .showHelpAfterError("(run salescast --help for the list of commands)")
    // Program options only before the command name, so `promote --version 3` is the command's own.
    .enablePositionalOptions()
    .exitOverride();

  let exitCode = 0;
  for (const spec of commands) {
    const command = program
      .command(spec.name)
      .description(spec.summary)
      .addOption(new Option("--config <path>", "configuration file").default(DEFAULT_CONFIG_PATH))
      .option("--json", "print one machine-readable JSON object on stdout (logs go to stderr)");
    for (const arg of spec.args ?? []) command.argument(arg.name, arg.description);
    command.argument("[overrides...]", "configuration overrides as key.path=value (e.g. data.window_size=28)");
    spec.options?.(command);
    command.action(async (...params: unknown[]) => {
      const invoked = params[params.length - 1] as Command;
      const options = invoked.opts<CommonOptions & Record<string, unknown>>();
      try {
        // Words with "=" are configuration overrides; the others are the command's own arguments.
        const words = invoked.args;
        const overrides = words.filter((word) => word.includes("="));
        const args = words.filter((word) => !word.includes("="));
        if (args.length > (spec.args?.length ?? 0)) {
          const extra = args[spec.args?.length ?? 0];
          throw new UsageError(`unexpected argument "${extra}": overrides are written key.path=value.`);
        }
        const { createContext } = await import("./cli/context.js");
        const context = await createContext(options, overrides);
        exitCode = (await spec.run(context, options, args)) ?? 0;
      } catch (error) {
        exitCode = reportError(error, Boolean(options.json));
      }
    });
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes with 2 (commander printed why).
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}

/**
 * The --version text: the package version and the engine backend that engine.backend chooses
 * (config/config.yaml in the working folder, with the environment's layer; the environment alone
 * where that file does not load). Naming the backend loads the configuration and the native
 * addon (a few milliseconds), so it is only done when the version is asked for.
 */
async function versionText(argv: string[]): Promise<string> {
  const asked = argv[0] === "-v" || argv[0] === "--version";
  if (!asked) return `salescast ${salescastVersion()}`;
  const { backendDescription, useBackend } = await import("./engine/backends/index.js");
  const { loadConfig } = await import("./config/load.js");
  try {
    const { config, warnings } = await loadConfig();
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    useBackend(config.engine.backend);
  } catch {
    // No readable configuration here (another folder, a broken file): the environment decides,
    // as backendDescription() reads it; the commands themselves report what is wrong with the file.
  }
  return `salescast ${salescastVersion()}\nengine backend: ${backendDescription()}`;
}

function reportError(error: unknown, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: string }).hint;
  // DataError and friends already end their message with the hint; print it only when missing.
  const showHint = hint && !message.includes(hint);
  process.stderr.write(`error: ${message}${showHint ? `\n  hint: ${hint}` : ""}\n`);
  if (process.env.SALESCAST_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: (error as Error)?.name ?? "Error", message, hint })}\n`);
  return error instanceof UsageError ? 2 : 1;
}
