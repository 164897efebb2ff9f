// Suites that run the build (the CLI as a child process, worker threads) test dist/, not src/:
// they skip, saying why, when dist/ is missing or older than a source it is built from, so a
// stale build never passes for the code under test.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The first .ts file below dir whose built .js is missing or older, relative to the project. */
function staleSource(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = staleSource(path);
      if (found) return found;
    } else if (entry.name.endsWith(".ts")) {
      const js = join(projectRoot, "dist", relative(projectRoot, path)).replace(/\.ts$/, ".js");
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(path).mtimeMs) return relative(projectRoot, path);
    }
  }
  return undefined;
}

/**
 * Why dist/ cannot be tested, or undefined when every `required` built file (relative to the
 * project, e.g. "dist/src/cli.js") exists and is newer than every source in `sourceFolders`
 * (relative to the project, e.g. "src/server").
 */
export function builtDistProblem(required: string[], sourceFolders: string[]): string | undefined {
  if (required.some((file) => !existsSync(join(projectRoot, file)))) return "dist/ not built: run npm run build";
  for (const folder of sourceFolders) {
    const file = staleSource(join(projectRoot, folder));
    if (file) return `dist/ is older than ${file}: run npm run build`;
  }
  return undefined;
}
