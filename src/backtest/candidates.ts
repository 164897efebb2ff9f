// Which models a backtest runs: the configured one (model.architecture), its variants asked for
// with --variants (each a row of the same family, fitted with one setting changed), then every
// backtest baseline that is not already the configured kind. The families list says which the
// baselines are; nothing here names a kind.
import type { Config } from "../config/schema.js";
import { BACKTEST_BASELINES, configuredFamily, FAMILIES } from "../models/families.js";
import type { FamilyVariant, ModelFamily } from "../models/model.js";

export interface BacktestCandidate {
  family: ModelFamily;
  /** The configuration it is fitted with (a variant's differs from the configured one). */
  config: Config;
  /** Its rows' model name. */
  name: string;
  /** The configured model: its intervals are calibrated and their coverage reported. */
  calibrate: boolean;
  /** One progress line per fit (the configured model and its variants; the baselines take no time). */
  report: boolean;
}

/** "calendar,direct" -> ["calendar", "direct"], each a variant of the configured family (any family's, without a config). */
export function parseVariants(text: string, config?: Config): string[] {
  const owners = config ? [configuredFamily(config)] : FAMILIES.filter((family) => family.variants?.length);
  const known = [...new Set(owners.flatMap((family) => family.variants ?? []).map((variant) => variant.name))];
  const what = owners.length === 1 ? `${owners[0].label} variant` : "variant";
  const names = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const out: string[] = [];
  for (const name of names) {
    if (!known.includes(name)) {
      throw new RangeError(
        known.length
          ? `unknown ${what} "${name}": choose from ${known.join(", ")} (comma-separated, e.g. ${known.join(",")})`
          : `the ${owners[0]?.label ?? "configured"} model has no variants to backtest beside it (--variants is for: ${FAMILIES.filter(
              (f) => f.variants?.length,
            )
              .map((f) => f.kind)
              .join(", ")})`,
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function variantsOf(family: ModelFamily, names: readonly string[]): FamilyVariant[] {
  return names.map((name) => {
    const variant = family.variants?.find((v) => v.name === name);
    if (!variant) {
      const known = family.variants?.map((v) => v.name) ?? [];
      throw new RangeError(`the ${family.label} model (${family.kind}) has no variant "${name}"${known.length ? `: choose from ${known.join(", ")}` : ""}`);
    }
    return variant;
  });
}

/** Refuses a variant the configured family does not have, or one that would only copy the configured model. */
export function checkVariants(config: Config, names: readonly string[], horizon: number): void {
  for (const variant of variantsOf(configuredFamily(config), names)) variant.check(config, horizon);
}

/** The candidates in row order: the configured model, its variants in the order given, the baselines. */
export function candidatesFor(config: Config, names: readonly string[], horizon: number): BacktestCandidate[] {
  checkVariants(config, names, horizon);
  const family = configuredFamily(config);
  const out: BacktestCandidate[] = [{ family, config, name: family.kind, calibrate: true, report: true }];
  for (const variant of variantsOf(family, names)) {
    out.push({ family, config: variant.configure(config, horizon), name: variant.rowName, calibrate: false, report: true });
  }
  for (const baseline of BACKTEST_BASELINES) {
    if (baseline.kind !== family.kind) out.push({ family: baseline, config, name: baseline.kind, calibrate: false, report: false });
  }
  return out;
}

/** Every candidate's settings checked before any work (the network's memory and inputs). */
export function checkCandidates(candidates: readonly BacktestCandidate[]): void {
  for (const candidate of candidates) candidate.family.checkConfig?.(candidate.config);
}
