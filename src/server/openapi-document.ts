// The OpenAPI document the server publishes at /docs/json, built in memory: no socket, no file
// read for it (no model is loaded; the routes only declare their schemas here). The
// dashboard's request and response types are generated from it (npm run gen:api-types), and a
// test regenerates them to check the committed file is current.
import { join } from "node:path";
import { tmpdir } from "node:os";
import { configFromDefaults } from "../config/from-defaults.js";
import { buildApp } from "./app.js";

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp({
    // The shipped defaults: the document does not depend on the data or the models (a server
    // off loopback adds the training routes' bearer security; the types are the same).
    config: configFromDefaults(),
    logger: false,
    env: {},
    warmModels: false,
    // No dashboard build to read and compress: its route is not in the document.
    dashboardRoot: join(tmpdir(), "salescast-openapi-no-dashboard"),
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
