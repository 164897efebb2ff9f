// `salescast train` killed with SIGKILL at every failpoint (src/util/failpoint.ts); the seeded
// random kills are in train-random-kill.test.ts (a separate file, so the two run in parallel).
// After each kill: the registry lists only complete versions, the served model still loads
// and forecasts, nothing half-written is visible, the killed run is not FINISHED (it reads as
// FAILED "abandoned" once its process is gone), and the next training succeeds and removes
// what the crash left on disk.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAILPOINTS } from "../../src/util/failpoint.js";
import {
  builtCliProblem,
  CATEGORY,
  type Champion,
  createWorkspace,
  expectRegistryIntact,
  expectSafeAfterKill,
  leftovers,
  newestRun,
  runCli,
  trainChampion,
  type Workspace,
} from "./helpers.js";

const problem = builtCliProblem();

describe.skipIf(problem !== undefined)(`train killed with SIGKILL${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  let ws: Workspace;
  let champion: Champion;

  beforeAll(async () => {
    ws = await createWorkspace();
    champion = await trainChampion(ws);
  }, 60_000);
  afterAll(() => ws?.cleanup());

  // Ordered so that each crash's leftovers are seen before the next run cleans them.
  const ORDER = ["train:batch", "registry:after-index", "tracking:end-run", "checkpoint:after-weights", "registry:after-rename"] as const;

  // disk:full is not a kill (it raises ENOSPC): tests/reliability/disk-full.test.ts covers it.
  it("covers every failpoint", () => expect([...ORDER].sort()).toEqual(FAILPOINTS.filter((name) => name !== "disk:full").sort()));

  it.each(ORDER.map((name) => [name]))(
    "at failpoint %s",
    async (name) => {
      const before = (await ws.registry.versions(CATEGORY)).map((v) => v.version);
      const killed = await runCli(ws, ["train", "--json"], { SALESCAST_FAILPOINT: name === "train:batch" ? "train:batch@7" : name });
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      await expectSafeAfterKill(ws, champion, name);

      const after = (await ws.registry.versions(CATEGORY)).map((v) => v.version);
      const run = await newestRun(ws);
      expect(run.status).toBe("FAILED");
      expect(run.error).toMatch(/^abandoned: the process that ran it \(pid \d+\) ended before the run finished/);
      if (name === "registry:after-index" || name === "tracking:end-run") {
        // The commit reached the index: a complete new version, whose run did not finish recording.
        expect(after.length).toBe(before.length + 1);
      } else {
        expect(after).toEqual(before);
      }
      const all = await leftovers(ws);
      // Killed inside the commit, the lock file stays; the next commit breaks it at once (its pid is gone).
      const holdsLock = name === "registry:after-rename" || name === "registry:after-index";
      expect(all.includes("registry.lock")).toBe(holdsLock);
      const left = all.filter((f) => f !== "registry.lock");
      const listed = (await ws.registry.versions(CATEGORY)).map((v) => v.dir);
      for (const name of left) expect(listed).not.toContain(join(ws.registry.root, name));
      // What each crash leaves on disk (invisible through the registry, removed by the next run).
      if (name === "checkpoint:after-weights") expect(left.filter((f) => f.startsWith(".staging/"))).toHaveLength(1);
      else if (name === "registry:after-rename") expect(left.filter((f) => /\/v\d+$/.test(f))).toHaveLength(1);
      else expect(left).toEqual([]);
    },
    60_000,
  );

  it("the next training succeeds, removes what the crashes left and does not reuse their version numbers", async () => {
    const orphan = (await leftovers(ws)).find((f) => /\/v\d+$/.test(f));
    expect(orphan).toBeDefined();
    const next = await runCli(ws, ["train", "--json"]);
    expect(next.code, next.stderr).toBe(0);
    const result = JSON.parse(next.stdout) as { categories: Array<{ status: string; version: number }> };
    expect(result.categories[0].status).toBe("ok");
    expect(result.categories[0].version).toBe(Number(/v(\d+)$/.exec(orphan!)![1]) + 1);
    expect(await leftovers(ws)).toEqual([]);
    await expectRegistryIntact(ws);
    expect((await newestRun(ws)).status).toBe("FINISHED");
  }, 60_000);
});
