export { registryRoot, mlflowPendingDir } from "./paths.js";
export { loadConfig, DEFAULT_CONFIG_PATH, type LoadConfigOptions, type LoadedConfig } from "./load.js";
export { ConfigError } from "./errors.js";
export { configSchema, type Config, type DataConfig, type ModelConfig, type TrainConfig } from "./schema.js";
export { withOverrides } from "./overrides.js";
