// The registry contract (tests/registry/contract.ts), which the local registry passes in
// `npm test`, run against MlflowRegistry on the real server `npm run test:mlflow` starts. A
// version is registered the way training does it: a run whose artifacts hold the model under
// "model/", then registerRun. Each case gets its own registered-model name prefix, so it starts
// from an empty registry on the shared server.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { MlflowRegistry } from "../../src/registry/index.js";
import { MlflowTrackingStore } from "../../src/tracking/index.js";
import { runRegistryContract, type RegistryUnderTest } from "../registry/contract.js";
import { serverUri, uniqueSuffix } from "./helpers.js";

const suffix = uniqueSuffix();
const folders: string[] = [];
let opened = 0;
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function underTest(prefix: string, root: string, work: string): RegistryUnderTest {
  const store = new MlflowTrackingStore(serverUri(), { pendingDir: join(work, "pending") });
  const registry = new MlflowRegistry(store, { cacheRoot: root, modelNamePrefix: prefix });
  let files = 0;
  return {
    registry,
    root,
    async addVersion(category, contents, info) {
      // The run carries no category name: a name the registry must refuse is refused by the registry, not by the tracking store.
      const runId = await store.createRun(await store.getOrCreateExperiment(`registry-contract-${suffix}`), "registry contract", {});
      const folder = join(work, `files-${++files}-${process.hrtime.bigint()}`);
      await mkdir(folder, { recursive: true });
      for (const [name, text] of Object.entries(contents)) {
        await writeFile(join(folder, name), text);
        await store.logArtifact(runId, join(folder, name), "model");
      }
      await store.endRun(runId, "FINISHED");
      const { modelName: _modelName, ...version } = await registry.registerRun(category, runId, info);
      return version;
    },
    reopen: async () => underTest(prefix, root, work),
  };
}

runRegistryContract(
  "mlflow",
  async () => {
    const parent = await mkdtemp(join(tmpdir(), "salescast-mlflow-registry-contract-"));
    folders.push(parent);
    const work = join(tmpdir(), `${parent.split("/").pop()}-work`);
    folders.push(work);
    return underTest(`contract-${suffix}-${++opened}-`, join(parent, "model-cache"), work);
  },
  {
    skip: {
      "names with slashes, backslashes and drive letters stay names, never paths":
        'MLflow refuses "/" and ":" in registered model names; MlflowRegistry refuses such a category before sending it, with a message saying so (tests/mlflow/tracking.test.ts)',
    },
  },
);
