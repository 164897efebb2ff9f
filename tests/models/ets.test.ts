// salescast's ETS against R's forecast::ets (fixtures written by tools/r_ets_fixtures.R):
// the recursions model type by model type with R's parameters, the automatic choice, and the
// input a fit must refuse or survive.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelInputError } from "../../src/models/errors.js";
import { etsCriterion, finalStates, fitEts, forecastEts, type EtsFit } from "../../src/models/ets/index.js";
import { shapeOf } from "../../src/models/ets/fit-model.js";

interface RModel {
  method: string;
  components: { error: "A" | "M"; trend: "N" | "A"; season: "N" | "A" | "M"; damped: boolean };
  m: number;
  alpha: number;
  beta: number | null;
  gamma: number | null;
  phi: number | null;
  initial_states: number[];
  final_states: number[];
  loglik: number;
  aicc: number;
  forecast_mean: number[];
  point_forecast: number[];
}
interface Fixture {
  name: string;
  period: number;
  h: number;
  y: number[];
  kind: "ets" | "holt_winters";
  auto: RModel;
  models: RModel[];
}

const dir = join(import.meta.dirname, "../fixtures/ets");
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Fixture);

/** R's model as an EtsFit, so our recursions and forecasts can run with R's numbers. */
function asFit(r: RModel, n: number, period: number): EtsFit {
  return {
    ...r,
    loglik: r.loglik,
    aic: null,
    bic: null,
    sigma2: 0,
    n,
    evaluations: 0,
    kind: "ets",
    period,
    candidates: [],
  };
}

function maxRelativeDifference(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  expect(ours.length).toBe(theirs.length);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / Math.max(1, Math.abs(theirs[i])));
  }
  return worst;
}

describe("ETS recursions with R's parameters and initial states", () => {
  const cases = fixtures.flatMap((f) => f.models.map((r) => ({ f, r })));
  const types = new Set(cases.map((c) => c.r.method));

  it("cover every model type of the family", () => {
    for (const type of ["ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN", "MNA", "MAA", "MAdA", "MNM", "MAM", "MAdM"]) {
      const [e, t, d, s] = type.length === 4 ? [type[0], type[1], "d", type[3]] : [type[0], type[1], "", type[2]];
      expect(types, type).toContain(`ETS(${e},${t}${d},${s})`);
    }
  });

  it.each(cases.map((c) => [`${c.f.name} ${c.r.method}`, c] as const))("%s: loglik, last states and forecasts equal R's", (_, { f, r }) => {
    const y = Float64Array.from(f.y);
    const fit = asFit(r, y.length, f.period);
    const shape = shapeOf(r.components, r.m);
    const p = { alpha: r.alpha, beta: r.beta ?? 0, gamma: r.gamma ?? 0, phi: r.phi ?? 1 };
    const lik = etsCriterion(y, y.length, shape, p, Float64Array.from(r.initial_states), new Float64Array(r.m), null, null);
    expect(Math.abs(-0.5 * lik - r.loglik) / Math.abs(r.loglik)).toBeLessThan(1e-6);
    expect(maxRelativeDifference(finalStates(fit, y), r.final_states)).toBeLessThan(1e-6);
    const forecast = forecastEts(fit, y, f.h);
    expect(maxRelativeDifference(forecast, r.point_forecast)).toBeLessThan(1e-6);
    // R's forecast() reports the distribution's mean, equal to the point forecast except for
    // multiplicative error and season (class 3), where it differs from the second season on
    if (!(r.components.error === "M" && r.components.season === "M")) {
      expect(maxRelativeDifference(forecast, r.forecast_mean)).toBeLessThan(1e-6);
    }
  });
});
