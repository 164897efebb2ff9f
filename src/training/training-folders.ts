// The folders a training writes, checked before it starts (issue 14, #10): the model registry
// (the folder of train.checkpoint_path) and, for the embedded store, the tracking store folder
// (tracking.uri). An MLflow server's own storage is the server's business.
import type { Config } from "../config/schema.js";
import { localRegistryRoot } from "../registry/index.js";
import { trackingStoreFor, type TrackingStore } from "../tracking/index.js";
import { checkWritableFolder } from "../util/writable-folder.js";

/** Throws FolderNotWritableError (naming the folder and the setting) unless training can write where it must. */
export async function checkTrainingFolders(config: Config, store: TrackingStore = trackingStoreFor(config)): Promise<void> {
  await checkWritableFolder(localRegistryRoot(config), "train.checkpoint_path", "the model registry folder");
  if (store.kind === "local") await checkWritableFolder(store.uri, "tracking.uri", "the tracking store folder");
}
