// The layer rule (README, "Architecture"), checked by dependency-cruiser: `npm run check:layers`.
// Imports point only down this list; a module may import its own layer or any layer below it:
//
//   cli, bench, tools, scripts → server → queue → forecaster → training → registry → tracking → backtest
//     → models → engine → data → config → util
//
// util (with src/version.ts, which only reads package.json) is the very bottom: it imports
// nothing above it, config included. web/ stands apart: it talks to the server over HTTP (its
// API types are generated into web/src/api-types.gen.ts), so it imports nothing from the rest of
// the project and nothing there imports it. No import circle anywhere, type-only imports
// included (tsPreCompilationDeps): a type that lives above its user is a back-up import too.
//
// tests/layers/layer-rule.test.ts runs this same file on planted trees and expects each of these
// rules to fire, so loosening a rule here fails `npm test`.

/** Top to bottom; each layer is a name and the paths (from the project root) that belong to it. */
const LAYERS = [
  ["cli", "^(src/cli[.]ts$|src/cli/|bench/|tools/|scripts/)"],
  ["server", "^src/server/"],
  ["queue", "^src/queue/"],
  ["forecaster", "^src/forecaster/"],
  ["training", "^src/training/"],
  ["registry", "^src/registry/"],
  ["tracking", "^src/tracking/"],
  ["backtest", "^src/backtest/"],
  ["models", "^src/models/"],
  ["engine", "^src/engine/"],
  ["data", "^src/data/"],
  ["config", "^src/config/"],
  ["util", "^(src/util/|src/version[.]ts$)"],
];

const upImportRules = LAYERS.slice(1).map(([name, path], index) => ({
  name: `${name}-imports-up`,
  comment: `${name} imports a layer above it (${LAYERS.slice(0, index + 1)
    .map(([above]) => above)
    .join(", ")}): move the shared code down, or pass it in from above`,
  severity: "error",
  from: { path },
  to: { path: LAYERS.slice(0, index + 1).map(([, above]) => above) },
}));

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    ...upImportRules,
    {
      name: "no-circular",
      comment: "an import circle: each file of it depends on the others; move what they share into a file both import",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "web-imports-project",
      comment: "web/ talks to the server over HTTP only: import the generated API types (web/src/api-types.gen.ts), not the server's code",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^(src|bench|tools|scripts|tests)/" },
    },
    {
      name: "project-imports-web",
      comment: "the dashboard is built on its own (vite); the server serves its built files and imports none of its code",
      severity: "error",
      from: { pathNot: "^web/" },
      to: { path: "^web/" },
    },
    {
      name: "room-not-in-layers",
      comment: "a file of src/ outside every layer: add its folder to LAYERS in .dependency-cruiser.mjs, where it belongs in the order",
      severity: "error",
      from: {},
      to: { path: "^src/", pathNot: LAYERS.map(([, path]) => path) },
    },
    {
      name: "not-to-unresolvable",
      comment: "an import of a module that does not exist (or is not installed)",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    // Type-only imports count: `import type` from a layer above is still a back-up import.
    tsPreCompilationDeps: true,
    // Resolve packages through their package.json "exports" as Node does (dependency-cruiser's
    // default reads "main" only, and vite has none: its import would read as unresolvable).
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["main", "types", "typings"],
    },
  },
};
