// The local model registry: versioned model folders per category under one root (the folder of
// train.checkpoint_path).
//
//   <root>/registry.json            the index (see registry-index.ts), replaced atomically
//   <root>/registry.lock            held while the index changes ('wx' file lock)
//   <root>/<safe dir>/v<N>/...      the files of version N (moved in whole by one rename)
//   <root>/.staging/<slug>-p<pid>h<host>-XXXXXX/  folders being written by a trainer; never read as models
//
// Readers only follow the index, so a staging folder or a version folder whose commit did not
// reach the index is invisible. A category name is only ever matched exactly against the index.
//
// What a killed trainer leaves behind is invisible, and removed by the next stage() or commit():
// staging folders of a process no longer running on this host (or older than stagingMaxAgeMs),
// index temporaries (registry.json.tmp-*), and version folders the index does not list (a
// commit killed between its rename and its index write; their numbers are not reused).
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { isErrno, syncDirectory, TMP_MARKER } from "../../util/atomic-file.js";
import { failpoint } from "../../util/failpoint.js";
import { hostTag, isDeadTaggedProcess } from "../../util/process-alive.js";
import { checkAlias, checkCategoryName, safeDirName } from "../names.js";
import {
  checkVersionMetadata,
  checkVersionNumber,
  DEFAULT_ALIAS,
  finiteMetrics,
  type ModelVersionInfo,
  RegistryError,
  type StagingRegistry,
  type VersionMetadata,
} from "../registry.js";
import { type LockOptions, withFileLock } from "./file-lock.js";
import { type CategoryRecord, readIndex, type RegistryIndex, type VersionRecord, writeIndex } from "./registry-index.js";

export interface CommitInfo extends VersionMetadata {
  runId?: string;
}

export interface RegistryOptions {
  lock?: Partial<LockOptions>;
  /** Staging folders older than this are removed by later stage() calls (a crashed trainer's leftovers). */
  stagingMaxAgeMs?: number;
}

const STAGING = ".staging";
const STAGING_NAME = /^[a-z0-9-]+-[A-Za-z0-9]{6}$/;
/** The owner part of a staging folder name made by stage(): -p<pid>h<host tag>-XXXXXX. */
const STAGING_OWNER = /-p(\d+)h([0-9a-f]{6})-[A-Za-z0-9]{6}$/;

export class LocalRegistry implements StagingRegistry {
  readonly kind = "local" as const;
  readonly root: string;
  private readonly indexPath: string;
  private readonly lockPath: string;
  private readonly stagingRoot: string;
  private readonly lockOptions: LockOptions;
  private readonly stagingMaxAgeMs: number;

  constructor(root: string, options: RegistryOptions = {}) {
    this.root = resolve(root);
    this.indexPath = join(this.root, "registry.json");
    this.lockPath = join(this.root, "registry.lock");
    this.stagingRoot = join(this.root, STAGING);
    this.lockOptions = { staleMs: 30_000, timeoutMs: 20_000, ...options.lock };
    this.stagingMaxAgeMs = options.stagingMaxAgeMs ?? 24 * 3600_000;
  }

  async stage(category: string): Promise<string> {
    checkCategoryName(category);
    await mkdir(this.stagingRoot, { recursive: true });
    await this.removeOldStaging();
    const slug = safeDirName(category).replace(/-[0-9a-f]+$/, "");
    return mkdtemp(join(this.stagingRoot, `${slug}-p${process.pid}h${hostTag()}-`));
  }

