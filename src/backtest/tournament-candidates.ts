// Which families the tournament runs: the candidates model.auto.candidates names (empty: every
// kind of the families list that is not a baseline and not left out by its defaultCandidate, so
// a kind added there competes without a change here), and the baselines, scored beside them for comparison and kept as the fallback
// champion when no candidate can be scored. Nothing here names a kind.
import type { Config } from "../config/schema.js";
import { BENCHMARK, EVALUATION_BASELINES, FAMILIES, familyOf } from "../models/families.js";
import type { ModelFamily } from "../models/model.js";

export interface TournamentEntrant {
  family: ModelFamily;
  role: "candidate" | "baseline";
}

/** The candidates (in the families list's order, or model.auto.candidates') then the baselines not among them. */
export function tournamentEntrants(config: Config): TournamentEntrant[] {
  const named = config.model.auto.candidates;
  const candidates = named.length
    ? [...new Set(named)].map((kind) => familyOf(kind, "model.auto.candidates"))
    : FAMILIES.filter((family) => !EVALUATION_BASELINES.includes(family) && family.defaultCandidate !== false);
  const baselines = EVALUATION_BASELINES.filter((family) => !candidates.includes(family));
  return [...candidates.map((family) => ({ family, role: "candidate" as const })), ...baselines.map((family) => ({ family, role: "baseline" as const }))];
}

/** The baselines in the order they serve as fallback: the benchmark first. */
export function fallbackOrder(entrants: readonly TournamentEntrant[]): ModelFamily[] {
  const families = entrants.map((entrant) => entrant.family);
  return [BENCHMARK, ...EVALUATION_BASELINES.filter((family) => family !== BENCHMARK)].filter((family) => families.includes(family));
}

/** Refuses settings a candidate cannot fit with (the network's memory), before any work. */
export function checkEntrants(config: Config, entrants: readonly TournamentEntrant[]): void {
  for (const { family } of entrants) family.checkConfig?.(config);
}
