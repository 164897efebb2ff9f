// ESLint (`npm run lint`, a step of .ci/run): ESLint's and typescript-eslint's recommended rules
// over the project's own code. Not type-aware (tsc checks types: `npm run typecheck`), which keeps
// a full run to seconds. A rule is turned off or tuned only with a comment saying why.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // Generated files (regenerate them instead: `npm run gen:api-types`, `npm run gen:model-kinds`),
    // build output, and test fixtures (data written by tools/, not code of ours).
    ignores: ["dist/**", "node_modules/**", "web/src/api-types.gen.ts", "src/config/model-kinds.ts", "tests/fixtures/**", "native/build/**", ".venv*/**"],
  },
  {
    files: [
      "src/**/*.ts",
      "bench/**/*.ts",
      "tools/**/*.ts",
      "tests/**/*.ts",
      "web/src/**/*.{ts,tsx}",
      "scripts/**/*.mjs",
      "bin/**/*.js",
      "web/*.ts",
      "*.{js,mjs,ts}",
    ],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A name that starts with `_` is unused on purpose (a callback's position); so is a key left
      // out of an object by destructuring it beside a rest (`const { rows: _rows, ...rest } = r`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Tests reach into JSON replies and reports whose shape is what they check, and into private
    // parts of the objects under test; `any` there is the assertion's input. The code under test
    // (src/, bench/, tools/, web/) keeps the rule.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["web/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
