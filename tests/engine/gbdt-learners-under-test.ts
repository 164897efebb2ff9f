// The GBDT tree learners every GBDT test runs on: always "reference", and "fast" when the native
// addon is built (SALESCAST_REQUIRE_FAST=1 turns a missing addon into a failure, as for the
// engine backends: tests/engine/backends-under-test.ts).
import { nativeLearnerProblem, type LearnerChoice } from "../../src/engine/gbdt/index.js";

export function learnersUnderTest(): LearnerChoice[] {
  const problem = nativeLearnerProblem();
  if (problem === undefined) return ["reference", "fast"];
  if (process.env.SALESCAST_REQUIRE_FAST === "1") throw new Error(`SALESCAST_REQUIRE_FAST=1 but the native GBDT learner cannot load: ${problem}`);
  console.warn(`GBDT tests: skipping the fast learner: ${problem}`);
  return ["reference"];
}
