// The Python of the anchors venv (.venv-anchors: statsforecast, mlforecast, LightGBM, pandas at
// the pins of scripts/lib/anchors-venv.sh, made there once and reused), for the benches that run
// the Python anchors.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The venv's python path, or undefined (with the reason printed) when it cannot be made. */
export function anchorsPython(label: string): string | undefined {
  const run = spawnSync("bash", ["-c", `source "${join(root, "scripts/lib/anchors-venv.sh")}" && ensure_anchors_venv "$1"`, "bash", label], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const last = run.stdout?.trim().split("\n").pop();
  if (run.status !== 0 || !last) {
    console.error(`${label}: the Python anchors are skipped (the anchors venv could not be made; see the lines above)`);
    return undefined;
  }
  return last;
}
