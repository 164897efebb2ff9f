#!/usr/bin/env node
// A stand-in for the layer check until dependency-cruiser is configured (issue 16): lists every
// import in src/ that runs back up the room order, and every import circle between files.
//
//   cli, bench -> server -> forecaster -> training -> registry -> tracking -> backtest -> models -> engine -> data -> config, util
//
// Each file belongs to the room of its first folder under src/ (src/cli.ts to cli, src/version.ts
// to util: it only reads package.json). An import may point to its own room or any room after
// it. Type-only imports count too (dependency-cruiser's tsPreCompilationDeps does the same):
// a type that lives above its user is a back-up import all the same.
//
// Usage: node scripts/layer-imports.mjs [--room ROOM]   (exit 1 when anything is found)
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ORDER = [["cli", "bench"], ["server"], ["forecaster"], ["training"], ["registry"], ["tracking"], ["backtest"], ["models"], ["engine"], ["data"], ["config", "util"]];
const rank = new Map(ORDER.flatMap((rooms, i) => rooms.map((room) => [room, i])));
const root = resolve(process.argv[1], "../..");
const only = process.argv.includes("--room") ? process.argv[process.argv.indexOf("--room") + 1] : undefined;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return full.endsWith(".ts") && !full.endsWith(".d.ts") ? [full] : [];
  });
}

function roomOf(file) {
  const rel = relative(join(root, "src"), file).split("/");
  if (rel[0] === "..") return "bench";
  if (rel.length === 1) return rel[0] === "cli.ts" ? "cli" : "util";
  return rel[0];
}

/** Every module specifier the file imports (static, re-exports, dynamic import with a literal). */
function specifiers(text) {
  const out = [];
  const patterns = [/\bfrom\s+"([^"]+)"/g, /\bimport\s+"([^"]+)"/g, /\bimport\(\s*"([^"]+)"\s*\)/g];
  // Comments may quote imports: drop them first (line comments and block comments).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) out.push(match[1]);
  return out;
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const all = [...files(join(root, "src")), ...files(join(root, "bench"))];
const graph = new Map();
const problems = [];
for (const file of all) {
  const targets = [];
  for (const specifier of specifiers(readFileSync(file, "utf8"))) {
    const target = resolveImport(file, specifier);
    if (!target) continue;
    targets.push(target);
    const [a, b] = [roomOf(file), roomOf(target)];
    if (rank.get(b) < rank.get(a) && (!only || a === only || b === only)) {
      problems.push(`up:     ${relative(root, file)} (${a}) imports ${relative(root, target)} (${b})`);
    }
  }
  graph.set(file, targets);
}

// Circles: strongly connected components of more than one file (Tarjan).
let index = 0;
const stack = [];
const state = new Map();
const circles = [];
function visit(node) {
  state.set(node, { index, low: index, onStack: true });
  index++;
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (!state.has(next)) {
      visit(next);
      state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
    }
  }
  if (state.get(node).low === state.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) circles.push(component);
  }
}
for (const file of all) if (!state.has(file)) visit(file);
for (const component of circles) {
  const rooms = new Set(component.map(roomOf));
  if (only && !rooms.has(only)) continue;
  problems.push(`circle: ${component.map((file) => relative(root, file)).sort().join(" <-> ")}`);
}

for (const line of problems) console.log(line);
console.log(`${problems.length} problem${problems.length === 1 ? "" : "s"} (${all.length} files)`);
process.exit(problems.length > 0 ? 1 : 0);
