// The registry index (<root>/registry.json): the only map from category names to folders.
//
//   { "format": 1,
//     "categories": [ { "name": "Beauty", "dir": "beauty-3f2a9c",
//                       "versions": [ { "version": 1, "createdAt": "2025-…Z", "runId": "…", "metrics": {…}, "windowSize": 14,
//                                       "heldBack": "…" (only when not to be served by default) } ],
//                       "aliases": { "champion": 1 } } ] }
//
// Categories are a list and aliases are read into a Map, so names like "__proto__" or
// "constructor" are plain data, never object machinery.
import { readJsonIfExists, writeJsonAtomic } from "../../util/atomic-file.js";
import { RegistryError } from "../registry.js";

export interface VersionRecord {
  version: number;
  createdAt: string;
  runId?: string;
  metrics?: Record<string, number>;
  windowSize: number;
  /** Why this version is not served by default (absurd validation errors); the champion alias still can be. */
  heldBack?: string;
}

export interface CategoryRecord {
  name: string;
  dir: string; // a safeDirName result, relative to the root
  versions: VersionRecord[]; // ascending by version
  aliases: Map<string, number>;
}

export type RegistryIndex = Map<string, CategoryRecord>;

const FORMAT = 1;
const DIR_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

interface IndexFile {
  format: number;
  categories: Array<Omit<CategoryRecord, "aliases"> & { aliases: Record<string, number> }>;
}

export async function readIndex(path: string): Promise<RegistryIndex> {
  const file = await readJsonIfExists<IndexFile>(path);
  const index: RegistryIndex = new Map();
  if (file === undefined) return index;
  if (file.format !== FORMAT || !Array.isArray(file.categories)) {
    throw corrupt(path, `unknown format ${JSON.stringify(file.format)}`);
  }
  for (const c of file.categories) {
    // The folder names come from this file: check them again so a hand-edited index cannot point outside the root.
    if (typeof c.name !== "string" || typeof c.dir !== "string" || !DIR_PATTERN.test(c.dir) || !Array.isArray(c.versions)) {
      throw corrupt(path, `bad entry ${JSON.stringify(c).slice(0, 120)}`);
    }
    for (const v of c.versions) {
      if (!Number.isSafeInteger(v.version) || v.version < 1) throw corrupt(path, `category ${JSON.stringify(c.name)} has version ${JSON.stringify(v.version)}`);
    }
    const aliases = new Map<string, number>(Object.entries(c.aliases ?? {}).filter(([, v]) => Number.isSafeInteger(v)));
    index.set(c.name, { name: c.name, dir: c.dir, versions: [...c.versions].sort((a, b) => a.version - b.version), aliases });
  }
  return index;
}

export async function writeIndex(path: string, index: RegistryIndex): Promise<void> {
  const file: IndexFile = {
    format: FORMAT,
    categories: [...index.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => ({ name: c.name, dir: c.dir, versions: c.versions, aliases: Object.fromEntries(c.aliases) })),
  };
  await writeJsonAtomic(path, file);
}

function corrupt(path: string, detail: string): RegistryError {
  return new RegistryError(`the model registry index ${path} is corrupt (${detail}); restore it from a backup or fix it by hand`, "invalid");
}
