// The local cache of versions downloaded from an MLflow registry, one folder per version:
//
//   <cacheRoot>/<safe dir of the category>/v<N>/...   the files of the version's source, as in the run
//
// A version is downloaded into a hidden folder beside its final place and renamed into place
// whole, so a reader (or a crash) sees a complete version or none. Versions never change on the
// server, so a folder that exists is never downloaded again.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { downloadTree, type MlflowTrackingStore, proxyRoot } from "../../tracking/mlflow/index.js";
import { artifactSegments } from "../../tracking/validate.js";
import { isErrno } from "../../util/atomic-file.js";
import { safeDirName } from "../names.js";
import { RegistryError } from "../registry.js";

const PARTIAL_PREFIX = ".download-";
const PARTIAL_MAX_AGE_MS = 3600_000;

export function versionCacheDir(cacheRoot: string, category: string, version: number): string {
  return join(resolve(cacheRoot), safeDirName(category, 12), `v${version}`);
}

/** Downloads a version's source into dir unless it is already there; returns the relative paths fetched. */
export async function downloadVersion(store: MlflowTrackingStore, source: string, dir: string): Promise<string[]> {
  if (await isFolder(dir)) return [];
  const { root, relative } = await sourceLocation(store, source);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  await removeOldPartials(parent);
  const partial = join(parent, `${PARTIAL_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
  await mkdir(partial);
  try {
    const files = await downloadTree(store.http, root, relative, partial);
    if (files.length === 0)
      throw new RegistryError(`the model version at ${source} has no files on the server; register it again from a run with artifacts`, "not_found");
    try {
      await rename(partial, dir);
    } catch (err) {
      // Another process finished the same version first: keep theirs.
      if (!(isErrno(err, "ENOTEMPTY") || isErrno(err, "EEXIST")) || !(await isFolder(dir))) throw err;
    }
    return files.map((f) => f.path.join("/"));
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** mlflow-artifacts:/<experiment>/<run>/artifacts[/path] or runs:/<run>/<path> -> proxy root and path below it. */
async function sourceLocation(store: MlflowTrackingStore, source: string): Promise<{ root: string[]; relative: string[] }> {
  if (source.startsWith("mlflow-artifacts:")) return { root: proxyRoot(source), relative: [] };
  const runs = /^runs:\/([0-9a-f]{32})(?:\/(.*))?$/.exec(source);
  if (runs) return { root: await store.artifactRoot(runs[1]), relative: artifactSegments(runs[2] ?? "", "model source path") };
  throw new RegistryError(
    `cannot download model source ${JSON.stringify(source)}: salescast reads versions whose source is a run's artifacts ` +
      "served by the tracking server (mlflow-artifacts:/... or runs:/...)",
    "invalid",
  );
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    if (isErrno(err, "ENOENT")) return false;
    throw err;
  }
}

/** Leftovers of downloads a crash interrupted. Recent ones may belong to a live download: kept. */
async function removeOldPartials(parent: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(PARTIAL_PREFIX)) continue;
    const info = await stat(join(parent, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > PARTIAL_MAX_AGE_MS) await rm(join(parent, name), { recursive: true, force: true });
  }
}
