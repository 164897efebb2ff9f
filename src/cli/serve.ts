import type { CommandSpec } from "./spec.js";
import { parseIntegerOption } from "./parse.js";
import type { CommandContext } from "./context.js";

export const serveCommand: CommandSpec = {
  name: "serve",
  summary: "start the HTTP API (/api, /docs) and the dashboard (/) on app.host:app.port",
  options: (command) => command.option("--port <n>", "port (default: app.port; 0 picks a free one)").option("--host <host>", "address (default: app.host)"),
  async run(context, options) {
    await serve(context, {
      port: options.port === undefined ? undefined : parseIntegerOption("--port", options.port),
      host: options.host as string | undefined,
    });
  },
};

/** Starts the server and prints where it listens; the process lives until SIGTERM or Ctrl-C. */
export async function serve({ config, out }: CommandContext, options: { port?: number; host?: string }): Promise<void> {
  const { startServer } = await import("../server/index.js");
  // Said first, as `train` does: an operator reading a container's log sees at once whether
  // models compute on the native addon or fell back to TypeScript (and why).
  const { backendDescription } = await import("../engine/index.js");
  out.log(`engine backend: ${backendDescription()}`);
  const server = await startServer(config, { port: options.port, host: options.host });
  out.result({ address: server.address, api: `${server.address}/api`, docs: `${server.address}/docs` }, () =>
    [
      `salescast is serving on ${server.address}`,
      `  dashboard  ${server.address}/`,
      `  API        ${server.address}/api`,
      `  API docs   ${server.address}/docs`,
      "Ctrl-C stops it.",
    ].join("\n"),
  );
}
