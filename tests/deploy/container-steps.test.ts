// The container image without a Docker engine (issue 18: the old image ran `npm ci
// --ignore-scripts`, never built native/, and trained on the TypeScript backend, 30 s a series
// instead of 1.4-2.9 s). Two parts:
// - always (npm test): deploy/Dockerfile read as Docker reads it: the build stage has a compiler
//   and lets npm ci build the addon, the runtime has none and copies the built addon, every file
//   it copies from the context exists and is not left out by the .dockerignore;
// - with SALESCAST_TEST_CONTAINER=1 (npm run test:container, in CI): its stages run as plain
//   commands in a temporary folder (container-steps.ts: the same npm ci, the same copies), the
//   runtime stage with a PATH that holds node, npm, sh and mkdir and no compiler. In the runtime
//   folder, with the environment the compose file gives the api, it then trains a tiny model,
//   starts the image's CMD, reads its "engine backend" line and checks a forecast over HTTP
//   against the same model computed without the addon. About 2 minutes and 700 MB of
//   temporary disk (two npm installs); npm reads the host's npm cache.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/free-port.js";
import { aptPackages, COMPILERS, notRunnable, PACKAGE_COMMANDS, runDockerfileSteps, runShell, type StageResult, type StepsResult } from "./container-steps.js";
import { copyArgs, dockerignore, execForm, parseDockerfile } from "./dockerfile.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dockerfilePath = join(repo, "deploy/Dockerfile");
const ignorePath = join(repo, "deploy/Dockerfile.dockerignore");
const dockerfile = parseDockerfile(readFileSync(dockerfilePath, "utf8"));
const ignored = dockerignore(readFileSync(ignorePath, "utf8"));
const stageNamed = (name: string) => dockerfile.stages.find((s) => s.name === name)!;
const runs = (stage: string) =>
  stageNamed(stage)
    .instructions.filter((i) => i.keyword === "RUN")
    .map((i) => i.args);
const ADDON = "native/build/salescast_native.node";

describe("deploy/Dockerfile, as Docker reads it", () => {
  it("has a build stage with a C++ compiler whose npm ci runs the package's scripts (addon and dist/), and fails without the addon", () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(["build", "prod-deps", "runtime"]);
    expect(runs("build").flatMap(aptPackages)).toContain("g++");
    const install = runs("build").find((command) => /^npm ci\b/.test(command));
    expect(install).toBeDefined();
    expect(install).not.toMatch(/--ignore-scripts/);
    // build-native.mjs exits 0 when it cannot build (the package must install anywhere): the
    // image build itself must stop instead of shipping the slow backend.
    expect(runs("build").some((command) => command.startsWith(`test -f ${ADDON} ||`) && /exit 1/.test(command))).toBe(true);
    const env = stageNamed("build")
      .instructions.filter((i) => i.keyword === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toMatch(/\bONNXRUNTIME_NODE_INSTALL=skip\b/); // the image's npm 10 ignores allowScripts
  });

  it("installs production dependencies without scripts, and a runtime with no compiler that copies the built addon and no native sources", () => {
    expect(runs("prod-deps").some((command) => /^npm ci\b.*--omit=dev\b.*--ignore-scripts\b/.test(command))).toBe(true);
    const runtime = stageNamed("runtime").instructions;
    expect(runtime.filter((i) => i.keyword === "RUN").flatMap((i) => aptPackages(i.args))).toEqual([]);
    const copies = runtime.filter((i) => i.keyword === "COPY");
    const addon = copies.find((i) => i.flags.from === "build" && copyArgs(i.args).sources.includes(`/app/${ADDON}`));
    expect(addon && copyArgs(addon.args).dest).toBe(`./${ADDON}`);
    expect(copies.some((i) => copyArgs(i.args).sources.some((source) => /native(\/src)?\/?$/.test(source)))).toBe(false);
    expect(execForm(runtime.find((i) => i.keyword === "CMD")!.args)).toEqual(["node", "bin/salescast.js", "serve"]);
  });

  it("copies from the build context only files that exist and that the .dockerignore lets through", () => {
    // The old file copied .npmrc; a COPY of a missing file fails the whole build.
    const sources = dockerfile.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === "COPY" && i.flags.from === undefined);
    expect(sources.length).toBeGreaterThan(0);
    for (const instruction of sources) {
      for (const source of copyArgs(instruction.args).sources) {
        if (source === ".") continue;
        expect(existsSync(join(repo, source)), `line ${instruction.line}: ${source}`).toBe(true);
        expect(ignored(source), `line ${instruction.line}: ${source} is left out by the .dockerignore`).toBe(false);
      }
    }
  });

  it("keeps a locally built addon, dependencies and data out of the build context", () => {
    for (const path of [ADDON, "node_modules/fastify/package.json", "dist/src/cli.js", "data/raw/sales_data.csv", "checkpoints/x/v1/model.json"]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ["native/src/addon.cpp", "src/data/ingest.ts", "scripts/build-native.mjs", "package-lock.json"]) expect(ignored(path), path).toBe(false);
  });

  it("has only RUN steps the plain-command test runs, or system packages and file owners it names", () => {
    const skipped = dockerfile.stages.flatMap((s) =>
      s.instructions.filter((i) => i.keyword === "RUN" && notRunnable(i.args)).map((i) => `${s.name}: ${i.args.split(" ")[0]}`),
    );
    expect(skipped).toEqual(["build: apt-get", "runtime: chown"]);
    for (const pkg of dockerfile.stages.flatMap((s) => runs(s.name).flatMap(aptPackages))) expect(PACKAGE_COMMANDS, pkg).toHaveProperty(pkg);
  });
});

