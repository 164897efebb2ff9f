// The API key rule for routes that start work (training): when the server has a key (always
// when it listens beyond loopback), requests must send "Authorization: Bearer <key>".
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** A preHandler that refuses requests without the key; a no-op when no key is required. */
export function apiKeyCheck(required: boolean, apiKey: string | undefined) {
  const expected = apiKey === undefined ? undefined : digest(apiKey);
  return async (request: FastifyRequest): Promise<void> => {
    if (!required || expected === undefined) return;
    const header = request.headers.authorization;
    // Everything after the scheme is the key, spaces included: the server accepts any key of
    // printable ASCII at start (options.ts), so any such key must also be accepted here.
    const sent = typeof header === "string" ? /^Bearer[ \t]+(.*)$/is.exec(header)?.[1].trim() : undefined;
    const challenge = { "www-authenticate": 'Bearer realm="salescast"' };
    if (!sent) {
      throw new HttpError(
        401,
        "unauthorized",
        'this route needs the API key: send the header "Authorization: Bearer <key>" (the key is the server\'s SALESCAST_API_KEY)',
        challenge,
      );
    }
    // Compare digests, not strings: equal length, constant time.
    if (!timingSafeEqual(digest(sent), expected)) {
      throw new HttpError(401, "unauthorized", "the API key is wrong; use the server's SALESCAST_API_KEY", challenge);
    }
  };
}
