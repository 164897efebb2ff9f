// The dashboard's API key handling (web/src/lib/api-key.ts) without a browser: fetch and
// sessionStorage are stood in for by a fake server that wants one key, and the prompt by a
// function that answers as a person would. The browser suite (tests/e2e/api-key.test.ts)
// drives the real dialog against the real server.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchWithKey, keyProblem, onKeyNeeded, storedKey, type KeyRequest } from "../../web/src/lib/api-key.js";

const KEY = "the-right-key-0123456789";

/** A server that answers 200 only to "Bearer <KEY>", and remembers the authorization headers it got. */
function fakeServer() {
  const seen: Array<string | undefined> = [];
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const auth = (init.headers as Record<string, string> | undefined)?.authorization;
    seen.push(auth);
    if (auth === `Bearer ${KEY}`) return new Response(JSON.stringify({ ok: true }), { status: 200 });
    const message = auth === undefined ? "this route needs the API key" : "the API key is wrong";
    return new Response(JSON.stringify({ error: "unauthorized", message }), { status: 401 });
  });
  return { fetch, seen };
}

let storage: Map<string, string>;
let unregister: (() => void) | undefined;

beforeEach(() => {
  storage = new Map();
  vi.stubGlobal("sessionStorage", {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  });
});
afterEach(() => {
  unregister?.();
  unregister = undefined;
  vi.unstubAllGlobals();
});

describe("fetchWithKey", () => {
  it("sends no header and asks nothing while the server does not refuse", async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => new Response("{}", { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    const ask = vi.fn(async () => KEY);
    unregister = onKeyNeeded(ask);
    expect((await fetchWithKey("/api/models", { method: "GET" })).status).toBe(200);
    expect(ask).not.toHaveBeenCalled();
    expect(fetch.mock.calls[0][1]).toEqual({ method: "GET" }); // no authorization header
  });

  it("asks on a 401, sends the request again with the key, and keeps it for the next requests", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    const asked: KeyRequest[] = [];
    unregister = onKeyNeeded(async (request) => (asked.push(request), `  ${KEY} `));
    const answer = await fetchWithKey("/api/train", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(answer.status).toBe(200);
    expect(asked).toEqual([{ message: "this route needs the API key", refused: false, training: true }]);
    expect(storedKey()).toBe(KEY); // trimmed
    expect((await fetchWithKey("/api/runs", { method: "GET" })).status).toBe(200);
    expect(asked).toHaveLength(1); // asked once
    expect(server.seen).toEqual([undefined, `Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(server.fetch.mock.calls[1][1].headers).toMatchObject({ "content-type": "application/json" }); // other headers kept
  });

  it("asks again, saying so, when the key entered is refused", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    const answers = ["wrong-key-000000000000", KEY];
    const asked: KeyRequest[] = [];
    unregister = onKeyNeeded(async (request) => (asked.push(request), answers.shift()));
    expect((await fetchWithKey("/api/models", {})).status).toBe(200);
    expect(asked).toEqual([
      { message: "this route needs the API key", refused: false, training: false },
      { message: "the API key is wrong", refused: true, training: false },
    ]);
  });

  it("lets the 401 through when the person cancels", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    unregister = onKeyNeeded(async () => undefined);
    const answer = await fetchWithKey("/api/train", { method: "POST" });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ message: "this route needs the API key" });
    expect(storedKey()).toBeUndefined();
  });

  it("asks once for all the requests refused at the same moment", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    let release: (key: string) => void = () => undefined;
    const ask = vi.fn(() => new Promise<string | undefined>((resolve) => (release = resolve)));
    unregister = onKeyNeeded(ask);
    const all = Promise.all(["settings", "categories", "models"].map((path) => fetchWithKey(`/api/${path}`, {})));
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10)); // the other two have their 401 by now
    release(KEY);
    expect((await all).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it("without a prompt (nothing registered), answers the 401 as it came", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    expect((await fetchWithKey("/api/models", {})).status).toBe(401);
    expect(server.fetch).toHaveBeenCalledTimes(1);
  });
});

describe("keyProblem", () => {
  it("takes printable ASCII (spaces inside too), refuses an empty key and what a header cannot carry", () => {
    expect(keyProblem(KEY)).toBeUndefined();
    expect(keyProblem("a key with spaces 123")).toBeUndefined();
    expect(keyProblem("   ")).toMatch(/Type the key/);
    expect(keyProblem("clé-secrète")).toMatch(/U\+00E9/);
    expect(keyProblem("tab\there")).toMatch(/U\+0009/);
  });
});