describe("the Dockerfile reader", () => {
  it("anchors .dockerignore patterns at the context root, as Docker does", () => {
    const match = dockerignore("data\n**/*.tmp\n.venv*\n**/__pycache__\n.env.*");
    expect(match("data")).toBe(true);
    expect(match("data/raw/sales.csv")).toBe(true);
    expect(match("src/data/ingest.ts")).toBe(false);
    expect(match("a/b/c.tmp")).toBe(true);
    expect(match(".venv-mlflow/bin/python")).toBe(true);
    expect(match("tools/.venv")).toBe(false);
    expect(match("tools/__pycache__/x.pyc")).toBe(true);
    expect(match(".env.local")).toBe(true);
    expect(match(".envrc")).toBe(false);
  });

  it("refuses what it cannot read rather than misreading it", () => {
    expect(() => dockerignore("!keep")).toThrow(/exception "!keep" is not supported/);
    expect(() => parseDockerfile("FROM node\nONBUILD RUN x")).toThrow(/line 2: ONBUILD is not an instruction/);
    expect(() => parseDockerfile("RUN x")).toThrow(/line 1: only ARG may come before the first FROM/);
  });

  it("joins continued lines, reads flags, stage names and build arguments", () => {
    const read = parseDockerfile("ARG IMG=node:20\nFROM ${IMG} AS one\nRUN --mount=type=cache,target=/x a \\\n  # note\n  && b\nCOPY --from=one /app/x ./y");
    expect(read.stages[0]).toMatchObject({ name: "one", base: "node:20" });
    expect(read.stages[0].instructions[1]).toMatchObject({ keyword: "RUN", flags: { mount: "type=cache,target=/x" }, args: "a && b", line: 3 });
    expect(read.stages[0].instructions[2]).toMatchObject({ keyword: "COPY", flags: { from: "one" }, args: "/app/x ./y" });
  });
});

const heavy = process.env.SALESCAST_TEST_CONTAINER === "1";

