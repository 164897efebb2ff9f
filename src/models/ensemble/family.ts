// The `ensemble` kind: a combination of other local kinds (model.ensemble.members, by default
// ETS, Theta and ARIMA, as statsforecast's standard ensemble), each fitted on the same history;
// its forecast is the mean, the median, or the inverse-error weighted mean of theirs
// (model.ensemble.combination; the weights come from rolling windows inside the history,
// weights.ts). A member that cannot fit the series is left out with its reason (kept in the
// saved state and shown by describe()); none fitting is a skip. Saved: each member's saved
// model nested in the state, their files (if any) beside it under a per-member prefix.
import type { Config } from "../../config/schema.js";
import { ConfigError } from "../../config/errors.js";
import { ModelInputError } from "../errors.js";
import { checkFitInput } from "../fit-calibrated.js";
import { historyFromState, historyState, savedState } from "../history.js";
import { checkFinite } from "../local-family.js";
import { onlySeries, type FittedModel, type ModelFamily, type SavedModel, type SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { combineForecasts, type Combination } from "./combine.js";
import { measureWeights } from "./weights.js";

const KIND = "ensemble";
const FORMAT_VERSION = 1;
const COMBINATIONS: readonly Combination[] = ["mean", "median", "inverse_error"];

export interface EnsembleMember {
  kind: string;
  model: FittedModel;
}

interface Dropped {
  kind: string;
  reason: string;
}

interface SavedMember {
  kind: string;
  /** The member's SavedModel without its files. */
  saved: Omit<SavedModel, "files">;
  /** Its file names (stored beside model.json as m<index>_<name>). */
  files: string[];
}

const round = (x: number) => Number(x.toPrecision(3));
const wholeSplit = (n: number) => ({ trainEnd: n, validationEnd: n, length: n });

class EnsembleModel implements FittedModel {
  readonly kind = KIND;
  readonly fitStats: Readonly<Record<string, number>>;

  constructor(
    readonly name: string,
    private readonly combination: Combination,
    private readonly members: readonly EnsembleMember[],
    private readonly weights: readonly number[] | undefined,
    private readonly dropped: readonly Dropped[],
    private readonly note: string | undefined,
    readonly history: SeriesInput,
  ) {
    const stats: Record<string, number> = { members: members.length };
    if (weights) members.forEach((m, i) => (stats[`weight_${m.kind}`] = weights[i]));
    this.fitStats = stats;
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    const forecasts = this.members.map((m) => m.model.forecast(history, horizon));
    return checkFinite(KIND, combineForecasts(forecasts, this.combination, this.weights));
  }

  save(): SavedModel {
    const files: Record<string, Uint8Array> = {};
    const members: SavedMember[] = this.members.map((m, i) => {
      const { files: own, ...saved } = m.model.save();
      for (const [name, bytes] of Object.entries(own ?? {})) files[`m${i}_${name}`] = bytes;
      return { kind: m.kind, saved, files: Object.keys(own ?? {}) };
    });
    return {
      kind: KIND,
      format_version: FORMAT_VERSION,
      state: {
        combination: this.combination,
        members,
        weights: this.weights ?? null,
        dropped: this.dropped,
        note: this.note ?? null,
        history: historyState(this.history),
      },
      ...(Object.keys(files).length ? { files } : {}),
    };
  }

  describe(): string {
    const parts = this.members.map((m, i) => (this.weights ? `${round(this.weights[i])} × ${m.model.describe()}` : m.model.describe()));
    const how = this.combination === "inverse_error" ? "inverse-error weighted mean" : this.combination;
    const left = this.dropped.length ? `; left out: ${this.dropped.map((d) => `${d.kind} (${d.reason})`).join(", ")}` : "";
    const note = this.note ? `; ${this.note}` : "";
    return `ensemble, ${how} of ${parts.join(" | ")}${left}${note}`;
  }
}

/** The members' families, refusing members an ensemble cannot combine. */
function memberFamilies(config: Config, lookup: (kind: string) => ModelFamily): ModelFamily[] {
  const kinds = config.model.ensemble.members;
  if (kinds.length === 0) throw new ConfigError("model.ensemble.members is empty: list the kinds to combine, e.g. [ets, theta, arima]");
  const seen = new Set<string>();
  return kinds.map((kind) => {
    if (seen.has(kind)) throw new ConfigError(`model.ensemble.members lists ${kind} twice: list each kind once`);
    seen.add(kind);
    const family = lookup(kind);
    if (family.kind === KIND) throw new ConfigError("model.ensemble.members cannot hold ensemble itself: list the kinds to combine, e.g. [ets, theta, arima]");
    if (family.scope !== "local" || !family.refitOnAllData) {
      throw new ConfigError(
        `model.ensemble.members: ${kind} cannot be a member (the ensemble combines local models cheap to refit, such as ets, theta, arima, mstl)`,
      );
    }
    return family;
  });
}

function reasonOf(error: ModelInputError): string {
  return error.problem;
}

/** The ensemble family over the kinds `lookup` finds (the families list, given so this folder need not import it). */
export function createEnsembleFamily(lookup: (kind: string) => ModelFamily): ModelFamily {
  return {
    kind: KIND,
    label: "ensemble",
    scope: "local",
    refitOnAllData: true,
    minHistory: (config, frequency) => Math.min(...memberFamilies(config, lookup).map((f) => f.minHistory(config, frequency))),
    checkConfig: (config) => void memberFamilies(config, lookup),
    checkSeries(series, config, split) {
      const reasons: string[] = [];
      for (const family of memberFamilies(config, lookup)) {
        try {
          checkFitInput(family, series, config, split);
          return;
        } catch (error) {
          if (!(error instanceof ModelInputError)) throw error;
          reasons.push(`${family.kind}: ${reasonOf(error)}`);
        }
      }
      throw new ModelInputError(
        `no member of the ensemble can fit category "${series.name}": ${reasons.join("; ")}`,
        "use other model.ensemble.members, or a longer series",
      );
    },
    async fit(series, context) {
      const one = onlySeries(KIND, series);
      const history = { ...one, values: one.values.subarray(0, context.holdoutStart ?? one.values.length) };
      const { config } = context;
      const members: EnsembleMember[] = [];
      const dropped: Dropped[] = [];
      const fitted: ModelFamily[] = [];
      for (const family of memberFamilies(config, lookup)) {
        try {
          checkFitInput(family, history, config, wholeSplit(history.values.length));
          members.push({ kind: family.kind, model: await family.fit([history], { ...context, holdoutStart: undefined, name: undefined }) });
          fitted.push(family);
        } catch (error) {
          if (!(error instanceof ModelInputError)) throw error;
          dropped.push({ kind: family.kind, reason: reasonOf(error) });
        }
      }
      if (members.length === 0) {
        throw new ModelInputError(
          `no member of the ensemble could fit category "${one.name}": ${dropped.map((d) => `${d.kind}: ${d.reason}`).join("; ")}`,
          "use other model.ensemble.members, or a longer series",
        );
      }
      const { combination, weight_windows: windows, weight_horizon: horizon } = config.model.ensemble;
      let weights: number[] | undefined;
      let note: string | undefined;
      if (combination === "inverse_error") {
        const measured = await measureWeights(fitted, history, config, context, { windows, horizon });
        weights = measured.weights;
        note = measured.note;
      }
      return new EnsembleModel(context.name ?? KIND, combination, members, weights, dropped, note, history);
    },
    load(saved) {
      const state = savedState(saved, FORMAT_VERSION);
      const damaged = (what: string) => new ModelFileError(`the saved ${KIND} model is damaged (${what}): retrain it`);
      const combination = state.combination as Combination;
      if (!COMBINATIONS.includes(combination)) throw damaged("combination");
      if (!Array.isArray(state.members) || state.members.length === 0) throw damaged("no members");
      const members = (state.members as Partial<SavedMember>[]).map((member, i): EnsembleMember => {
        if (typeof member?.kind !== "string" || typeof member.saved !== "object" || member.saved === null || !Array.isArray(member.files))
          throw damaged(`member ${i + 1}`);
        const files: Record<string, Uint8Array> = {};
        for (const name of member.files) {
          const bytes = saved.files?.[`m${i}_${name}`];
          if (!bytes) throw new ModelFileError(`m${i}_${name}: file not found (the ensemble's member ${member.kind} needs it); retrain or restore the file`);
          files[name] = bytes;
        }
        return { kind: member.kind, model: lookup(member.kind).load({ ...(member.saved as SavedModel), ...(member.files.length ? { files } : {}) }) };
      });
      const weights = state.weights;
      if (
        weights !== null &&
        !(Array.isArray(weights) && weights.length === members.length && weights.every((w) => typeof w === "number" && Number.isFinite(w)))
      )
        throw damaged("weights");
      if (combination === "inverse_error" && weights === null) throw damaged("weights");
      const dropped = Array.isArray(state.dropped) ? (state.dropped as Dropped[]) : [];
      const note = typeof state.note === "string" ? state.note : undefined;
      return new EnsembleModel(KIND, combination, members, (weights as number[] | null) ?? undefined, dropped, note, historyFromState(state.history, KIND));
    },
  };
}
