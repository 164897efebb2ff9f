// Listening and stopping: the only place that opens a socket. SIGTERM / SIGINT close the
// server gracefully (no new connections, in-flight requests answered, training interrupted
// between two batches with the previous models left in place); a second signal exits at once.
import type { FastifyInstance } from "fastify";
import { warmUp } from "./warm-up.js";

export interface ListeningServer {
  /** e.g. http://127.0.0.1:8000 */
  address: string;
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  /** Install SIGTERM/SIGINT handlers (default true; tests that listen turn it off). */
  handleSignals?: boolean;
  /**
   * Connections the kernel queues before accept (app.backlog). Node's 511 drops handshakes when
   * a thousand clients connect at once (bench:soak's churn); the kernel caps it at somaxconn.
   */
  backlog?: number;
}

export async function listen(app: FastifyInstance, options: ListenOptions): Promise<ListeningServer> {
  // Ready and warm before the port opens: no client ever meets a cold server (warm-up.ts).
  const warmed = await warmUp(app, app.salescast.options.warmUpRequests);
  if (warmed.requests > 0) {
    app.log.info(
      { models: warmed.models, requests: warmed.requests, ms: Math.round(warmed.milliseconds) },
      `warmed up ${warmed.models} model${warmed.models === 1 ? "" : "s"} with ${warmed.requests} requests in ${Math.round(warmed.milliseconds)} ms`,
    );
  }
  for (const failure of warmed.failures) {
    app.log.error({ category: failure.category, status: failure.status }, `the ${failure.category} model refused its warm-up prediction: ${failure.message}`);
  }
  await app.listen({ host: options.host, port: options.port, backlog: options.backlog });
  const info = app.server.address();
  const port = typeof info === "object" && info ? info.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  let removeSignalHandlers = () => {};
  const close = () =>
    (closing ??= app.close().then(() => {
      removeSignalHandlers();
    }));

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        app.log.warn(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      app.log.info(`${signal}: finishing in-flight requests, then stopping`);
      close().catch((error: unknown) => {
        app.log.error({ err: error }, "shutdown failed");
        process.exitCode = 1;
      });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    removeSignalHandlers = () => {
      process.removeListener("SIGTERM", onSignal).removeListener("SIGINT", onSignal);
    };
  }
  return { address: `http://${host}:${port}`, port, close };
}
