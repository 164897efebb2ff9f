// The backends every engine test runs on: always "reference", and "fast" when its native addon
// is built. A missing addon skips "fast" with the reason printed, unless SALESCAST_REQUIRE_FAST=1
// (CI sets it where a compiler is installed), which turns the skip into a failure.
import { getBackend, type Backend } from "../../src/engine/index.js";
import { fastBackendProblem } from "../../src/engine/backends/fast.js";

export function backendsUnderTest(): Backend[] {
  const backends = [getBackend("reference")];
  const problem = fastBackendProblem();
  if (problem === undefined) {
    backends.push(getBackend("fast"));
  } else if (process.env.SALESCAST_REQUIRE_FAST === "1") {
    throw new Error(`SALESCAST_REQUIRE_FAST=1 but the fast backend cannot load: ${problem}`);
  } else {
    console.warn(`engine tests: skipping the fast backend: ${problem}`);
  }
  return backends;
}

export function fastBackendOrSkipReason(): Backend | string {
  const problem = fastBackendProblem();
  if (problem !== undefined && process.env.SALESCAST_REQUIRE_FAST === "1") {
    throw new Error(`SALESCAST_REQUIRE_FAST=1 but the fast backend cannot load: ${problem}`);
  }
  return problem ?? getBackend("fast");
}
