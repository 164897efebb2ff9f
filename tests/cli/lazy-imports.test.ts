// `salescast --help` and `--version` took 1.2-1.5 s (Node itself: 0.1 s) because src/cli.ts
// imported every command, and every command its whole stack (zod, DuckDB, the engine, Fastify)
// at start-up. Now each command imports its stack inside run(). This test walks the static
// imports from src/cli.ts (what Node loads before any command runs) and fails if one of them
// pulls in a heavy module again. (Speed itself is measured, never asserted: README, "The
// command line".)
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Static, non-type imports and re-exports of a TypeScript file: `import x from "m"`, `export { y } from "m"`, `import "m"`. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  const pattern = /^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gms;
  for (const match of text.matchAll(pattern)) {
    if (!match[1]) found.push(match[2]);
  }
  return found;
}

/** Every module loaded at start-up: project files (relative to the root) and packages, by name. */
function startupClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    files.add(rel);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
        if (!existsSync(target)) throw new Error(`${rel} imports ${specifier}, which does not exist as .ts`);
        queue.push(target);
      } else if (!specifier.startsWith("node:")) {
        packages.add(specifier);
      }
    }
  }
  return { files, packages };
}

describe("start-up imports of the salescast command", () => {
  const { files, packages } = startupClosure(join(root, "src", "cli.ts"));

  it("loads no heavy package before a command runs", () => {
    expect([...packages].sort()).toEqual(["commander"]);
  });

  it("loads no configuration schema, data, engine, training, tracking, server or forecaster module", () => {
    const heavy = [...files].filter((file) =>
      /^src\/(config\/(load|schema|errors)|data\/(ingest|source|covariates|covariate-file)|engine|training|tracking|server|forecaster|registry\/(index|local|mlflow))/.test(file),
    );
    expect(heavy).toEqual([]);
  });

  it("the walk sees the commands (a sanity check of the walker itself)", () => {
    for (const command of ["train", "predict", "backtest", "runs", "serve"]) expect(files).toContain(`src/cli/${command}.ts`);
    expect(files).toContain("src/config/paths.ts");
  });
});
