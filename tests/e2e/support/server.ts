// The real salescast server for the browser suite: buildApp() from src/server listening on a
// free loopback port, serving the built dashboard (dist/web) at "/".
//
// Until the server has them itself, the routes the dashboard needs beyond issue 5 (GET
// /api/runs..., the static dashboard) are registered from ./server-additions: proposals for
// src/server/routes/. Once the server has a route, its own version is used.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../../src/config/schema.js";
import { buildApp, listen } from "../../../src/server/index.js";
import { dashboardRoutes } from "./server-additions/dashboard-static.js";
import { runsRoutes } from "./server-additions/runs-routes.js";

export const DASHBOARD_BUILD = fileURLToPath(new URL("../../../dist/web", import.meta.url));

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  /** Names of the routes this suite had to add (empty once the server has them all). */
  added: string[];
  close(): Promise<void>;
}

export async function startTestServer(config: Config): Promise<RunningServer> {
  if (!existsSync(`${DASHBOARD_BUILD}/index.html`)) {
    throw new Error(`no dashboard build in ${DASHBOARD_BUILD}: run \`npx vite build --config web/vite.config.ts\` (npm run test:e2e does it first)`);
  }
  const app = await buildApp({ config, host: "127.0.0.1", logger: false, trainingThreads: 1, env: {} });
  const added: string[] = [];
  try {
    if (!app.hasRoute({ method: "GET", url: "/api/runs" })) {
      await app.register(runsRoutes, { prefix: "/api", config });
      added.push("GET /api/runs (+ /api/runs/:id, metrics, artifacts)");
    }
    if (!app.hasRoute({ method: "GET", url: "/" })) {
      await app.register(dashboardRoutes, { root: DASHBOARD_BUILD });
      added.push("GET / (dashboard)");
    }
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    return { url: server.address, app, added, close: server.close };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
