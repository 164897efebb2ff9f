// `npm run gen:api-types`: writes web/src/api-types.gen.ts from the OpenAPI document the server
// builds (buildApp, no socket). Run after changing a route's schema; commit the result.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "../src/server/openapi-document.js";
import { writeFileAtomic } from "../src/util/atomic-file.js";
import { API_TYPES_FILE, apiTypesSource } from "./api-types.js";

// Built to dist/tools/: the project is two folders up.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const path = join(projectRoot, API_TYPES_FILE);
await writeFileAtomic(path, await apiTypesSource(await openApiDocument()));
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
