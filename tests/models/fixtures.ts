// Reads the reference fixtures tools/statsforecast_fixtures.py and tools/r_fixtures.R write
// under tests/fixtures/<family>/, and reports the largest difference against a tolerance.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface FixtureFile<Case> {
  format_version: number;
  generator: string;
  versions: Record<string, string>;
  cases: Case[];
}

export function readFixture<Case>(family: string, file: string): FixtureFile<Case> {
  const url = new URL(`../fixtures/${family}/${file}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), "utf8")) as FixtureFile<Case>;
}

/** max_i |actual_i − expected_i| / max(1, |expected_i|): absolute near 0, relative elsewhere. */
export function maxRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
  }
  return worst;
}
