import { defineConfig } from "vitest/config";
import { ciReporters } from "./tests/ci-report.js";

export default defineConfig({
  test: {
    reporters: ciReporters(),
    include: ["tests/**/*.test.ts"],
    // e2e (browser), mlflow (real server) and queue (real Redis) suites run from their own npm scripts.
    exclude: ["tests/e2e/**", "tests/mlflow/**", "tests/queue/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
