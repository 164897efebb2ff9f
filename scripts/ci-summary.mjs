#!/usr/bin/env node
// Prints the CI log's last line, `N passed, N failed` (`, N skipped` when some were), summed over
// every suite .ci/run ran. Reads the folder given as its argument:
//   <suite>.vitest-<pid>.json   vitest's JSON report (tests/ci-report.ts writes them)
//   <suite>.junit-*.xml         JUnit reports (schemathesis: one test case per API operation)
//   steps.tsv                   one line per step: name, exit status, whether it is a plain check
// A step that exited non-zero without reporting a failed test (it crashed, or its set-up failed)
// counts as one failed test, so a broken suite can never read as "0 failed". A plain check (a
// command with no report of its own) counts as one test.
// Exits 1 when anything failed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: ci-summary.mjs REPORT_DIR");
  process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedBySuite = new Map();
const reportedSuites = new Set();

function add(suite, passed, failed, skipped) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  failedBySuite.set(suite, (failedBySuite.get(suite) ?? 0) + failed);
  reportedSuites.add(suite);
}

for (const name of readdirSync(dir).sort()) {
  const path = join(dir, name);
  const vitest = /^(.+)\.vitest-\d+\.json$/.exec(name);
  const junit = /^(.+)\.junit-.*\.xml$/.exec(name);
  if (vitest) {
    const report = JSON.parse(readFileSync(path, "utf8"));
    // A file that failed to load counts as a failure even when it ran no test.
    const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
    add(vitest[1], report.numPassedTests, report.numFailedTests + brokenFiles, report.numPendingTests + report.numTodoTests);
  } else if (junit) {
    const xml = readFileSync(path, "utf8");
    let passed = 0,
      failed = 0,
      skipped = 0;
    for (const [, body] of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      if (body && /<(failure|error)\b/.test(body)) failed++;
      else if (body && /<skipped\b/.test(body)) skipped++;
      else passed++;
    }
    add(junit[1], passed, failed, skipped);
  }
}

let steps = [];
try {
  steps = readFileSync(join(dir, "steps.tsv"), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t"));
} catch {
  // No step ran (the install failed before the first one): counted below.
}
for (const [suite, status, kind] of steps) {
  const code = Number(status);
  if (kind === "check") add(suite, code === 0 ? 1 : 0, code === 0 ? 0 : 1, 0);
  else if (code !== 0 && !(failedBySuite.get(suite) > 0)) {
    console.log(`${suite}: exited ${code} without a failed test in its report: counted as 1 failed`);
    add(suite, 0, 1, 0);
  } else if (code === 0 && !reportedSuites.has(suite)) {
    console.log(`${suite}: passed but wrote no report`);
  }
}
if (steps.length === 0) totals.failed += 1;

console.log(`${totals.passed} passed, ${totals.failed} failed` + (totals.skipped > 0 ? `, ${totals.skipped} skipped` : ""));
process.exit(totals.failed > 0 ? 1 : 0);
