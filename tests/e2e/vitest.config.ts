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
    // expect.poll's own default is 1 s: too short for a click, a request and a render on a
    // loaded machine. A state that never comes still fails, after 30 s (Playwright's default
    // wait for an element, and waitForChart's).
    expect: { poll: { timeout: 30_000 } },
  },
});
