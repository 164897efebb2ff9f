// Loads the configuration in four layers, each overriding the one before:
//   1. the YAML file (default config/config.yaml)
//   2. a profile from its `profiles:` section, picked by SALESCAST_PROFILE or the reference's MLFLOW_ENV
//   3. the environment: SALESCAST__SECTION__KEY=value, MLFLOW_TRACKING_URI for tracking.uri, and
//      the deprecated SALESCAST_BACKEND for engine.backend
//   4. command-line overrides in OmegaConf dot-list style: data.window_size=28
// then interpolates ${env:NAME,default} and validates the result against the schema. Settings
// replaced by newer ones (engine-backend.ts) are rewritten in each layer and reported in `warnings`.
import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { configSchema, type Config } from "./schema.js";
import { ConfigError, formatSchemaIssues } from "./errors.js";
import { deepMerge, isPlainObject, setPath, type Tree } from "./tree.js";
import { interpolateEnv } from "./interpolate.js";
import { ENGINE_BACKEND_ENV, LEGACY_BACKEND_ENV, legacyVariableWarning, translateLegacyEngineSettings } from "./engine-backend.js";

import { DEFAULT_CONFIG_PATH } from "./paths.js";

export { DEFAULT_CONFIG_PATH };
const ENV_PREFIX = "SALESCAST__";

export interface LoadConfigOptions {
  path?: string;
  overrides?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: Config;
  path: string;
  profile?: string;
  /** Deprecated settings found and what they were read as; the CLI prints them on stderr. */
  warnings: string[];
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = options.path ?? DEFAULT_CONFIG_PATH;
  const env = options.env ?? process.env;
  const file = await readConfigFile(path);

  const { profiles, ...base } = file;
  const profileName = env.SALESCAST_PROFILE || env.MLFLOW_ENV || undefined;
  const profile = pickProfile(profiles, profileName, path);

  // The text of each value set by the environment or the command line, as typed (YAML reads
  // 127.10 as the number 127.1); error messages quote it back.
  const typed = new Map<string, string>();
  const warnings: string[] = [];
  const layers: Array<[Tree, string]> = [
    [base, path],
    [profile, `profile ${profileName ?? ""} of ${path}`],
    [environmentLayer(env, typed, warnings), "the environment"],
    [overrideLayer(options.overrides ?? [], typed), "the command line"],
  ];
  for (const [layer, where] of layers) warnings.push(...translateLegacyEngineSettings(layer, where));
  const merged = layers.slice(1).reduce<Tree>((acc, [layer]) => deepMerge(acc, layer), base);
  const interpolated = interpolateEnv(merged, env) as Tree;

  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    throw new ConfigError(
      `invalid configuration (${path}${profileName ? `, profile ${profileName}` : ""}):\n${formatSchemaIssues(result.error.issues, interpolated, typed)}`,
    );
  }
  return { config: result.data, path, profile: profileName, warnings };
}

async function readConfigFile(path: string): Promise<Tree> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === "ENOENT"
        ? `config file not found: ${path}. Run salescast from the project folder or pass --config PATH.`
        : `cannot read config file ${path}: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ConfigError(`config file ${path} is not valid YAML: ${error.message}`);
    }
    throw error;
  }
  if (parsed == null) return {};
  if (!isPlainObject(parsed)) {
    throw new ConfigError(`config file ${path} must hold a mapping of sections (data, model, train, app, engine, tracking), found ${typeof parsed}.`);
  }
  return parsed;
}

function pickProfile(profiles: unknown, name: string | undefined, path: string): Tree {
  if (profiles !== undefined && !isPlainObject(profiles)) {
    throw new ConfigError(`profiles in ${path} must be a mapping of profile name to settings.`);
  }
  if (!name) return {};
  const known = (profiles ?? {}) as Tree;
  const chosen = known[name];
  if (chosen === undefined) {
    const names = Object.keys(known);
    throw new ConfigError(
      `unknown profile "${name}" (from SALESCAST_PROFILE or MLFLOW_ENV). Known profiles in ${path}: ${names.length ? names.join(", ") : "none"}.`,
    );
  }
  if (chosen !== null && !isPlainObject(chosen)) {
    throw new ConfigError(`profile "${name}" in ${path} must be a mapping of sections.`);
  }
  return (chosen ?? {}) as Tree;
}

/**
 * SALESCAST__DATA__WINDOW_SIZE=28 becomes data.window_size=28; MLFLOW_TRACKING_URI sets tracking.uri;
 * SALESCAST_BACKEND (deprecated) sets engine.backend unless SALESCAST__ENGINE__BACKEND does.
 */
function environmentLayer(env: NodeJS.ProcessEnv, typed: Map<string, string>, warnings: string[]): Tree {
  const layer: Tree = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith(ENV_PREFIX)) continue;
    const keys = name
      .slice(ENV_PREFIX.length)
      .split("__")
      .map((part) => part.toLowerCase());
    if (keys.some((key) => key === "")) {
      throw new ConfigError(`environment variable ${name} is malformed: use SALESCAST__SECTION__KEY=value, e.g. SALESCAST__DATA__WINDOW_SIZE=28.`);
    }
    setPath(layer, keys, parseValue(value));
    typed.set(keys.join("."), value);
  }
  if (env.MLFLOW_TRACKING_URI) setPath(layer, ["tracking", "uri"], env.MLFLOW_TRACKING_URI);
  const legacyBackend = env[LEGACY_BACKEND_ENV]?.trim();
  if (legacyBackend) {
    warnings.push(legacyVariableWarning());
    if (!env[ENGINE_BACKEND_ENV]?.trim()) {
      setPath(layer, ["engine", "backend"], legacyBackend);
      typed.set("engine.backend", legacyBackend);
    }
  }
  return layer;
}

/** `a.b.c=value` pairs; the value is read as YAML so numbers, booleans and [lists] keep their type. */
function overrideLayer(overrides: string[], typed: Map<string, string>): Tree {
  const layer: Tree = {};
  for (const override of overrides) {
    const eq = override.indexOf("=");
    const key = eq > 0 ? override.slice(0, eq).trim() : "";
    const keys = key.split(".");
    if (eq <= 0 || keys.some((part) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part))) {
      throw new ConfigError(`cannot read override "${override}": write key.path=value, e.g. data.window_size=28.`);
    }
    setPath(layer, keys, parseValue(override.slice(eq + 1)));
    typed.set(keys.join("."), override.slice(eq + 1));
  }
  return layer;
}

function parseValue(text: string): unknown {
  if (text.trim() === "") return "";
  try {
    const value = parseYaml(text);
    // A value that YAML reads as a mapping ("a: b") is almost surely a string with a colon.
    return isPlainObject(value) ? text : value;
  } catch {
    return text;
  }
}
