// Which kinds the tournament runs by default, and that model.auto.candidates overrides it.
import { describe, expect, it } from "vitest";
import { tournamentEntrants } from "../../src/backtest/tournament-candidates.js";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { EVALUATION_BASELINES, FAMILIES } from "../../src/models/families.js";

const kindsOf = (candidates: string[]) =>
  tournamentEntrants(configFromDefaults({ model: { auto: { candidates } } }))
    .filter((e) => e.role === "candidate")
    .map((e) => e.family.kind);

describe("the tournament's candidates", () => {
  it("are by default every kind that is not a baseline, except those another kind chooses among", () => {
    const kinds = kindsOf([]);
    expect(kinds).toContain("intermittent");
    for (const kind of ["croston", "sba", "tsb"]) expect(kinds).not.toContain(kind);
    const expected = FAMILIES.filter((f) => !EVALUATION_BASELINES.includes(f) && f.defaultCandidate !== false).map((f) => f.kind);
    expect(kinds).toEqual(expected);
    expect(kinds).toEqual(expect.arrayContaining(["cnn_lstm", "ets", "gbdt", "theta", "arima", "mstl", "ensemble"]));
  });

  it("are the kinds model.auto.candidates names, left-out ones included", () => {
    expect(kindsOf(["croston", "ets"])).toEqual(["croston", "ets"]);
  });
});
