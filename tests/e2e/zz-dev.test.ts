// TEMPORARY dev server for manual checks (deleted before the report).
import { writeFileSync } from "node:fs";
import { it } from "vitest";
import { makeProject } from "./support/project.js";
import { startTestServer } from "./support/server.js";

it("dev server", async () => {
  const project = await makeProject({ pretrain: ["Beauty", "Electronics"] });
  const server = await startTestServer(project.config);
  writeFileSync("/tmp/e2e-dev-url", server.url);
  await new Promise((r) => setTimeout(r, 1_500_000));
}, 1_600_000);
