// The static imports of the project's TypeScript files, read from their text (no bundler): what
// tests/cli/lazy-imports.test.ts walks for start-up cost and tests/engine/import-graph.test.ts
// for the engine's backend files. (Import circles and the layer rule are dependency-cruiser's
// job: `npm run check:layers`.)
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface StaticImport {
  specifier: string;
  /** `import type …` / `export type … from`: erased at compile time, loads nothing at run time. */
  typeOnly: boolean;
}

/** `import x from "m"`, `import type { y } from "m"`, `export { z } from "m"`, `import "m"`, in order. */
export function staticImports(file: string): StaticImport[] {
  const text = readFileSync(file, "utf8");
  const pattern = /^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gms;
  return [...text.matchAll(pattern)].map((match) => ({ specifier: match[2], typeOnly: Boolean(match[1]) }));
}

/** The .ts file a relative specifier ("./x.js") of `from` names; throws when there is none. */
export function resolveRelative(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier).replace(/\.js$/, ".ts");
  if (!existsSync(target)) throw new Error(`${from} imports ${specifier}, which does not exist as .ts`);
  return target;
}