  async commit(category: string, stagingDir: string, info: CommitInfo): Promise<ModelVersionInfo> {
    checkCategoryName(category);
    checkVersionMetadata(info, "commit");
    const staged = await this.checkStaging(stagingDir);
    if ((await readdir(staged)).length === 0) {
      throw new RegistryError(`staging folder ${staged} is empty: write the model files into it before commit`, "invalid");
    }
    await mkdir(this.root, { recursive: true });
    return withFileLock(this.lockPath, this.lockOptions, async () => {
      const index = await readIndex(this.indexPath);
      const record = index.get(category) ?? this.newCategory(index, category);
      const categoryDir = join(this.root, record.dir);
      await mkdir(categoryDir, { recursive: true });
      // A crash after the rename but before the index write leaves a v<N> folder the index does
      // not know; counting folders on disk keeps the next version from colliding with it.
      const version = Math.max(0, ...record.versions.map((v) => v.version), ...(await versionFolders(categoryDir))) + 1;
      const target = join(categoryDir, `v${version}`);
      await this.removeLeftovers(record, categoryDir);
      await rename(staged, target);
      await syncDirectory(categoryDir);
      failpoint("registry:after-rename");
      const entry: VersionRecord = { version, createdAt: new Date().toISOString(), windowSize: info.windowSize };
      if (info.runId !== undefined) entry.runId = String(info.runId);
      if (info.metrics !== undefined) entry.metrics = finiteMetrics(info.metrics);
      if (info.heldBack !== undefined) entry.heldBack = String(info.heldBack);
      record.versions.push(entry);
      index.set(category, record);
      try {
        await writeIndex(this.indexPath, index);
      } catch (err) {
        await rename(target, staged).catch(() => undefined); // give the files back to the caller
        throw err;
      }
      failpoint("registry:after-index");
      return this.describe(record, entry);
    });
  }

  async discard(stagingDir: string): Promise<void> {
    await rm(await this.checkStaging(stagingDir), { recursive: true, force: true });
  }

  async categories(): Promise<string[]> {
    const index = await readIndex(this.indexPath);
    return [...index.values()]
      .filter((c) => c.versions.length > 0)
      .map((c) => c.name)
      .sort();
  }

  async versions(category: string): Promise<ModelVersionInfo[]> {
    const record = (await readIndex(this.indexPath)).get(category);
    return record ? record.versions.map((v) => this.describe(record, v)) : [];
  }

  /**
   * ref: a version number (or its digits as a string), an alias, or "latest"; default: "champion"
   * if set, else the latest version not held back.
   */
  async resolve(category: string, ref?: number | string): Promise<ModelVersionInfo | undefined> {
    const record = (await readIndex(this.indexPath)).get(category);
    if (!record || record.versions.length === 0) return undefined;
    const version = pickVersion(record, ref);
    const entry = record.versions.find((v) => v.version === version);
    return entry ? this.describe(record, entry) : undefined;
  }

  async setAlias(category: string, alias: string, version: number): Promise<void> {
    checkAlias(alias);
    checkVersionNumber(version);
    await this.changeAliases(category, (record) => {
      if (!record.versions.some((v) => v.version === version)) {
        const known = record.versions.map((v) => v.version).join(", ");
        throw new RegistryError(`category ${JSON.stringify(category)} has no version ${String(version)} (versions: ${known})`, "not_found");
      }
      record.aliases.set(alias, version);
    });
  }

  async removeAlias(category: string, alias: string): Promise<void> {
    await this.changeAliases(category, (record) => void record.aliases.delete(alias));
  }

  /** The version each category serves (its champion, else its latest not held back); categories with none are left out. */
  async list(): Promise<ModelVersionInfo[]> {
    const index = await readIndex(this.indexPath);
    const out: ModelVersionInfo[] = [];
    for (const name of [...index.keys()].sort()) {
      const record = index.get(name)!;
      const entry = record.versions.find((v) => v.version === pickVersion(record, undefined));
      if (entry) out.push(this.describe(record, entry));
    }
    return out;
  }

