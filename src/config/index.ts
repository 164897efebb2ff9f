export { registryRoot, mlflowPendingDir } from "./paths.js";
export { loadConfig, DEFAULT_CONFIG_PATH, type LoadConfigOptions, type LoadedConfig } from "./load.js";
export { ConfigError } from "./errors.js";
export { configSchema, type Config, type DataConfig, type EngineConfig, type ModelConfig, type TrainConfig } from "./schema.js";
export { BACKEND_CHOICES, type BackendChoice } from "./engine-backend.js";
export { withOverrides } from "./overrides.js";
