// The static imports of the project's TypeScript files, read from their text (no bundler): what
// tests/cli/lazy-imports.test.ts walks for start-up cost and tests/engine/import-graph.test.ts
// for import circles.
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

/** Every cycle of a directed graph (each once, starting at its smallest node), by depth-first search. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string) => {
    if (onPath.has(node)) {
      const cycle = path.slice(path.indexOf(node));
      const start = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(" > "), rotated);
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    onPath.add(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    onPath.delete(node);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return [...cycles.values()];
}
