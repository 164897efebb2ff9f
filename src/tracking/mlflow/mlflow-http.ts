// The HTTP layer of the MLflow client: one base URL, authentication the way MLflow's own clients
// take it from the environment, JSON calls to /api/2.0/mlflow/..., raw bytes for the artifact
// proxy, and retries with backoff for what a retry can fix (network errors, 5xx, 429).
//
// A 4xx answer is the caller's mistake and is never retried; it becomes an MlflowApiError with
// MLflow's error_code. A server that stays unreachable becomes an MlflowUnavailableError, which
// the tracking store turns into "queue it on disk and send it later".

export interface RetryOptions {
  /** Attempts per request, the first included. */
  attempts: number;
  /** Delay before the 2nd attempt; doubled each time, capped by maxDelayMs, with ±25% jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned (and retried) after this long. */
  timeoutMs: number;
  /**
   * The whole call, every attempt and wait included, is given up after this long (the CLI's
   * tracking.timeout_seconds); unset: the attempts alone bound it. A server that accepts the
   * connection and never answers would otherwise cost attempts x timeoutMs.
   */
  totalMs?: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, timeoutMs: 30_000 };

export interface MlflowHttpOptions {
  retry?: Partial<RetryOptions>;
  /** Where MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD are read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Replaceable for tests; defaults to the global fetch of Node 20. */
  fetch?: typeof fetch;
  /** Told when an attempt got no answer in time and another follows (the CLI prints it, so a wait is never silent). */
  onWait?: (message: string) => void;
}

/** MLflow answered with an error the caller can fix (bad value, unknown name, conflict, auth). */
export class MlflowApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string,
  ) {
    super(message);
    this.name = "MlflowApiError";
  }
}

/** The server could not be reached, or kept failing, after every retry. */
export class MlflowUnavailableError extends Error {
  constructor(
    message: string,
    readonly lastCause?: unknown,
  ) {
    super(message);
    this.name = "MlflowUnavailableError";
  }
}

/** The Authorization header MLflow's clients would send, or undefined for none. */
export function authorizationFromEnv(env: Record<string, string | undefined>): string | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return `Bearer ${token}`;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (user === undefined && password === undefined) return undefined;
  if (!user || password === undefined) {
    throw new Error(
      "MLflow basic authentication needs both MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD " +
        `(only ${user ? "the username" : "the password"} is set); set both, or MLFLOW_TRACKING_TOKEN for a bearer token`,
    );
  }
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** "http://user:secret@host:5005/" -> "http://host:5005": never print a password in a message. */
export function displayUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/+$/, "");
  } catch {
    return uri;
  }
}

export type Query = Record<string, string | number | undefined>;

export class MlflowHttp {
  readonly baseUrl: string;
  readonly retry: RetryOptions;
  private readonly authorization: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly onWait: (message: string) => void;

