// The dashboard's API types, generated from the server's own OpenAPI document by
// openapi-typescript: web/src/api-types.gen.ts is this text, written by `npm run gen:api-types`
// (tools/gen-api-types.ts) and checked against a fresh generation by tests/web/api-types.test.ts.
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

/** Where the generated file lives, relative to the project. */
export const API_TYPES_FILE = "web/src/api-types.gen.ts";

/** The command that regenerates it, for messages. */
export const API_TYPES_COMMAND = "npm run gen:api-types";

const HEADER =
  "// Generated from the server's OpenAPI document (its route schemas) by openapi-typescript:\n" +
  `// do not edit. After changing a route's schema, run \`${API_TYPES_COMMAND}\`; web/src/api-types.ts\n` +
  "// names the types the dashboard uses.\n\n";

/** The generated file's text for an OpenAPI document. */
export async function apiTypesSource(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { alphabetize: false });
  return HEADER + astToString(ast);
}
