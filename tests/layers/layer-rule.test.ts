// The layer check (`npm run check:layers`, a step of .ci/run) fails when an import runs back up
// the room order, closes a circle, or crosses into or out of web/. It runs dependency-cruiser
// with the project's own rules file (.dependency-cruiser.mjs) on small planted trees: a clean
// tree, where every layer imports the one below it, must pass; the same tree with one planted
// import per rule must report exactly those imports. The layer order below is the README's,
// written out here on purpose: a rule dropped or loosened in the rules file fails this test.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const rulesFile = join(root, ".dependency-cruiser.mjs");
const depcruise = join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

/** Top to bottom (README, "Architecture"): one planted file per layer, and its rule's name. */
const LAYERS: { name: string; files: string[] }[] = [
  { name: "cli", files: ["src/cli.ts", "src/cli/a.ts", "bench/a.ts", "tools/a.ts", "scripts/a.mjs"] },
  { name: "server", files: ["src/server/a.ts"] },
  { name: "queue", files: ["src/queue/a.ts"] },
  { name: "forecaster", files: ["src/forecaster/a.ts"] },
  { name: "training", files: ["src/training/a.ts"] },
  { name: "registry", files: ["src/registry/a.ts"] },
  { name: "tracking", files: ["src/tracking/a.ts"] },
  { name: "backtest", files: ["src/backtest/a.ts"] },
  { name: "models", files: ["src/models/a.ts"] },
  { name: "engine", files: ["src/engine/a.ts"] },
  { name: "data", files: ["src/data/a.ts"] },
  { name: "config", files: ["src/config/a.ts"] },
  { name: "util", files: ["src/util/a.ts", "src/version.ts"] },
];
const WEB = "web/src/a.ts";

type Imports = Map<string, string[]>;
interface Violation {
  rule: string;
  from: string;
  to: string;
}

