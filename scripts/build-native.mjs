#!/usr/bin/env node
// Builds the native engine backend (native/src, a Node-API C++ addon) into
// native/build/salescast_native.node. Runs as the package's "install" script, so `npm ci` and
// `npm rebuild salescast` build it; it can also be run by hand: `node scripts/build-native.mjs`.
//
// It calls the C++ compiler directly (no node-gyp, no Python) against the Node-API headers
// already on the machine, and downloads nothing. Whatever goes wrong (no compiler, no headers, a
// failed compile, an addon that does not load) it prints ONE line saying the native backend is
// unavailable and why, and exits 0: salescast then runs on the reference TypeScript backend.
//
// Environment:
//   SALESCAST_SKIP_NATIVE=1       do not build (the reference backend is used)
//   CXX=<compiler>                the compiler to use (default: the first of c++, g++, clang++)
//   SALESCAST_NODE_HEADERS=<dir>  a folder holding node_api.h (default: next to this node, then /usr/include/node)
//   SALESCAST_NATIVE_BUILD_DIR    where to put the addon (default native/build; tests use a temp dir)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = join(ROOT, "native", "src");
const ADDON_NAME = "salescast_native.node";

function unavailable(reason) {
  console.log(`salescast: native engine backend unavailable (${reason}); the reference TypeScript backend will be used.`);
  return 0;
}

function findHeaders() {
  const candidates = [
    process.env.SALESCAST_NODE_HEADERS,
    join(dirname(dirname(process.execPath)), "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, "node_api.h")));
}

function findCompiler() {
  const candidates = process.env.CXX ? [process.env.CXX] : ["c++", "g++", "clang++"];
  for (const cxx of candidates) {
    const probe = spawnSync(cxx, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) return { cxx, isClang: /clang/i.test(probe.stdout) };
  }
  return undefined;
}

function run(cxx, args) {
  return new Promise((resolveRun) => {
    const child = spawn(cxx, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", (error) => resolveRun({ ok: false, stderr: error.message }));
    child.on("close", (code) => resolveRun({ ok: code === 0, stderr }));
  });
}

/** Runs the jobs with at most `limit` compilers at a time; resolves to the first failure or null. */
async function runAll(cxx, jobs, limit) {
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (next < jobs.length && !failure) {
      const job = jobs[next++];
      const result = await run(cxx, job.args);
      if (!result.ok && !failure) failure = { name: job.name, stderr: result.stderr };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return failure;
}

function firstLine(text) {
  const line = text.split("\n").find((l) => /error/i.test(l)) ?? text.split("\n").find((l) => l.trim()) ?? "";
  return line.trim().slice(0, 300);
}

async function main() {
  if (process.env.SALESCAST_SKIP_NATIVE === "1") return unavailable("SALESCAST_SKIP_NATIVE=1, build skipped");
  const outDir = resolve(process.env.SALESCAST_NATIVE_BUILD_DIR || join(ROOT, "native", "build"));
  const target = join(outDir, ADDON_NAME);
  // A stale addon from older sources must not outlive a failed build (a successful one replaces
  // it by a rename, so processes running meanwhile never see it missing).
  const fail = (reason) => {
    rmSync(target, { force: true });
    return unavailable(reason);
  };

  const headers = findHeaders();
  if (!headers) return fail("no Node-API headers (node_api.h) found; install the nodejs headers or set SALESCAST_NODE_HEADERS");
  const compiler = findCompiler();
  if (!compiler) {
    return fail(process.env.CXX ? `the compiler CXX=${process.env.CXX} does not run` : "no C++ compiler (c++, g++ or clang++) on PATH");
  }
  const { cxx } = compiler;
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(outDir, "tmp-"));
  try {
    const x64 = process.arch === "x64";
    const common = ["-std=c++17", "-O3", "-fPIC", "-fvisibility=hidden", "-pthread", "-fno-math-errno", `-I${headers}`, "-c"];
    const object = (name) => join(work, `${name}.o`);
    const jobs = [
      {
        name: "network_kernels (generic)",
        args: [...common, "-ffp-contract=fast", "-DSALESCAST_VARIANT=generic", join(SOURCES, "network_kernels.cpp"), "-o", object("kernels_generic")],
      },
      { name: "network", args: [...common, join(SOURCES, "network.cpp"), "-o", object("network")] },
      { name: "reference_kernels", args: [...common, "-ffp-contract=off", join(SOURCES, "reference_kernels.cpp"), "-o", object("reference_kernels")] },
      { name: "adam", args: [...common, "-ffp-contract=off", join(SOURCES, "adam.cpp"), "-o", object("adam")] },
      { name: "gbdt_learner", args: [...common, "-ffp-contract=off", join(SOURCES, "gbdt_learner.cpp"), "-o", object("gbdt_learner")] },
      { name: "gbdt_bindings", args: [...common, join(SOURCES, "gbdt_bindings.cpp"), "-o", object("gbdt_bindings")] },
      { name: "kernel_bindings", args: [...common, join(SOURCES, "kernel_bindings.cpp"), "-o", object("kernel_bindings")] },
      { name: "addon", args: [...common, ...(x64 ? ["-DSALESCAST_HAVE_AVX2"] : []), join(SOURCES, "addon.cpp"), "-o", object("addon")] },
    ];
    // The AVX2+FMA variant is compiled alongside the baseline one and chosen at load time from
    // what the CPU reports, so the same binary runs on a CPU without AVX2.
    if (x64) {
      jobs.unshift({
        name: "network_kernels (avx2)",
        args: [
          ...common,
          "-mavx2",
          "-mfma",
          "-ffp-contract=fast",
          "-DSALESCAST_VARIANT=avx2",
          join(SOURCES, "network_kernels.cpp"),
          "-o",
          object("kernels_avx2"),
        ],
      });
    }
    const started = Date.now();
    const failure = await runAll(cxx, jobs, cpus().length);
    if (failure) return fail(`compiling ${failure.name} with ${cxx} failed: ${firstLine(failure.stderr)}`);
    const linked = join(work, ADDON_NAME);
    const link = await run(cxx, [
      "-shared",
      "-pthread",
      ...(process.platform === "darwin" ? ["-undefined", "dynamic_lookup"] : []),
      ...jobs.map((job) => job.args[job.args.indexOf("-o") + 1]),
      "-o",
      linked,
    ]);
    if (!link.ok) return fail(`linking with ${cxx} failed: ${firstLine(link.stderr)}`);
    // Load it once in a separate process: a binary that builds but does not load is no use.
    const smoke = spawnSync(process.execPath, ["-e", `const a = require(${JSON.stringify(linked)}); console.log(JSON.stringify(a.describe()))`], {
      encoding: "utf8",
    });
    if (smoke.status !== 0) return fail(`the built addon does not load: ${firstLine(smoke.stderr)}`);
    renameSync(linked, target);
    const info = JSON.parse(smoke.stdout);
    console.log(
      `salescast: native engine backend built (${info.variant} kernels on this CPU, ${info.threads} thread(s)) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target}`,
    );
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    unavailable(`the build script failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 0;
  },
);
