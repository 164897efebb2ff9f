// Builds the dashboard into dist/web, which `salescast serve` serves at "/".
// During development (`npx vite --config web/vite.config.ts`) /api is proxied to a running
// `salescast serve` (SALESCAST_API, default http://127.0.0.1:8000), so the page talks to the
// same routes in both cases and never needs a second origin.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../dist/web", import.meta.url));
const apiTarget = process.env.SALESCAST_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  root: webRoot,
  // Relative asset URLs: the built page works wherever the server mounts it.
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: {
    // Let any library that asks for React get Preact's compatible layer (none does today).
    alias: { react: "preact/compat", "react-dom": "preact/compat" },
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    // ECharts is most of the bytes; it gets its own chunk so the app code caches separately.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: "echarts", test: /node_modules[\\/](echarts|zrender)/ }] },
      },
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
});
