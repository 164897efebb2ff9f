// A model family for the tournament's tests: forecasts a rule of the history, may need a long
// history or throw, so a test can say which candidate should win and why.
import type { FittedModel, ModelFamily, SavedModel, SeriesInput } from "../../src/models/model.js";

/** A fake family: forecasts `rule(history, k)`; may need a long history or throw. */
export function fakeFamily(
  kind: string,
  rule: (history: Float64Array, k: number) => number,
  options: { minHistory?: number; throws?: Error } = {},
): ModelFamily {
  const model = (name: string): FittedModel => ({
    kind,
    name,
    forecast: (history: SeriesInput, horizon: number) => Float64Array.from({ length: horizon }, (_, k) => rule(history.values, k)),
    save: (): SavedModel => ({ kind, format_version: 1, state: {} }),
    describe: () => kind,
  });
  return {
    kind,
    label: kind,
    scope: "local",
    refitOnAllData: true,
    minHistory: () => options.minHistory ?? 2,
    async fit(_series, context) {
      if (options.throws) throw options.throws;
      return model(context.name ?? kind);
    },
    load: () => model(kind),
  };
}
