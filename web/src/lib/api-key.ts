// The server's API key, for people (issue 18). A server that listens beyond loopback needs it
// for training, and with app.read_auth for everything but its probes; scripts send it as
// "Authorization: Bearer <key>", and so does the dashboard once it has it:
// - asked only when an answer is 401, once for all the requests refused at that moment;
// - kept in sessionStorage: this tab only, gone when it closes (never localStorage, never a
//   cookie, which the browser would also send on requests other sites make);
// - a key the server refuses is asked again, saying so; cancelling lets the 401 through as the
//   page's usual error message.
// The prompt itself is a component (components/key-dialog.tsx) that registers with onKeyNeeded.

const STORAGE_KEY = "salescast.api_key";

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage blocked: the key is asked again on the next 401
  }
}

function storeKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // kept nowhere: every 401 asks again
  }
}

export interface KeyRequest {
  /** The server's message for the 401. */
  message: string;
  /** True when the refused request started training (the only routes that need the key unless app.read_auth is on). */
  training: boolean;
  /** True when a key was sent and refused (a wrong key), false when none was sent. */
  refused: boolean;
}

/** Asks a person for the key; undefined when they cancel. */
export type KeyPrompt = (request: KeyRequest) => Promise<string | undefined>;

let prompt: KeyPrompt | undefined;
let asking: Promise<string | undefined> | undefined;

/** Registers the prompt (one at a time); returns what unregisters it. */
export function onKeyNeeded(ask: KeyPrompt): () => void {
  prompt = ask;
  return () => {
    if (prompt === ask) prompt = undefined;
  };
}

/**
 * Why a key typed by a person cannot be sent, or undefined when it can: a header carries
 * printable ASCII only, as the server requires of its key.
 */
export function keyProblem(key: string): string | undefined {
  if (key.trim() === "") return "Type the key (the server's SALESCAST_API_KEY).";
  const bad = [...key.trim()].find((c) => c < " " || c > "~");
  if (bad !== undefined)
    return `A key has letters, digits, punctuation and spaces only; this one has U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}.`;
  return undefined;
}

function withKey(init: RequestInit, key: string | undefined): RequestInit {
  if (key === undefined) return init;
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${key}` } };
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as { message?: unknown };
    if (typeof body.message === "string" && body.message !== "") return body.message;
  } catch {
    // not JSON
  }
  return "This server needs its API key.";
}

/** fetch() with the stored key; on a 401 asks for the key and sends the request again with it. */
export async function fetchWithKey(url: string, init: RequestInit): Promise<Response> {
  for (;;) {
    const sent = storedKey();
    const response = await fetch(url, withKey(init, sent));
    if (response.status !== 401 || prompt === undefined) return response;
    const message = await messageOf(response);
    // Another request's prompt may have stored a key meanwhile: try that one first. From here
    // to the assignment nothing awaits, so requests refused together share one prompt.
    if (storedKey() !== sent) continue;
    const training = /\/api\/train(_all)?$/.test(new URL(url, "http://x").pathname);
    asking ??= prompt({ message, refused: sent !== undefined, training }).finally(() => {
      asking = undefined;
    });
    const entered = await asking;
    if (entered === undefined) return response;
    if (storedKey() === sent) storeKey(entered.trim());
  }
}
