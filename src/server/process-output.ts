// A server whose standard output or error goes away keeps serving (issue 14, #5:
// `salescast serve … 2>&1 | head -2` closed the pipe during start-up; the next write failed
// with EPIPE, the unhandled stream error ended the process, and pino's exit hook then retried
// its buffered log lines on the closed pipe for ever: health checks hung, SIGTERM was ignored
// and the port stayed bound).
//
// Two parts: write errors on stdout and stderr are dropped (there is nowhere left to report
// them), and the server's log lines go through process.stdout itself (logStream) rather than
// a pino file-descriptor stream, whose exit hook is what looped.

let guarded = false;

/** Drops write errors (EPIPE, EIO…) on process.stdout and process.stderr from now on. Idempotent. */
export function ignoreClosedOutput(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
}

/** Where the server's log lines go: standard output, through the stream ignoreClosedOutput() guards. */
export function logStream(): NodeJS.WritableStream {
  return process.stdout;
}
