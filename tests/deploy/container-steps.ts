// Runs deploy/Dockerfile's stages as plain commands in a temporary folder, for the machines
// without a Docker engine (container-steps.test.ts). Each stage gets its own folder standing
// for the image's "/", so WORKDIR /app is <work>/stages/<stage>/app and COPY --from reads the
// other stage's folder; the build context is the repository filtered by the .dockerignore.
//
// Every instruction is carried out except those that need the image itself:
//   RUN apt-get ...   system packages: the stage is instead given the host's PATH, and the
//                     test checks the host has the commands the packages provide;
//   RUN chown ...     file owners (the image's "node" user): the test runs as itself;
//   USER, EXPOSE, HEALTHCHECK, CMD   recorded for the test to use.
// RUN --mount=type=cache (the npm cache) uses the host's npm cache in its place.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { copyArgs, dockerignore, envPairs, execForm, parseDockerfile, type Instruction, type Stage } from "./dockerfile.js";

/** What the apt-get packages the Dockerfile installs provide, as commands the host must have. */
export const PACKAGE_COMMANDS: Record<string, string[]> = { "g++": ["g++", "c++"] };

/** Compilers the runtime must not find: build-native.mjs looks for the first three. */
export const COMPILERS = ["c++", "g++", "clang++", "gcc", "cc", "clang"];

export interface StepRecord {
  stage: string;
  keyword: string;
  line: number;
  args: string;
  outcome: "done" | "not run";
  /** Why a step was not run. */
  why?: string;
}

export interface StageResult {
  name: string;
  /** The folder standing for the stage image's "/". */
  root: string;
  workdir: string;
  env: Record<string, string>;
  path: string;
  /** apt-get packages the stage installs. */
  packages: string[];
  user?: string;
  cmd?: string[];
  healthcheck?: string[];
}

export interface StepsOptions {
  repo: string;
  dockerfile: string;
  ignoreFile: string;
  work: string;
  /** PATH of a stage that installs no system package (no compiler). */
  bareTools: string;
  /** PATH of a stage that installs system packages: the host's. */
  hostPath: string;
  /** Environment every step starts from (the image's own: HOME, npm settings). */
  baseEnv: Record<string, string>;
  log?: (line: string) => void;
}

export interface StepsResult {
  stages: StageResult[];
  steps: StepRecord[];
}

/** Runs a command with sh -c as Docker's shell form does; rejects with its output when it fails. */
export function runShell(command: string, cwd: string, env: Record<string, string>, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(output);
      else reject(new Error(`"${command}" in ${cwd} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`));
    });
  });
}

/** The packages an `apt-get install` line names (its words that are not options). */
export function aptPackages(command: string): string[] {
  const install = /apt-get\s+install\s+([^&;|]*)/.exec(command);
  return install ? install[1].split(/\s+/).filter((word) => word !== "" && !word.startsWith("-")) : [];
}

/** Why a RUN step cannot be run as a plain command, or undefined when it can. */
export function notRunnable(command: string): string | undefined {
  if (/^apt-get\s/.test(command)) return "system packages: the host provides their commands";
  if (/^chown\s/.test(command)) return "file owners: the image's user does not exist here";
  return undefined;
}

export async function runDockerfileSteps(options: StepsOptions): Promise<StepsResult> {
  const parsed = parseDockerfile(readFileSync(options.dockerfile, "utf8"));
  const ignored = dockerignore(readFileSync(options.ignoreFile, "utf8"));
  const log = options.log ?? (() => undefined);

  // The build context: the repository as BuildKit sends it.
  const context = join(options.work, "context");
  cpSync(options.repo, context, {
    recursive: true,
    filter: (source) => {
      const rel = relative(options.repo, source).split("\\").join("/");
      return rel === "" || !ignored(rel);
    },
  });

  const stages: StageResult[] = [];
  const steps: StepRecord[] = [];
  for (const stage of parsed.stages) {
    const root = join(options.work, "stages", stage.name);
    mkdirSync(root, { recursive: true });
    const packages = stage.instructions.filter((i) => i.keyword === "RUN").flatMap((i) => aptPackages(i.args));
    const path = packages.length > 0 ? options.hostPath : options.bareTools;
    const result: StageResult = { name: stage.name, root, workdir: root, env: { ...options.baseEnv }, path, packages };
    stages.push(result);
    for (const instruction of stage.instructions) {
      const record = (outcome: StepRecord["outcome"], why?: string) =>
        steps.push({ stage: stage.name, keyword: instruction.keyword, line: instruction.line, args: instruction.args, outcome, ...(why ? { why } : {}) });
      switch (instruction.keyword) {
        case "FROM":
        case "EXPOSE":
          record("done");
          break;
        case "WORKDIR":
          result.workdir = inStage(root, result.workdir, instruction.args);
          mkdirSync(result.workdir, { recursive: true });
          record("done");
          break;
        case "ENV":
          Object.assign(result.env, envPairs(instruction.args));
          record("done");
          break;
        case "COPY":
          copy(instruction, stage, result, stages, context);
          record("done");
          break;
        case "RUN": {
          const why = notRunnable(instruction.args);
          if (why) {
            record("not run", why);
            break;
          }
          const mount = instruction.flags.mount;
          if (mount !== undefined && !/^type=cache,target=\S+$/.test(mount))
            throw new Error(`line ${instruction.line}: RUN --mount=${mount} is not a cache mount`);
          log(`[${stage.name}] RUN ${instruction.args}`);
          await runShell(instruction.args, result.workdir, { ...result.env, PATH: path });
          record("done");
          break;
        }
        case "USER":
          result.user = instruction.args;
          record("not run", "the test runs as itself");
          break;
        case "HEALTHCHECK":
          result.healthcheck = execForm(instruction.args);
          record("done");
          break;
        case "CMD":
          result.cmd = execForm(instruction.args);
          record("done");
          break;
        default:
          throw new Error(`line ${instruction.line}: ${instruction.keyword} is not handled`);
      }
    }
  }
  return { stages, steps };
}

/** An image path (absolute, or relative to the WORKDIR) inside the stage's folder. */
function inStage(root: string, workdir: string, path: string): string {
  return path.startsWith("/") ? join(root, path) : resolve(workdir, path);
}

function copy(instruction: Instruction, stage: Stage, result: StageResult, done: StageResult[], context: string): void {
  const { sources, dest } = copyArgs(instruction.args);
  const from = instruction.flags.from;
  const fromStage = from === undefined ? undefined : done.find((s) => s.name === from);
  if (from !== undefined && !fromStage) throw new Error(`line ${instruction.line}: COPY --from=${from}: no earlier stage of that name in ${stage.name}`);
  const target = inStage(result.root, result.workdir, dest);
  const intoFolder = dest.endsWith("/") || dest === "." || sources.length > 1;
  for (const source of sources) {
    const path = fromStage ? inStage(fromStage.root, fromStage.root, source) : resolve(context, source);
    if (!existsSync(path)) {
      throw new Error(
        `line ${instruction.line}: COPY ${source}: not found in ${fromStage ? `stage ${from}` : "the build context (missing, or left out by the .dockerignore)"}`,
      );
    }
    if (statSync(path).isDirectory()) {
      // Docker copies a folder's contents, not the folder itself.
      cpSync(path, target, { recursive: true });
    } else {
      const file = intoFolder ? join(target, basename(path)) : target;
      mkdirSync(dirname(file), { recursive: true });
      cpSync(path, file);
    }
  }
}
