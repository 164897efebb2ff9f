// Where a vitest run leaves its counts for the CI summary line.
//
// .ci/run sets SALESCAST_TEST_REPORT_DIR (and SALESCAST_TEST_SUITE, the name of the step) and
// ends with `N passed, N failed` summed over every suite it ran (scripts/ci-summary.mjs). Each
// vitest config asks this function for its reporters: the usual console output, plus vitest's
// JSON report in that folder when CI asks for one. Outside CI nothing changes.
import { join } from "node:path";

type ReporterSpec = string | [string, Record<string, unknown>];

export function ciReporters(): ReporterSpec[] {
  const dir = process.env.SALESCAST_TEST_REPORT_DIR;
  if (!dir) return ["default"];
  const suite = (process.env.SALESCAST_TEST_SUITE ?? "vitest").replace(/[^A-Za-z0-9_.-]/g, "_");
  // The pid keeps two runs of one step (e.g. reruns on another backend) from overwriting each other.
  return ["default", ["json", { outputFile: join(dir, `${suite}.vitest-${process.pid}.json`) }]];
}
