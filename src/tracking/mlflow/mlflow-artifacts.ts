// Artifacts through the tracking server's proxy (/api/2.0/mlflow-artifacts/artifacts/...), the
// way `mlflow server --serve-artifacts` (the default since MLflow 2) exposes them: salescast
// needs no cloud credentials, only the server. Every name is checked with the local store's
// rules, so a path that leaves the run's folder is refused before it is sent.
import { lstat, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { MlflowHttp } from "./mlflow-http.js";
import { TrackingError } from "../store.js";
import { artifactSegments, checkSegment, statArtifactSource } from "../validate.js";

const PROXY_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

/**
 * "mlflow-artifacts:/1/<run>/artifacts" (or "mlflow-artifacts://host:port/1/...") -> the segments
 * after the scheme, which the proxy takes as its path. Any other location means the server does
 * not proxy artifacts for this experiment.
 */
export function proxyRoot(artifactUri: string): string[] {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) {
    throw new TrackingError(
      `the artifact location ${JSON.stringify(artifactUri)} is not served by the tracking server's proxy; ` +
        "start `mlflow server` with --serve-artifacts (the default) and --artifacts-destination, and use an experiment created by that server",
      "invalid",
    );
  }
  const segments = match[1].split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === ".."))
    throw new TrackingError(`artifact location ${JSON.stringify(artifactUri)} contains "." or ".."`, "invalid");
  return segments.map((s) => decodeURIComponent(s));
}

export function proxyPath(root: string[], relative: string[]): string {
  return `${PROXY_PREFIX}/${[...root, ...relative].map(encodeURIComponent).join("/")}`;
}

/** A local file, or every file of a local folder, and where each goes under the artifact root. */
export async function filesToUpload(localPath: string, artifactPath?: string): Promise<Array<{ local: string; remote: string[] }>> {
  const folder = artifactSegments(artifactPath);
  const info = await statArtifactSource(localPath);
  const name = checkSegment(basename(localPath), "artifact file name", localPath);
  if (info.isFile()) return [{ local: localPath, remote: [...folder, name] }];
  if (!info.isDirectory()) throw new TrackingError(`cannot log artifact ${localPath}: not a regular file or folder`, "invalid");
  return (await walk(localPath, [])).map((relative) => ({ local: join(localPath, ...relative), remote: [...folder, name, ...relative] }));
}

async function walk(root: string, prefix: string[]): Promise<string[][]> {
  const out: string[][] = [];
  const entries = (await readdir(join(root, ...prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const relative = [...prefix, checkSegment(entry.name, "artifact file name", join(root, ...prefix, entry.name))];
    const full = join(root, ...relative);
    if (entry.isSymbolicLink()) {
      // A link to a file is followed (its content is sent); a link to a folder could loop.
      if ((await stat(full)).isFile()) out.push(relative);
      else throw new TrackingError(`cannot log artifact ${full}: links to folders are not followed`, "invalid");
    } else if ((await lstat(full)).isDirectory()) out.push(...(await walk(root, relative)));
    else if (entry.isFile()) out.push(relative);
    else throw new TrackingError(`cannot log artifact ${full}: only regular files and folders can be logged`, "invalid");
  }
  return out;
}

export async function uploadArtifact(http: MlflowHttp, root: string[], localPath: string, artifactPath?: string): Promise<void> {
  // Names are all checked before the first byte is sent, so a refused folder uploads nothing.
  const files = await filesToUpload(localPath, artifactPath);
  for (const file of files) await http.putBytes(proxyPath(root, file.remote), await readFile(file.local));
}

/** The file a dry write puts in a run's artifacts and removes at once. */
export const WRITE_CHECK_FILE = ".salescast-write-check";

/**
 * Writes a small file where the run's artifacts go, and removes it: the artifact settings of
 * the server are proven before hours of training depend on them. A server that cannot delete
 * proxied files (older ones) keeps the small file; that is not an error.
 */
export async function dryWriteArtifact(http: MlflowHttp, root: string[]): Promise<void> {
  const path = proxyPath(root, [WRITE_CHECK_FILE]);
  await http.putBytes(path, new TextEncoder().encode("salescast checks that it can store artifacts here\n"));
  await http.deletePath(path).catch(() => undefined);
}

interface ProxyListing {
  files?: Array<{ path: string; is_dir?: boolean; file_size?: number | string }>;
}

export interface RemoteFile {
  path: string[]; // relative to the listed folder
  size?: number;
}

/** Every file under root/relative, depth first, sorted. A missing folder gives []. */
export async function listRemoteFiles(http: MlflowHttp, root: string[], relative: string[] = []): Promise<RemoteFile[]> {
  const out: RemoteFile[] = [];
  const visit = async (prefix: string[]) => {
    const listing = await http.getJson<ProxyListing>(`${PROXY_PREFIX}?path=${encodeURIComponent([...root, ...relative, ...prefix].join("/"))}`);
    const files = [...(listing.files ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const file of files) {
      // The proxy lists names relative to the folder; older servers gave the whole path.
      const name =
        file.path
          .split("/")
          .filter((s) => s !== "")
          .pop() ?? "";
      checkSegment(name, "artifact name from the server", file.path);
      if (file.is_dir) await visit([...prefix, name]);
      else out.push({ path: [...prefix, name], ...(file.file_size !== undefined ? { size: Number(file.file_size) } : {}) });
    }
  };
  await visit([]);
  return out;
}

/** Downloads every file under root/relative into dest (which must exist), checking sizes the listing gave. */
export async function downloadTree(http: MlflowHttp, root: string[], relative: string[], dest: string): Promise<RemoteFile[]> {
  const files = await listRemoteFiles(http, root, relative);
  for (const file of files) {
    const bytes = await http.getBytes(proxyPath(root, [...relative, ...file.path]));
    if (file.size !== undefined && bytes.byteLength !== file.size) {
      throw new Error(`artifact ${file.path.join("/")}: downloaded ${bytes.byteLength} bytes, the server listed ${file.size}; try again`);
    }
    await mkdir(join(dest, ...file.path.slice(0, -1)), { recursive: true });
    await writeFile(join(dest, ...file.path), bytes);
  }
  return files;
}
