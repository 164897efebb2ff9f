// The suites' scripts take their virtual-environment folder as a relative or an absolute path
// (SALESCAST_MLFLOW_VENV=/abs/path npm run test:mlflow used to run ".../main//abs/path/bin/mlflow").
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function absolutePath(path: string, cwd: string): string {
  const ran = spawnSync("bash", ["-c", 'source scripts/lib/python-venv.sh && cd "$1" && absolute_path "$2"', "bash", cwd, path], {
    cwd: root,
    encoding: "utf8",
  });
  expect(ran.status, ran.stderr).toBe(0);
  return ran.stdout.trimEnd();
}

describe("venv folders in scripts/", () => {
  it("absolute_path keeps an absolute path and anchors a relative one in the current folder", () => {
    expect(absolutePath("/opt/venvs/mlflow", "/tmp")).toBe("/opt/venvs/mlflow");
    expect(absolutePath(".venv-mlflow", "/tmp")).toBe("/tmp/.venv-mlflow");
  });

  it.each(["scripts/test-mlflow.sh", "scripts/test-fuzz.sh"])("%s makes its venv folder absolute once and never prefixes it again", (script) => {
    const text = readFileSync(join(root, script), "utf8");
    expect(text).toMatch(/^VENV="\$\(absolute_path "\$\{SALESCAST_[A-Z]+_VENV:-\.venv-[a-z]+\}"\)"$/m);
    expect(text).not.toMatch(/\$PWD\/\$VENV|\$\(pwd\)\/\$VENV/);
  });
});
