// A clean install (issue 15): no npm command warns about the project's configuration, and no
// installed package requires a Node.js version the README supports less than (EBADENGINE).
// The supported versions are package.json's engines.node; each bound claimed there is checked.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string }; allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: unknown; version?: string }> };

/** The oldest version of each part of engines.node ("^20.19.0 || ^22.23.5" => 20.19.0, 22.23.5). */
function claimedVersions(range: string): string[] {
  return range.split("||").map((part) => semver.minVersion(part.trim())!.version);
}

describe("the install", () => {
  it("npm reads the project's .npmrc without an unknown-key warning", () => {
    const ran = spawnSync("npm", ["--version"], { cwd: root, encoding: "utf8" });
    expect(ran.status).toBe(0);
    expect(ran.stderr).not.toMatch(/Unknown (project|env|user) config/);
  });

  it("onnxruntime-node's install script (a GPU binary download) stays denied", () => {
    expect(pkg.allowScripts?.["onnxruntime-node"]).toBe(false);
  });

  it("every locked package admits the oldest supported Node.js version of each major claimed", () => {
    const claimed = claimedVersions(pkg.engines.node);
    expect(claimed).toEqual(["20.19.0", "22.23.5"]);
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const engines = entry.engines as { node?: string } | undefined;
      if (!path || typeof engines?.node !== "string") continue;
      for (const version of claimed) {
        if (!semver.satisfies(version, engines.node)) refusing.push(`${path}@${entry.version} needs node ${engines.node} (not ${version})`);
      }
    }
    expect(refusing).toEqual([]);
  });
});
