// The browser suite (npm run test:e2e): a real server, a real Chromium, one file at a time.
// Kept apart from `npm test` (the root vitest.config.ts excludes tests/e2e/**).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ciReporters } from "../ci-report.js";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    reporters: ciReporters(),
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    // Training a small model and driving a browser take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