const trees: string[] = [];
afterAll(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

/** A specifier from one planted file to another, as the project writes them ("../x/a.js"). */
function specifier(from: string, to: string): string {
  const path = posix.relative(posix.dirname(from), to).replace(/\.ts$/, ".js");
  return path.startsWith(".") ? path : `./${path}`;
}

/** An import target: a planted file, "type:FILE" for a type-only import, "missing:FILE" for a file never written. */
function target(spec: string): { file: string; typeOnly: boolean; missing: boolean } {
  const [, prefix, file] = /^(type:|missing:)?(.*)$/.exec(spec)!;
  return { file, typeOnly: prefix === "type:", missing: prefix === "missing:" };
}

/** Writes every planted file (each exports a value and a type) with its imports. */
function plant(imports: Imports): string {
  const tree = mkdtempSync(join(tmpdir(), "salescast-layers-"));
  trees.push(tree);
  const targets = [...imports.values()]
    .flat()
    .map(target)
    .filter((t) => !t.missing);
  const files = new Set([...LAYERS.flatMap((layer) => layer.files), WEB, ...imports.keys(), ...targets.map((t) => t.file)]);
  for (const file of files) {
    const lines = (imports.get(file) ?? [])
      .map(target)
      .map((to, i) =>
        to.typeOnly ? `import type { T as T${i} } from "${specifier(file, to.file)}";` : `import { x as x${i} } from "${specifier(file, to.file)}";`,
      );
    const exports = file.endsWith(".mjs") ? ["export const x = 1;"] : ["export const x = 1;", "export type T = number;"];
    mkdirSync(dirname(join(tree, file)), { recursive: true });
    writeFileSync(join(tree, file), [...lines, ...exports, ""].join("\n"));
  }
  return tree;
}

/**
 * Runs the layer check on a tree as `npm run check:layers` runs it on the project (the same
 * output, whose exit status CI counts): its status, each violation (a circle by its first step)
 * and how many modules it read.
 */
function check(tree: string): { status: number | null; violations: Violation[]; modules: number; output: string } {
  const ran = spawnSync(process.execPath, [depcruise, "src", "bench", "tools", "scripts", "web", "--config", rulesFile], { cwd: tree, encoding: "utf8" });
  const output = ran.stdout + ran.stderr;
  const violations = [...output.matchAll(/^\s*error (\S+): (\S+) →\s+(\S+)/gm)].map(([, rule, from, to]) => ({ rule, from, to }));
  const modules = Number(/(\d+) modules, \d+ dependencies cruised/.exec(output)?.[1] ?? NaN);
  return { status: ran.status, violations, modules, output };
}

const byKey = (a: Violation, b: Violation) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`);

/** The clean tree: every file of a layer imports every file of the layer below (values and types). */
function cleanImports(): Imports {
  const imports: Imports = new Map();
  LAYERS.forEach((layer, i) => {
    const below = LAYERS[i + 1]?.files ?? [];
    for (const file of layer.files) imports.set(file, file.endsWith(".mjs") ? below : [...below, ...below.map((to) => `type:${to}`)]);
  });
  return imports;
}

function withPlanted(planted: [from: string, to: string][], imports: Imports = cleanImports()): Imports {
  for (const [from, to] of planted) imports.set(from, [...(imports.get(from) ?? []), to]);
  return imports;
}

describe("the layer check (.dependency-cruiser.mjs)", () => {
  it("passes a tree where every import points down, type-only imports included", () => {
    const result = check(plant(cleanImports()));
    expect(result.output).toMatch(/no dependency violations found/);
    expect(result.violations).toEqual([]);
    // Every planted file was read: a check that finds no file passes trivially.
    expect(result.modules).toBe(LAYERS.flatMap((layer) => layer.files).length + 1);
    expect(result.status).toBe(0);
  });

  it("fails on an import one layer back up from every layer, value or type-only, and names each", () => {
    const planted: [string, string][] = [];
    const expected: Violation[] = [];
    LAYERS.slice(1).forEach((layer, i) => {
      const above = LAYERS[i].files[0];
      layer.files.forEach((from, j) => {
        // Alternate value and type-only imports: `import type` from above is a back-up import too.
        const typeOnly = (i + j) % 2 === 1;
        planted.push([from, typeOnly ? `type:${above}` : above]);
        expected.push({ rule: `${layer.name}-imports-up`, from, to: above });
      });
    });
    // And from the very bottom to the very top.
    planted.push(["src/version.ts", "src/cli/a.ts"]);
    expected.push({ rule: "util-imports-up", from: "src/version.ts", to: "src/cli/a.ts" });
    // Only the upward imports: added to the clean tree's downward ones, each would close a circle too.
    const result = check(plant(withPlanted(planted, new Map())));
    expect(result.status).not.toBe(0);
    expect(result.violations.sort(byKey)).toEqual(expected.sort(byKey));
  });

  it("fails on an import circle inside one room, type-only imports included", () => {
    const result = check(
      plant(
        withPlanted([
          ["src/models/theta/state.ts", "src/models/theta/types.ts"],
          ["src/models/theta/types.ts", "type:src/models/theta/state.ts"],
          // Type-only both ways: erased at run time, still a circle between the two files' jobs.
          ["src/engine/backend.ts", "type:src/engine/model.ts"],
          ["src/engine/model.ts", "type:src/engine/backend.ts"],
        ]),
      ),
    );
    expect(result.status).not.toBe(0);
    // Each circle once, by its first file and step.
    expect(result.violations.sort(byKey)).toEqual(
      [
        { rule: "no-circular", from: "src/engine/backend.ts", to: "src/engine/model.ts" },
        { rule: "no-circular", from: "src/models/theta/state.ts", to: "src/models/theta/types.ts" },
      ].sort(byKey),
    );
  });

  it("fails when web/ imports the project's code or the project imports web/, on an import of nothing, and on a room the list lacks", () => {
    const result = check(
      plant(
        withPlanted([
          [WEB, "type:src/util/a.ts"],
          ["src/server/a.ts", WEB],
          ["src/data/a.ts", "missing:src/data/missing.ts"],
          ["src/cli/a.ts", "src/newroom/a.ts"],
        ]),
      ),
    );
    expect(result.status).not.toBe(0);
    expect(result.violations.sort(byKey)).toEqual(
      [
        { rule: "web-imports-project", from: WEB, to: "src/util/a.ts" },
        { rule: "project-imports-web", from: "src/server/a.ts", to: WEB },
        { rule: "not-to-unresolvable", from: "src/data/a.ts", to: "./missing.js" },
        { rule: "room-not-in-layers", from: "src/cli/a.ts", to: "src/newroom/a.ts" },
      ].sort(byKey),
    );
  });
});
