// The backends every engine test runs on: always "reference", and "native" when its addon is
// built. A missing addon skips "native" with the reason printed, unless SALESCAST_REQUIRE_NATIVE=1
// (CI sets it where a compiler is installed), which turns the skip into a failure.
import { getBackend, nativeBackendProblem, type Backend } from "../../src/engine/index.js";

/** Throws when CI requires the native addon and it cannot load; otherwise returns the problem (or undefined). */
export function nativeProblemUnlessRequired(what = "the native backend"): string | undefined {
  const problem = nativeBackendProblem();
  if (problem !== undefined && process.env.SALESCAST_REQUIRE_NATIVE === "1") {
    throw new Error(`SALESCAST_REQUIRE_NATIVE=1 but ${what} cannot load: ${problem}`);
  }
  return problem;
}

export function backendsUnderTest(): Backend[] {
  const problem = nativeProblemUnlessRequired();
  if (problem === undefined) return [getBackend("reference"), getBackend("native")];
  console.warn(`engine tests: skipping the native backend: ${problem}`);
  return [getBackend("reference")];
}

export function nativeBackendOrSkipReason(): Backend | string {
  return nativeProblemUnlessRequired() ?? getBackend("native");
}