/** A folder of links to the few tools the non-compiler stages use: the host's PATH without its compilers. */
function bareTools(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ["node", "npm", "npx", "sh", "mkdir"]) {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    if (!found.startsWith("/")) throw new Error(`${tool} is not on this machine's PATH`);
    symlinkSync(found, join(dir, tool));
  }
  return dir;
}

interface Started {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

describe.skipIf(!heavy)("deploy/Dockerfile, run as plain commands (npm run test:container)", () => {
  let work = "";
  let built: StepsResult;
  let runtime: StageResult;
  let build: StageResult;
  let env: Record<string, string> = {};
  let port = 0;
  let server: Started | undefined;
  const key = "container-test-key-0123456789";
  // A window of Beauty's scale in the demo data.
  const window = [3210, 4540, 3965, 8050, 7250, 3935, 2035, 0, 4370, 5155, 4775, 3300, 1485, 1695];

  beforeAll(async () => {
    for (const pkg of dockerfile.stages.flatMap((s) => runs(s.name).flatMap(aptPackages))) {
      for (const command of PACKAGE_COMMANDS[pkg] ?? []) {
        if (spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0)
          throw new Error(`the Dockerfile installs ${pkg}: this machine needs ${command} (apt-get install ${pkg})`);
      }
    }
    work = mkdtempSync(join(tmpdir(), "salescast-container-"));
    const npmCache = spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim();
    built = await runDockerfileSteps({
      repo,
      dockerfile: dockerfilePath,
      ignoreFile: ignorePath,
      work,
      bareTools: bareTools(join(work, "bare-tools")),
      hostPath: process.env.PATH ?? "/usr/bin:/bin",
      // The image's environment (HOME) plus the host's npm cache in place of the cache mount.
      baseEnv: {
        HOME: process.env.HOME ?? work,
        npm_config_cache: npmCache,
        npm_config_prefer_offline: "true",
        npm_config_update_notifier: "false",
        LANG: "C.UTF-8",
      },
    });
    build = built.stages.find((s) => s.name === "build")!;
    runtime = built.stages.find((s) => s.name === "runtime")!;
    port = await freePort();
    // What deploy/docker-compose.yml gives the api, on loopback (a shared machine), with the
    // local run store (no MLflow here) and a tiny network so training takes seconds.
    env = {
      ...runtime.env,
      PATH: runtime.path,
      MLFLOW_ENV: "docker",
      SALESCAST_API_KEY: key,
      MLFLOW_TRACKING_URI: "./mlruns",
      SALESCAST__APP__HOST: "127.0.0.1",
      SALESCAST__APP__PORT: String(port),
      SALESCAST__MODEL__CONV_CHANNELS: "4",
      SALESCAST__MODEL__LSTM_HIDDEN: "8",
      SALESCAST__TRAIN__MAX_EPOCHS: "2",
    };
  }, 1_200_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
    // Removing the two copied node_modules trees outlasted the default minute on a loaded machine.
  }, 300_000);

  it("carries out every step but the system packages and the file owners", () => {
    const notRun = built.steps.filter((s) => s.outcome === "not run").map((s) => `${s.stage} ${s.keyword} ${s.args.split(" ")[0]}`);
    expect(notRun).toEqual(["build RUN apt-get", "runtime RUN chown", "runtime USER node"]);
    expect(runtime.cmd).toEqual(["node", "bin/salescast.js", "serve"]);
    expect(runtime.env).toMatchObject({ NODE_ENV: "production", SALESCAST_PROFILE: "docker" });
  });

  it("runs the runtime with no compiler on its PATH, the addon the build stage compiled and no native sources", () => {
    expect(runtime.packages).toEqual([]);
    for (const compiler of COMPILERS) {
      expect(spawnSync("/bin/sh", ["-c", `command -v ${compiler}`], { env: { PATH: runtime.path } }).status, compiler).not.toBe(0);
    }
    const shipped = readFileSync(join(runtime.workdir, ADDON));
    expect(shipped.equals(readFileSync(join(build.workdir, ADDON)))).toBe(true);
    expect(existsSync(join(runtime.workdir, "native/src"))).toBe(false);
    expect(existsSync(join(runtime.workdir, "node_modules/typescript"))).toBe(false); // --omit=dev
    expect(existsSync(join(runtime.workdir, "dist/web/index.html"))).toBe(true);
  });

  it("trains in the runtime on the native backend", async () => {
    await runShell("node bin/salescast.js demo-data", runtime.workdir, env);
    const trained = await runShell("node bin/salescast.js train --category Beauty model.architecture=CNNLSTM", runtime.workdir, env, 300_000);
    // "fast (native C++, …)" here, "native (C++ addon, …)" once the backend is renamed (issue 16).
    expect(trained).toMatch(/^engine backend: (native|fast \(native C\+\+)/m);
    expect(trained).toMatch(/Beauty/);
  }, 400_000);

  it("starts with the image's CMD, says its engine backend is native and serves the trained model on it", async () => {
    const [command, ...args] = runtime.cmd!;
    const child = spawn(command, args, { cwd: runtime.workdir, env, stdio: ["ignore", "pipe", "pipe"] });
    const started: Started = { child, stdout: "", stderr: "", exited: new Promise((r) => child.on("close", (code) => r(code))) };
    server = started;
    child.stdout!.on("data", (chunk) => (started.stdout += chunk));
    child.stderr!.on("data", (chunk) => (started.stderr += chunk));
    const deadline = Date.now() + 120_000;
    while (!started.stdout.includes("salescast is serving on")) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${started.stderr}`);
      if (Date.now() > deadline) throw new Error(`serve did not start within 120 s:\n${started.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(started.stderr).toMatch(/^engine backend: (native|fast \(native C\+\+)/m);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { models: Array<Record<string, unknown>> };
    const beauty = health.models.find((m) => m.category === "Beauty");
    // The network (trained as CNNLSTM above: auto may choose a model without one) computes on the addon.
    expect(beauty?.backend).toBe("native");
  }, 180_000);

  it("forecasts over HTTP what the same model gives without the addon", async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/api/predict/Beauty`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ series: window }),
    });
    expect(answer.status).toBe(200);
    const served = ((await answer.json()) as { predicted_sales: number }).predicted_sales;
    // The same registered model in the same folder, with the addon made unloadable: computed by
    // another implementation (the TypeScript engine), so agreement says the native one is right.
    const withoutAddon = await runShell(`node bin/salescast.js predict --category Beauty --series ${window.join(",")} --json`, runtime.workdir, {
      ...env,
      SALESCAST_NATIVE_ADDON: "/nonexistent/salescast_native.node",
    });
    const expected = (JSON.parse(withoutAddon.slice(withoutAddon.indexOf("{"))) as { predicted_sales: number }).predicted_sales;
    expect(Number.isFinite(served)).toBe(true);
    expect(Math.abs(served - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
  }, 120_000);

  it("needs the API key for training there (the compose stack listens beyond loopback)", async () => {
    const refused = await fetch(`http://127.0.0.1:${port}/api/train`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(401);
  });

  it("passes the image's HEALTHCHECK, and fails it once the server has stopped on SIGTERM", async () => {
    const check = runtime.healthcheck!.map((part) => part.replace("127.0.0.1:8000", `127.0.0.1:${port}`));
    expect(check.join(" ")).toContain(`:${port}/api/health`);
    const healthy = spawnSync(check[0], check.slice(1), { cwd: runtime.workdir, env, timeout: 30_000 });
    expect(healthy.status).toBe(0);
    server!.child.kill("SIGTERM");
    expect(await server!.exited).toBe(0);
    const stopped = spawnSync(check[0], check.slice(1), { cwd: runtime.workdir, env, timeout: 30_000 });
    expect(stopped.status).toBe(1);
  }, 60_000);
});
