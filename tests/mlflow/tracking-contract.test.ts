// The tracking contract (tests/tracking/contract.ts), which the local store passes in `npm test`,
// run against MlflowTrackingStore on the real server `npm run test:mlflow` starts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { MlflowTrackingStore } from "../../src/tracking/index.js";
import { runTrackingStoreContract } from "../tracking/contract.js";
import { serverUri } from "./helpers.js";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

// Each store gets its own offline queue folder; none is used while the server is up (the
// outage test covers the queue).
runTrackingStoreContract(
  "mlflow",
  async () => {
    const pendingDir = await mkdtemp(join(tmpdir(), "salescast-mlflow-contract-"));
    folders.push(pendingDir);
    return new MlflowTrackingStore(serverUri(), { pendingDir, retry: { attempts: 2, baseDelayMs: 100 } });
  },
  {
    skip: {
      "infinite metric values survive":
        "MLflow's SQL store (the server's SQLite backend here) keeps ±Infinity as ±1.8e308, the largest double; " +
        "tests/mlflow/tracking.test.ts checks that much",
    },
  },
);
