// A lingering close for refused bodies (issue 14, #13). Fastify answers a body over
// app.body_limit with 413 and "Connection: close" as soon as it knows (from Content-Length, or
// once the limit is passed), and Node then closes the socket with the rest of the body unread.
// Closing a socket that still has unread data makes the kernel send a reset, so a client that
// writes its whole body before reading (Python's http.client, many SDKs) gets a broken pipe
// instead of the 413. So before such an answer goes out, the rest of the body is read and
// thrown away, up to app.body_drain_limit bytes and app.body_drain_timeout_ms: the client
// finishes writing, reads the 413, and the connection closes cleanly. A body beyond that bound
// is not read: the answer goes out at once and the connection closes as before.
import type { IncomingMessage } from "node:http";
import type { BodyDrain } from "./options.js";

/** Resolves once the rest of `request`'s body has been read and discarded, or the bound is reached. */
export function drainBody(request: IncomingMessage, drain: BodyDrain): Promise<void> {
  if (bodyReceived(request) || drain.maxBytes === 0 || drain.timeoutMs === 0) return Promise.resolve();
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > drain.maxBytes) return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    const finish = () => {
      clearTimeout(timer);
      request.off("data", onData).off("end", finish).off("close", finish).off("error", finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > drain.maxBytes) finish();
    };
    const timer = setTimeout(finish, drain.timeoutMs);
    request.on("data", onData).once("end", finish).once("close", finish).once("error", finish);
    request.resume();
  });
}

/**
 * True when an answer is about to close the connection while the request's body is still
 * arriving: Fastify marks refused bodies (too large, unreadable) "Connection: close".
 */
export function closesWithUnreadBody(request: IncomingMessage, connectionHeader: unknown): boolean {
  return !bodyReceived(request) && String(connectionHeader ?? "").toLowerCase() === "close";
}

/** The whole body has arrived (`complete`, on a socket) or been read to its end (also true of inject()'s requests). */
function bodyReceived(request: IncomingMessage): boolean {
  return request.complete || request.readableEnded;
}
