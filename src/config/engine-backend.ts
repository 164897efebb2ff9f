// engine.backend: the one setting that chooses the engine's kernels (training, serving, the GBDT
// learner), and the older spellings it replaces, still read with a deprecation message:
//   SALESCAST_BACKEND=fast|reference   (environment)  -> engine.backend: native|reference
//   engine.backend: fast                                -> engine.backend: native
//   app.inference: fast|reference                       -> engine.backend: auto|reference
// The environment variable of the setting is the config's own environment layer,
// SALESCAST__ENGINE__BACKEND; the engine reads the same variable where no configuration was
// loaded (tests, benches), so one variable forces a backend everywhere.
import { isPlainObject, type Tree } from "./tree.js";

/** auto = native when the addon loads in this process, else reference (and the reason is reported). */
export const BACKEND_CHOICES = ["auto", "native", "reference"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const ENGINE_BACKEND_ENV = "SALESCAST__ENGINE__BACKEND";
/** The variable before engine.backend existed; read as an alias of ENGINE_BACKEND_ENV. */
export const LEGACY_BACKEND_ENV = "SALESCAST_BACKEND";

/** A setting's value with the old name of the native backend replaced, and the message saying so. */
export function renameLegacyBackend(value: unknown, where: string): { value: unknown; warning?: string } {
  if (typeof value === "string" && value.trim() === "fast") {
    return { value: "native", warning: `${where}: "fast" is the old name of the native backend; write "native" (the meaning is the same)` };
  }
  return { value };
}

/**
 * Rewrites one configuration layer (the file, a profile, the environment, the command line) from
 * the older settings to engine.backend, in place, and returns the deprecation messages. Done per
 * layer, before the layers merge, so an old setting keeps its layer's precedence.
 */
export function translateLegacyEngineSettings(layer: Tree, where: string): string[] {
  const warnings: string[] = [];
  const app = layer.app;
  if (isPlainObject(app) && "inference" in app) {
    const inference = app.inference;
    delete app.inference;
    const engine = isPlainObject(layer.engine) ? layer.engine : (layer.engine = {});
    const mapped = inference === "fast" ? "auto" : inference === "reference" ? "reference" : undefined;
    if (mapped === undefined) {
      warnings.push(`${where}: app.inference is no longer read (it was ${JSON.stringify(inference)}); set engine.backend to auto, native or reference instead`);
    } else if ("backend" in engine) {
      warnings.push(`${where}: app.inference is replaced by engine.backend, which this layer also sets; app.inference is ignored, remove it`);
    } else {
      engine.backend = mapped;
      warnings.push(
        `${where}: app.inference is replaced by engine.backend; read app.inference: ${String(inference)} as engine.backend: ${mapped} (write that instead)`,
      );
    }
  }
  if (isPlainObject(layer.engine) && "backend" in layer.engine) {
    const renamed = renameLegacyBackend(layer.engine.backend, `${where}: engine.backend`);
    layer.engine.backend = renamed.value;
    if (renamed.warning) warnings.push(renamed.warning);
  }
  return warnings;
}

/**
 * The backend the environment asks for, without a configuration file: SALESCAST__ENGINE__BACKEND,
 * else the deprecated SALESCAST_BACKEND (with a message), else undefined. The value is not
 * checked here (the caller says what is wrong with it); "fast" becomes "native".
 */
export function backendFromEnvironment(env: NodeJS.ProcessEnv): { value: string; source: string; warnings: string[] } | undefined {
  for (const name of [ENGINE_BACKEND_ENV, LEGACY_BACKEND_ENV]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const warnings = name === LEGACY_BACKEND_ENV ? [legacyVariableWarning()] : [];
    const renamed = renameLegacyBackend(raw, `${name}=${raw}`);
    if (renamed.warning) warnings.push(renamed.warning);
    return { value: String(renamed.value), source: name, warnings };
  }
  return undefined;
}

export function legacyVariableWarning(): string {
  return `${LEGACY_BACKEND_ENV} is deprecated: use ${ENGINE_BACKEND_ENV} (or engine.backend in config.yaml); it takes auto, native or reference`;
}
