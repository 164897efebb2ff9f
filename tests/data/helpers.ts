// Shared by the data tests: a temp folder per test file and settings with the defaults of
// config/config.yaml, so each test states only what it changes.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { dataSettingsFromDefaults } from "../../src/config/from-defaults.js";
import { DataError } from "../../src/data/errors.js";
import type { DataSettings } from "../../src/data/types.js";

/** A fresh temp folder, removed after the test file. */
export function useTempDir(): { file(name: string, content: string | Buffer): string; path(name: string): string } {
  const dir = mkdtempSync(join(tmpdir(), "salescast-data-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    path: (name) => join(dir, name),
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** The data section of the shipped configuration with `overrides` over it. */
export function settings(overrides: Partial<DataSettings>): DataSettings {
  return dataSettingsFromDefaults(overrides);
}

/** Runs `promise`, expects a DataError, returns it for closer checks. */
export async function dataError(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DataError) return error;
    throw new Error(`expected a DataError, got: ${String(error)}`, { cause: error });
  }
  throw new Error("expected a DataError, but the call succeeded");
}

/** CSV text from a header and rows. */
export function csv(header: string, rows: string[]): string {
  return [header, ...rows].join("\n") + "\n";
}
