// One place decides where things are printed: results on stdout (one JSON object with --json),
// logs and progress on stderr, so `salescast x --json | jq` always works.
export interface Output {
  json: boolean;
  log(message: string): void;
  result(value: unknown, text: () => string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    log: (message) => process.stderr.write(`${message}\n`),
    result: (value, text) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`),
  };
}
