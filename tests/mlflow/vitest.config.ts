// The MLflow suite: needs a real MLflow server, so it runs only through `npm run test:mlflow`
// (scripts/test-mlflow.sh starts the server), never with `npm test`.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ciReporters } from "../ci-report.js";

export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), "../.."),
  test: {
    reporters: ciReporters(),
    include: ["tests/mlflow/**/*.test.ts"],
    // One file at a time: the outage test stops and restarts the shared server.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
