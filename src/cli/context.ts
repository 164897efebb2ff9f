// What every command receives: the merged, validated configuration and the output channel.
import { loadConfig, type Config } from "../config/index.js";
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
  const { config, path } = await loadConfig({ path: options.config, overrides });
  return { config, configPath: path, out };
}
