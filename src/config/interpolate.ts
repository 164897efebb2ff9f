// ${env:NAME} and ${env:NAME,default} inside string values, as OmegaConf's oc.env resolver does.
// A value that is exactly one reference keeps the default's text; the schema coerces numbers.
import { ConfigError } from "./errors.js";
import { isPlainObject } from "./tree.js";

const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?:,([^}]*))?\}/g;

export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === "string") return interpolateString(value, env, path);
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnv(item, env, [...path, String(index)]));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, [...path, key])]));
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, path: string[]): string {
  if (text.replace(REFERENCE, "").includes("${")) {
    throw new ConfigError(`${path.join(".")}: cannot read "${text}": write \${env:NAME} or \${env:NAME,default}.`);
  }
  return text.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (found !== undefined && found !== "") return found;
    if (fallback !== undefined) return fallback.trim();
    throw new ConfigError(`${path.join(".")}: environment variable ${name} is not set and has no default; set it or write \${env:${name},default}.`);
  });
}
