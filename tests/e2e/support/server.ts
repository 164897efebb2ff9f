// The real salescast server for the browser suite: buildApp() from src/server listening on a
// free loopback port, serving the built dashboard (dist/web) at "/".
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../../src/config/schema.js";
import { buildApp, listen } from "../../../src/server/index.js";

export const DASHBOARD_BUILD = fileURLToPath(new URL("../../../dist/web", import.meta.url));

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startTestServer(config: Config): Promise<RunningServer> {
  if (!existsSync(`${DASHBOARD_BUILD}/index.html`)) {
    throw new Error(`no dashboard build in ${DASHBOARD_BUILD}: run \`npx vite build --config web/vite.config.ts\` (npm run test:e2e does it first)`);
  }
  const app = await buildApp({ config, host: "127.0.0.1", logger: false, trainingThreads: 1, env: {}, dashboardRoot: DASHBOARD_BUILD });
  try {
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    return { url: server.address, app, close: server.close };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
