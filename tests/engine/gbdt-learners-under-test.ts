// The GBDT tree learners every GBDT test runs on: always "reference", and "native" when the
// addon is built (SALESCAST_REQUIRE_NATIVE=1 turns a missing addon into a failure, as for the
// engine backends: tests/engine/backends-under-test.ts).
import type { LearnerChoice } from "../../src/engine/gbdt/index.js";
import { nativeProblemUnlessRequired } from "./backends-under-test.js";

export function learnersUnderTest(): LearnerChoice[] {
  const problem = nativeProblemUnlessRequired("the native GBDT learner");
  if (problem === undefined) return ["reference", "native"];
  console.warn(`GBDT tests: skipping the native learner: ${problem}`);
  return ["reference"];
}
