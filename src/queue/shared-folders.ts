// Where the data and models live when workers run on other machines, and the check that they
// really are shared.
//
// Supported: the sales file and the model registry folder (and the run store, when tracking.uri
// is a folder rather than an MLflow server) in a folder every machine mounts at the same path
// (NFS, a Compose volume): a job carries the submitter's absolute paths. Runs may instead go to
// an MLflow server every worker reaches; the registry folder is written either way (MLflow's
// registry keeps a copy). Not supported: object store URLs, and folders that are only local to
// each machine: a model registered there would be invisible to the submitter and the server.
//
// A folder that merely exists on both machines is not proof that it is the same folder, so the
// submitter leaves an identity file in each folder the workers write (a random id, made once),
// puts the ids in the job, and a worker refuses a job whose folders hold no id or another one.
// The sales file needs no id: its sha256 is checked (worker.ts).
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { access, link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { registryRoot } from "../config/paths.js";
import { tmpPathFor } from "../util/atomic-file.js";
import { JobRefusedError } from "./errors.js";

const ID_FILE = ".salescast-folder-id";

/** Folder path -> its identity, for every folder a worker writes to (config with absolute paths). */
export type FolderIds = Record<string, string>;

/** The folders a worker writes: the registry, and the run store when it is a folder. */
export function writtenFolders(config: Config): string[] {
  const folders = [registryRoot(config)];
  if (!/^https?:\/\//i.test(config.tracking.uri)) folders.push(config.tracking.uri);
  return [...new Set(folders)];
}

/** Submitter: each folder's identity, created (with the folder) the first time. */
export async function folderIds(config: Config): Promise<FolderIds> {
  const ids: FolderIds = {};
  for (const folder of writtenFolders(config)) ids[folder] = await folderId(folder);
  return ids;
}

async function folderId(folder: string): Promise<string> {
  const path = join(folder, ID_FILE);
  const existing = await readId(path);
  if (existing) return existing;
  await mkdir(folder, { recursive: true });
  // Written whole beside it, then linked into place: link refuses an existing name, so two
  // submitters starting together agree on the first id, and nobody reads half of one.
  const tmp = tmpPathFor(path);
  await writeFile(tmp, `${randomUUID()}\n`);
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  return (await readId(path))!;
}

async function readId(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Worker: refuses the job (JobRefusedError, with the reason) unless it sees the submitter's folders. */
export async function checkSharedFolders(expected: FolderIds, jobName: string): Promise<void> {
  for (const [folder, id] of Object.entries(expected)) {
    const here = await readId(join(folder, ID_FILE));
    if (here === id) continue;
    throw new JobRefusedError(
      `job ${jobName} writes to ${folder}, and on this worker (${hostname()}) that folder ${here ? "is another one than the submitter's (its identity differs)" : "is missing or is not the submitter's"}: ` +
        "a model or run written there would be invisible to the submitter. Mount the submitter's folder at the same path on every worker " +
        "(a shared folder: NFS, a Compose volume), or use an MLflow server every machine reaches for tracking.uri; see README, Running workers",
    );
  }
}

/** Worker: refuses the job when the sales file is not at the path the job names. */
export async function checkSalesFileReachable(path: string, jobName: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new JobRefusedError(
      `job ${jobName} reads the sales file ${path}, which this worker (${hostname()}) cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        "every worker must reach the submitter's sales file at the same path (a shared folder mounted there); object store URLs are not supported",
    );
  }
}
