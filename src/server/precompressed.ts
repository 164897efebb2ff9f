// Compressed answers (issue 15: the dashboard's 573 KB chart bundle and the API's JSON went out
// uncompressed). Two ways, each where it fits; measured on the 573 KB ECharts bundle
// (2026-12-04, node -e with zlib on the shared 2-core VM, load average about 14):
//
//   per request, @fastify/compress's defaults   brotli q4: 18 ms of CPU, 191 KB   gzip 6: 34 ms, 190 KB
//   once, at start (this file)                  brotli q9: 50-75 ms,     174 KB   gzip 9: 27 ms, 190 KB
//                                               (brotli q11: 1.9 s, 160 KB: too slow for every start)
//
// - The dashboard's files never change while the server runs (they are read once at start),
//   so they are compressed once there, brotli q9 and gzip 9, and each request only picks a
//   buffer: no CPU per request and a 9% smaller bundle than @fastify/compress would send.
// - The API's JSON is made per request, so app.ts registers @fastify/compress for it (1 KiB
//   threshold: the reference's prediction answer, tens of bytes, is never touched), and the
//   dashboard routes opt out of it.
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this size compression saves less than it costs the client to undo. */
export const COMPRESS_THRESHOLD = 1024;

export type Encoding = "br" | "gzip";

export interface Precompressed {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** The file and its brotli and gzip forms (none for small files or types that are compressed already). */
export async function precompress(body: Buffer, compressible: boolean): Promise<Precompressed> {
  if (!compressible || body.length < COMPRESS_THRESHOLD) return { identity: body };
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipAsync(body, { level: 9 }),
  ]);
  return { identity: body, br, gzip: gz };
}

/**
 * The encoding the client weighs highest (q) among those available, brotli first on a tie, or
 * undefined when it accepts neither (then the plain file goes out: identity is always acceptable here).
 */
export function chooseEncoding(acceptEncoding: string | string[] | undefined, available: Precompressed): Encoding | undefined {
  const accepted = acceptedEncodings(Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : (acceptEncoding ?? ""));
  let best: Encoding | undefined;
  let bestWeight = 0;
  for (const encoding of ["br", "gzip"] as const) {
    const weight = accepted.get(encoding) ?? accepted.get("*") ?? 0;
    if (available[encoding] && weight > bestWeight) [best, bestWeight] = [encoding, weight];
  }
  return best;
}

/** "gzip;q=0.5, br, *;q=0" -> {gzip: 0.5, br: 1, *: 0} (RFC 9110, 12.5.3). */
function acceptedEncodings(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  return weights;
}
