import type { CommandSpec } from "./spec.js";

/** A command whose feature has not landed yet: it says so plainly instead of pretending. */
export function notYet(name: string, summary: string, arrivesWith: string): CommandSpec {
  return {
    name,
    summary: `${summary} (not available yet)`,
    async run() {
      throw new Error(`salescast ${name} is not available in this version yet; it arrives with ${arrivesWith}.`);
    },
  };
}