  constructor(uri: string, options: MlflowHttpOptions = {}) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new Error(`tracking.uri ${JSON.stringify(uri)} is not a valid URL; use http(s)://host:port of an MLflow server`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`tracking.uri ${displayUri(uri)}: an MLflow server is reached over http:// or https://`);
    }
    if (url.search || url.hash) {
      throw new Error(`tracking.uri ${displayUri(uri)} has a query or fragment; give only scheme, host, port and path prefix`);
    }
    // Credentials in the URL are honoured like MLflow's clients do, but kept out of messages.
    let authorization = authorizationFromEnv(options.env ?? process.env);
    if (!authorization && url.username) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      authorization = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
    }
    url.username = "";
    url.password = "";
    this.baseUrl = url.toString().replace(/\/+$/, "");
    this.authorization = authorization;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.onWait = options.onWait ?? (() => undefined);
    checkRetry(this.retry);
  }

  /** GET /api/2.0/mlflow/<endpoint>?query. */
  get<T>(endpoint: string, query: Query = {}): Promise<T> {
    return this.json<T>("GET", `/api/2.0/mlflow/${endpoint}${queryString(query)}`);
  }

  /** POST /api/2.0/mlflow/<endpoint> with a JSON body. */
  post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.json<T>("POST", `/api/2.0/mlflow/${endpoint}`, body);
  }

  /** DELETE /api/2.0/mlflow/<endpoint> with a JSON body (MLflow's alias deletion takes one). */
  delete<T>(endpoint: string, body: unknown): Promise<T> {
    return this.json<T>("DELETE", `/api/2.0/mlflow/${endpoint}`, body);
  }

  /** PUT raw bytes to a path under the server (the artifact proxy). */
  async putBytes(path: string, data: Uint8Array): Promise<void> {
    await this.request("PUT", path, { body: data, contentType: "application/octet-stream" });
  }

  /** DELETE a path under the server (a file of the artifact proxy). */
  async deletePath(path: string): Promise<void> {
    await this.request("DELETE", path, {});
  }

  /** GET raw bytes from a path under the server (the artifact proxy). */
  async getBytes(path: string): Promise<Uint8Array> {
    const response = await this.request("GET", path, {});
    return new Uint8Array(await response.arrayBuffer());
  }

  /** GET a JSON document from any path under the server (the artifact proxy's listing). */
  async getJson<T>(path: string): Promise<T> {
    return this.json<T>("GET", path);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: "application/json" });
    const text = await response.text();
    if (text.trim() === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MlflowApiError(
        `${method} ${path}: the server answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        response.status,
        "BAD_RESPONSE",
      );
    }
  }

  private async request(method: string, path: string, payload: { body?: string | Uint8Array; contentType?: string }): Promise<Response> {
    const url = this.baseUrl + path;
    const headers: Record<string, string> = { accept: "application/json" };
    if (payload.contentType) headers["content-type"] = payload.contentType;
    if (this.authorization) headers.authorization = this.authorization;
    let lastProblem = "";
    let lastCause: unknown;
    const started = Date.now();
    const deadline = this.retry.totalMs === undefined ? Infinity : started + this.retry.totalMs;
    const where = `${method} ${path.split("?")[0]}`;
    let made = 0;
    let silent = 0; // attempts that got no answer at all before their timeout
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (attempt > 1) {
        const wait = backoffMs(this.retry, attempt - 1);
        if (Date.now() + wait >= deadline) break;
        await sleep(wait);
      }
      const attemptMs = Math.min(this.retry.timeoutMs, deadline - Date.now());
      if (attemptMs <= 0) break;
      made++;
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          // Node accepts any Uint8Array as a body; the DOM typings want an ArrayBuffer-backed one.
          body: payload.body as RequestInit["body"],
          signal: AbortSignal.timeout(attemptMs),
        });
      } catch (err) {
        lastCause = err;
        lastProblem = describeNetworkError(err, attemptMs);
        if (isTimeout(err)) {
          silent++;
          if (attempt < this.retry.attempts && Date.now() < deadline) {
            const until = Number.isFinite(deadline) ? `, giving up ${seconds(deadline - started)} s after the first try` : "";
            this.onWait(`MLflow server ${this.baseUrl} has not answered ${where} within ${seconds(attemptMs)} s; trying again${until}`);
          }
        }
        continue;
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => "");
      if (response.status >= 500 || response.status === 429) {
        lastProblem = `HTTP ${response.status} ${summarise(text)}`;
        continue;
      }
      throw apiError(method, path, response.status, text, this.baseUrl);
    }
    if (made > 0 && silent === made) {
      // Connected (or at least not refused) and then silence: a hung server, or not an MLflow server at all.
      throw new MlflowUnavailableError(
        `MLflow server ${this.baseUrl} sent no answer to ${where} within ${seconds(Date.now() - started)} s (${made} attempt${made === 1 ? "" : "s"}). ` +
          "Something at that address takes the connection but does not answer as MLflow does: check that tracking.uri / MLFLOW_TRACKING_URI " +
          "names the MLflow server (host, port and path prefix) and that the server is not stuck; for a slow server raise " +
          "tracking.timeout_seconds (commands) or tracking.registry_timeout_seconds (serve).",
        lastCause,
      );
    }
    throw new MlflowUnavailableError(
      `MLflow server ${this.baseUrl} did not answer ${where} after ${made} attempt${made === 1 ? "" : "s"} ` +
        `(last: ${lastProblem}). Is it running? Check tracking.uri / MLFLOW_TRACKING_URI.`,
      lastCause,
    );
  }
}

function apiError(method: string, path: string, status: number, text: string, baseUrl: string): MlflowApiError {
  let errorCode = `HTTP_${status}`;
  let message = summarise(text);
  try {
    const parsed = JSON.parse(text) as { error_code?: string; message?: string };
    if (parsed.error_code) errorCode = parsed.error_code;
    if (parsed.message) message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  const where = `${method} ${path.split("?")[0]}`;
  if (status === 401 || status === 403) {
    return new MlflowApiError(
      `MLflow server ${baseUrl} refused ${where} (HTTP ${status}: ${message}). ` +
        "Set MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic) to credentials it accepts.",
      status,
      errorCode,
    );
  }
  return new MlflowApiError(`MLflow ${where}: ${message} (${errorCode})`, status, errorCode);
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/** Milliseconds as seconds for a message: "1.5", "30". */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

function summarise(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}...` : oneLine;
}

export function backoffMs(retry: RetryOptions, retryNumber: number): number {
  const base = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

function checkRetry(retry: RetryOptions): void {
  if (!Number.isSafeInteger(retry.attempts) || retry.attempts < 1) throw new Error(`MLflow retry attempts must be an integer >= 1, got ${retry.attempts}`);
  for (const key of ["baseDelayMs", "maxDelayMs", "timeoutMs"] as const) {
    if (!Number.isFinite(retry[key]) || retry[key] < 0) throw new Error(`MLflow retry ${key} must be a number >= 0, got ${retry[key]}`);
  }
  if (retry.totalMs !== undefined && !(Number.isFinite(retry.totalMs) && retry.totalMs > 0)) {
    throw new Error(`MLflow retry totalMs must be a number > 0, got ${retry.totalMs}`);
  }
}

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
