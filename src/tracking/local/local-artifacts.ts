// Artifacts of the local store: copies of files (or folders) under <run>/artifacts/. Every name
// on the way in is checked, so a run's artifacts never point outside its folder.
import { lstat, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { copyFileAtomic, isErrno, TMP_MARKER } from "../../util/atomic-file.js";
import { TrackingError } from "../store.js";
import { artifactSegments, checkSegment, statArtifactSource } from "../validate.js";

export async function copyArtifact(artifactsDir: string, localPath: string, artifactPath?: string): Promise<void> {
  const folder = artifactSegments(artifactPath);
  const info = await statArtifactSource(localPath);
  const name = checkSegment(basename(localPath), "artifact file name", localPath);
  if (info.isFile()) {
    await copyFileAtomic(localPath, join(artifactsDir, ...folder, name));
    return;
  }
  if (!info.isDirectory()) throw new TrackingError(`cannot log artifact ${localPath}: not a regular file or folder`, "invalid");
  // Check every name before copying anything, so a refused folder leaves no partial copy.
  const files = await listFilesToCopy(localPath, []);
  for (const relative of files) {
    await copyFileAtomic(join(localPath, ...relative), join(artifactsDir, ...folder, name, ...relative));
  }
}

async function listFilesToCopy(root: string, prefix: string[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const entry of (await readdir(join(root, ...prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = [...prefix, checkSegment(entry.name, "artifact file name", join(root, ...prefix, entry.name))];
    const full = join(root, ...relative);
    // Symbolic links to folders are refused: they could loop or pull in half the disk.
    const kind = entry.isSymbolicLink() ? await stat(full) : await lstat(full);
    if (kind.isDirectory() && !entry.isSymbolicLink()) out.push(...(await listFilesToCopy(root, relative)));
    else if (kind.isFile()) out.push(relative);
    else throw new TrackingError(`cannot log artifact ${full}: only regular files and folders can be logged`, "invalid");
  }
  return out;
}

/** Relative paths ("plots/eval.png") of every artifact, sorted; temporary files are skipped. */
export async function listArtifacts(artifactsDir: string, prefix: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(artifactsDir, ...prefix), { withFileTypes: true });
  } catch (err) {
    if (isErrno(err, "ENOENT")) return [];
    throw err;
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.includes(TMP_MARKER)) continue;
    if (entry.isDirectory()) out.push(...(await listArtifacts(artifactsDir, [...prefix, entry.name])));
    else if (entry.isFile()) out.push([...prefix, entry.name].join("/"));
  }
  return out.sort();
}

/** The absolute file of one artifact; unknown or unsafe paths are refused. */
export async function resolveArtifact(artifactsDir: string, runId: string, relative: string): Promise<string> {
  const segments = artifactSegments(relative);
  if (segments.length === 0) throw new TrackingError("artifact path is empty; name a file inside the run's artifacts", "invalid");
  const full = join(artifactsDir, ...segments);
  try {
    if ((await lstat(full)).isFile()) return full;
  } catch (err) {
    if (!isErrno(err, "ENOENT") && !isErrno(err, "ENOTDIR")) throw err;
  }
  throw new TrackingError(`run ${runId} has no artifact file "${relative}"`, "not_found");
}