  private async changeAliases(category: string, change: (record: CategoryRecord) => void): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await withFileLock(this.lockPath, this.lockOptions, async () => {
      const index = await readIndex(this.indexPath);
      const record = index.get(category);
      if (!record || record.versions.length === 0) {
        throw new RegistryError(`no model registered for category ${JSON.stringify(category)}; train it first`, "not_found");
      }
      change(record);
      await writeIndex(this.indexPath, index);
    });
  }

  private newCategory(index: RegistryIndex, category: string): CategoryRecord {
    const used = new Set([...index.values()].map((c) => c.dir));
    // Two names with the same slug and the same short hash: lengthen the hash until unique.
    let dir = safeDirName(category);
    for (let length = 12; used.has(dir) && length <= 64; length += 6) dir = safeDirName(category, length);
    if (used.has(dir)) throw new RegistryError(`cannot find a folder name for category ${JSON.stringify(category)}`, "invalid");
    return { name: category, dir, versions: [], aliases: new Map() };
  }

  private describe(record: CategoryRecord, entry: VersionRecord): ModelVersionInfo {
    const info: ModelVersionInfo = {
      category: record.name,
      version: entry.version,
      dir: join(this.root, record.dir, `v${entry.version}`),
      createdAt: entry.createdAt,
      windowSize: entry.windowSize,
      aliases: [...record.aliases]
        .filter(([, v]) => v === entry.version)
        .map(([alias]) => alias)
        .sort(),
    };
    if (entry.runId !== undefined) info.runId = entry.runId;
    if (entry.metrics !== undefined) info.metrics = { ...entry.metrics };
    if (entry.heldBack !== undefined) info.heldBack = entry.heldBack;
    return info;
  }

  /** Only folders made by stage() may be committed or discarded: never an arbitrary path. */
  private async checkStaging(stagingDir: string): Promise<string> {
    const full = resolve(String(stagingDir));
    if (dirname(full) !== this.stagingRoot || !STAGING_NAME.test(basename(full))) {
      throw new RegistryError(`${stagingDir} is not a staging folder of this registry; get one from stage(category)`, "invalid");
    }
    try {
      if ((await stat(full)).isDirectory()) return full;
    } catch (err) {
      if (!isErrno(err, "ENOENT")) throw err;
    }
    throw new RegistryError(`staging folder ${stagingDir} does not exist (already committed or discarded?)`, "not_found");
  }

  private async removeOldStaging(): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.stagingRoot).catch(() => [] as string[])) {
      if (!STAGING_NAME.test(name)) continue;
      const full = join(this.stagingRoot, name);
      const owner = STAGING_OWNER.exec(name);
      const ownerGone = owner !== null && isDeadTaggedProcess(Number(owner[1]), owner[2]);
      const info = await stat(full).catch(() => undefined);
      if (info && (ownerGone || now - info.mtimeMs > this.stagingMaxAgeMs)) await rm(full, { recursive: true, force: true });
    }
  }

  /**
   * Under the lock: what a commit killed half-way left. Index temporaries can only be written
   * under this lock, so any present now is dead; a version folder the index does not list never
   * became visible (its number stays used: commit counts folders before calling this).
   */
  private async removeLeftovers(record: CategoryRecord, categoryDir: string): Promise<void> {
    const indexName = basename(this.indexPath);
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name.startsWith(`${indexName}${TMP_MARKER}`)) await rm(join(this.root, name), { force: true });
    }
    const listed = new Set(record.versions.map((v) => v.version));
    for (const version of await versionFolders(categoryDir)) {
      if (!listed.has(version)) await rm(join(categoryDir, `v${version}`), { recursive: true, force: true });
    }
  }
}

function pickVersion(record: CategoryRecord, ref: number | string | undefined): number | undefined {
  const latest = record.versions[record.versions.length - 1]?.version;
  if (ref === undefined) return record.aliases.get(DEFAULT_ALIAS) ?? record.versions.findLast((v) => v.heldBack === undefined)?.version;
  if (typeof ref === "number") return ref;
  if (/^\d+$/.test(ref)) return Number(ref);
  if (ref === "latest") return latest;
  return record.aliases.get(ref);
}

async function versionFolders(categoryDir: string): Promise<number[]> {
  const names = await readdir(categoryDir).catch(() => [] as string[]);
  return names.filter((n) => /^v\d+$/.test(n)).map((n) => Number(n.slice(1)));
}
