import { defineConfig } from "vitest/config";
import { ciReporters } from "./tests/ci-report.js";

export default defineConfig({
  test: {
    reporters: ciReporters(),
    include: ["tests/**/*.test.ts"],
    // e2e (browser) and mlflow (real server) suites run from their own npm scripts.
    exclude: ["tests/e2e/**", "tests/mlflow/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
