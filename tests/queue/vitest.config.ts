// The queue suite: needs a real Redis and the built CLI, so it runs only through
// `npm run test:queue` (scripts/test-queue.sh starts Redis), never with `npm test`.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ciReporters } from "../ci-report.js";

export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), "../.."),
  test: {
    reporters: ciReporters(),
    include: ["tests/queue/**/*.test.ts"],
    // One file at a time: each starts several worker processes on a two-core machine.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
