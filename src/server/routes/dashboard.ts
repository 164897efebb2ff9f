// Serves the built dashboard (dist/web, made by `npm run build`) at "/".
//
// The files are read once at start (the build is a few hundred kB): only names found in
// dist/web can be answered, so a request path never reaches the file system. Hashed assets
// are cached for a year; index.html is revalidated so a new build shows at the next load.
// Without a build, "/" answers a short page saying how to make one (the API still works).
// Text files are compressed once at start (brotli and gzip, precompressed.ts) and sent in the
// encoding the browser accepts.
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { chooseEncoding, precompress, type Precompressed } from "../precompressed.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

// Inline styles: ECharts positions its tooltip with style attributes. Images: data: for the favicon.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";

interface StaticFile {
  body: Precompressed;
  type: string;
}

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg\+xml)/;

export interface DashboardOptions {
  /** The build folder (dist/web). */
  root: string;
}

async function readTree(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return files; // no build yet
  }
  for (const path of entries) {
    const url = relative(root, path).split(sep).join("/");
    const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
    files.set(url, { body: await precompress(await readFile(path), COMPRESSIBLE.test(type)), type });
  }
  return files;
}

const NO_BUILD_PAGE = `<!doctype html><meta charset="utf-8"><title>salescast</title>
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build</code> in the project folder, then reload. The API is at <a href="/docs">/docs</a>.</p>`;

export const dashboardRoutes: FastifyPluginAsync<DashboardOptions> = async (app, { root }) => {
  const files = await readTree(root);
  const index = files.get("index.html");

  const send = (request: FastifyRequest, reply: FastifyReply, file: StaticFile, cache: string) => {
    reply.type(file.type).header("cache-control", cache).header("x-content-type-options", "nosniff");
    if (!file.body.br && !file.body.gzip) return reply.send(file.body.identity);
    reply.header("vary", "accept-encoding");
    const encoding = chooseEncoding(request.headers["accept-encoding"], file.body);
    if (encoding === undefined) return reply.send(file.body.identity);
    return reply.header("content-encoding", encoding).send(file.body[encoding]);
  };
  // Already compressed here: @fastify/compress (app.ts) leaves these routes alone.
  const routeOptions = { schema: { hide: true }, compress: false as const };

  app.get("/", routeOptions, async (request, reply) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    if (!index) return reply.status(503).type("text/html; charset=utf-8").send(NO_BUILD_PAGE);
    return send(request, reply, index, "no-cache");
  });

  app.get<{ Params: { "*": string } }>("/assets/*", routeOptions, async (request, reply) => {
    const file = files.get(`assets/${request.params["*"]}`);
    if (!file) {
      return reply
        .status(404)
        .type("application/json; charset=utf-8")
        .send({ error: "not_found", message: `no dashboard file ${request.url}; reload the page (the dashboard may have been rebuilt)` });
    }
    // Vite puts a content hash in every asset name, so a name never changes content.
    return send(request, reply, file, "public, max-age=31536000, immutable");
  });
};
