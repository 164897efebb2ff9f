// Champion and challenger: a newly registered version is served (alias "champion") only when it
// beat the version served before on the same most recent windows; otherwise it is registered
// with the alias "challenger" and the version served before keeps serving, pinned as champion
// (it may have been served only as the latest version). `salescast promote` still moves the
// champion alias by hand. Works on any ModelRegistry (local or MLflow's) through its aliases.
import { DEFAULT_ALIAS, RegistryError, type ModelRegistry } from "./registry.js";

export const CHALLENGER_ALIAS = "challenger";

export type ChampionDecision = "champion" | "challenger";

/**
 * The version served before `newVersion` was registered: the champion when it is another
 * version, else the latest earlier version not held back; undefined when there is none.
 */
export async function servedBefore(registry: ModelRegistry, category: string, newVersion: number): Promise<number | undefined> {
  const versions = await registry.versions(category);
  const champion = versions.find((v) => v.aliases.includes(DEFAULT_ALIAS));
  if (champion && champion.version !== newVersion) return champion.version;
  return versions.filter((v) => v.version < newVersion && v.heldBack === undefined).at(-1)?.version;
}

/**
 * Points the aliases as `decision` says. champion: the new version serves and no challenger
 * remains. challenger: the version served before is pinned as champion and the new one is the
 * challenger (with no version served before, the new one is champion whatever the decision).
 * Returns what was done.
 */
export async function applyChampionDecision(
  registry: ModelRegistry,
  category: string,
  newVersion: number,
  decision: ChampionDecision,
): Promise<{ champion: number; challenger?: number }> {
  const versions = await registry.versions(category);
  if (!versions.some((v) => v.version === newVersion)) {
    throw new RegistryError(`category "${category}" has no version ${newVersion} to make ${decision}`, "not_found");
  }
  const previous = await servedBefore(registry, category, newVersion);
  if (decision === "champion" || previous === undefined) {
    await registry.setAlias(category, DEFAULT_ALIAS, newVersion);
    await registry.removeAlias(category, CHALLENGER_ALIAS);
    return { champion: newVersion };
  }
  await registry.setAlias(category, DEFAULT_ALIAS, previous);
  await registry.setAlias(category, CHALLENGER_ALIAS, newVersion);
  return { champion: previous, challenger: newVersion };
}
