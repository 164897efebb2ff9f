// The engine's backends and the one choice between them. Two implementations of the Backend
// interface (../backend.ts): "reference", the readable TypeScript kernels that work everywhere,
// and "native", the C++ addon (native.ts) when it is built. The setting engine.backend chooses:
//   auto       native when its addon loads in this process, else reference (the reason is kept
//              for `salescast --version` and GET /api/health)
//   native     native, or an error saying why the addon cannot be used and how to build it
//   reference  reference
// Every CnnLstmModel, Adam and GBDT training made without an explicit backend takes the thread's
// choice: the CLI sets it from the configuration (useBackend), as do the training and backtest
// worker threads from the configuration they are sent; where nothing set it (tests, benches),
// SALESCAST__ENGINE__BACKEND (the configuration's own environment variable) or the deprecated
// SALESCAST_BACKEND decides, else auto.

import { BACKEND_CHOICES, backendFromEnvironment, type BackendChoice } from "../../config/engine-backend.js";
import type { Backend } from "../backend.js";
import { createNativeBackend, describeNativeBackend, nativeBackendProblem } from "./native.js";
import { createReferenceBackend } from "./reference.js";

export { describeNativeBackend, nativeAddonPath, nativeBackendProblem, nativeBackendPublicProblem } from "./native.js";
export type { BackendChoice } from "../../config/engine-backend.js";

export type BackendName = "reference" | "native";

/** The backend that works everywhere; auto's choice when the native one cannot load. */
export const DEFAULT_BACKEND: BackendName = "reference";

const factories: Record<BackendName, () => Backend> = {
  reference: createReferenceBackend,
  native: createNativeBackend,
};
const instances = new Map<string, Backend>();

/** Every backend name ("native" is listed even when its addon is not built; see loadableBackends). */
export function availableBackends(): BackendName[] {
  return Object.keys(factories) as BackendName[];
}

function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(factories, name);
}

/** The backend with this name; throws with the list of names when there is none, or why the native one cannot load. */
export function getBackend(name: string): Backend {
  const cached = instances.get(name);
  if (cached) return cached;
  if (!isBackendName(name)) {
    throw new Error(`Unknown engine backend "${name}". Available backends: ${availableBackends().join(", ")}.`);
  }
  const backend = factories[name]();
  instances.set(name, backend);
  return backend;
}

/** Where the thread's choice came from: "engine.backend" (the configuration), an environment variable, or "default". */
export interface BackendSelection {
  choice: BackendChoice;
  source: string;
}

let selected: BackendSelection | undefined;
let fromEnvironment: BackendSelection | undefined;

/** Chooses this thread's backend (engine.backend); models made afterwards without an explicit backend use it. */
export function useBackend(choice: BackendChoice, source = "engine.backend"): void {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new Error(`Unknown engine.backend "${String(choice)}"; choose ${BACKEND_CHOICES.join(", ")}.`);
  }
  selected = { choice, source };
}

/** The thread's choice: useBackend()'s, else the environment's, else auto. */
export function backendSelection(): BackendSelection {
  if (selected) return selected;
  if (!fromEnvironment) {
    const found = backendFromEnvironment(process.env);
    if (found === undefined) return { choice: "auto", source: "default" };
    if (!(BACKEND_CHOICES as readonly string[]).includes(found.value)) {
      throw new Error(`Unknown engine backend "${found.value}" (from ${found.source}). Set it to one of ${BACKEND_CHOICES.join(", ")}, or unset it for auto.`);
    }
    for (const warning of found.warnings) process.emitWarning(warning, "DeprecationWarning");
    fromEnvironment = { choice: found.value as BackendChoice, source: found.source };
  }
  return fromEnvironment;
}

/**
 * `config` with engine.backend set to this thread's choice, for the worker threads it is sent to
 * (they call useBackend with it): a choice made through the environment (tests, benches) reaches
 * them as the CLI's does.
 */
export function withThreadBackend<T extends { engine: { backend: BackendChoice } }>(config: T): T {
  return { ...config, engine: { ...config.engine, backend: backendSelection().choice } };
}

/** The backend name a choice stands for in this process (auto: native when its addon loads). */
export function resolveBackendName(choice: BackendChoice): BackendName {
  if (choice === "auto") return nativeBackendProblem() === undefined ? "native" : DEFAULT_BACKEND;
  return choice;
}

/** The backend in use in this thread (see backendSelection); throws when engine.backend is native and the addon cannot load. */
export function activeBackend(): Backend {
  return getBackend(resolveBackendName(backendSelection().choice));
}

/**
 * One line naming this thread's backend and why, for `salescast --version` and the training log,
 * e.g. "native (C++ addon, AVX2+FMA kernels, 2 threads)" or
 * "reference (TypeScript; native backend unavailable: <reason>)". Never throws.
 */
export function backendDescription(): string {
  let selection: BackendSelection;
  let backend: Backend;
  try {
    selection = backendSelection();
    backend = getBackend(resolveBackendName(selection.choice));
  } catch (error) {
    return `none (${error instanceof Error ? error.message : String(error)})`;
  }
  if (backend.name === "native") return `native (${describeNativeBackend()})`;
  const problem = nativeBackendProblem();
  if (problem !== undefined) return `reference (TypeScript; native backend unavailable: ${problem})`;
  const chosenBy = selection.source === "engine.backend" ? "engine.backend: reference" : `${selection.source}=reference`;
  return `reference (TypeScript; chosen by ${chosenBy}, the native backend is available)`;
}
