#!/usr/bin/env node
// Writes src/config/model-kinds.ts from the families list (src/models/families.ts, as built in
// dist/): the values config/config.yaml's model.architecture accepts. The config room sits below
// the models room in the import order, so the schema cannot import the list; it imports this
// generated copy, and tests/models/families.test.ts fails when the two differ.
//
// Usage: npm run gen:model-kinds   (builds first)
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { FAMILIES } = await import(pathToFileURL(join(root, "dist/src/models/families.js")).href);
const { modelKindsSource } = await import(pathToFileURL(join(root, "dist/src/models/model-kinds-source.js")).href);
const target = join(root, "src/config/model-kinds.ts");
writeFileSync(target, modelKindsSource(FAMILIES.map((family) => family.kind)));
console.log(`wrote ${target}: ${FAMILIES.map((family) => family.kind).join(", ")}`);
