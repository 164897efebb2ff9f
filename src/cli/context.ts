// What every command receives: the merged, validated configuration and the output channel.
// The configuration's engine.backend becomes the process's engine backend here, so training,
// evaluation, backtests and serving all compute on the backend it chooses.
import { loadConfig, type Config } from "../config/index.js";
import { useBackend } from "../engine/backends/index.js";
import { createOutput, type Output } from "./output.js";

export interface CommonOptions {
  config: string;
  json?: boolean;
}

export interface CommandContext {
  config: Config;
  configPath: string;
  out: Output;
}

export async function createContext(options: CommonOptions, overrides: string[]): Promise<CommandContext> {
  const out = createOutput(Boolean(options.json));
  const { config, path, warnings } = await loadConfig({ path: options.config, overrides });
  for (const warning of warnings) out.log(`warning: ${warning}`);
  useBackend(config.engine.backend);
  return { config, configPath: path, out };
}
