// The server's public surface: buildApp() for tests and embedding, startServer() for
// `salescast serve`.
import type { Config } from "../config/schema.js";
import { buildApp } from "./app.js";
import { listen, type ListeningServer } from "./listen.js";
import { ignoreClosedOutput } from "./process-output.js";
import type { ServerOptions } from "./options.js";

export { buildApp } from "./app.js";
export { listen, type ListeningServer, type ListenOptions } from "./listen.js";
export { resolveServerOptions, isLoopback, ServerConfigError, DEFAULT_BODY_LIMIT, type ServerOptions, type ResolvedServerOptions } from "./options.js";
export type { TrainingRunner, JobSnapshot, JobState } from "./jobs/job-manager.js";

export interface StartServerOptions extends Omit<ServerOptions, "config"> {
  /** Default app.port. 0 picks a free port. */
  port?: number;
  handleSignals?: boolean;
}

/** Builds the app and listens on app.host:app.port (or the overrides); resolves once listening. */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<ListeningServer> {
  const { port, handleSignals, ...rest } = options;
  // This process is the server: a closed stdout or stderr must not stop it (process-output.ts).
  ignoreClosedOutput();
  const host = rest.host ?? config.app.host;
  const app = await buildApp({ ...rest, config, host });
  try {
    const server = await listen(app, { host, port: port ?? config.app.port, handleSignals, backlog: config.app.backlog });
    app.log.info(`salescast API on ${server.address}/api (docs at ${server.address}/docs)`);
    return server;
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`port ${port ?? config.app.port} on ${host} is already in use: stop the other server or set app.port=<free port>`, { cause: error });
    }
    throw error;
  }
}
