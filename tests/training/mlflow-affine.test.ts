// probeAffine (src/training/mlflow-affine.ts) measures a model's forecast as window·a + c and
// checks it on other windows: models that are affine get their exact a and c, the others (a
// clipped forecast, a product of values, a model that throws) are refused with a reason.
import { describe, expect, it } from "vitest";
import type { FittedModel, SeriesInput } from "../../src/models/model.js";
import { probeAffine } from "../../src/training/mlflow-affine.js";

const history: SeriesInput = { name: "A", start: "2024-01-01", frequency: "D", values: Float64Array.from({ length: 40 }, (_, i) => 100 + 10 * Math.sin(i)) };

/** A model whose one-step forecast is `rule` of the history it is given. */
function fakeModel(rule: (values: Float64Array) => number, keepsHistory = true): FittedModel {
  return {
    kind: "fake",
    name: "fake",
    forecast: (series: SeriesInput) => Float64Array.of(rule(series.values)),
    save: () => ({ kind: "fake", format_version: 1, state: null }),
    describe: () => "fake",
    ...(keepsHistory ? { history } : {}),
  };
}

describe("probeAffine", () => {
  it("recovers the weights and the bias of an affine forecast, the history before the window inside the bias", () => {
    // 0.5·last + 0.25·(two before) + 0.1·(the period before the window of 3) + 7.
    const probe = probeAffine(
      fakeModel((v) => 0.5 * v[v.length - 1] + 0.25 * v[v.length - 3] + 0.1 * v[v.length - 4] + 7),
      3,
    );
    expect(probe.status).toBe("affine");
    if (probe.status !== "affine") return;
    expect(Array.from(probe.affine.weights, (w) => Number(w.toFixed(12)))).toEqual([0.25, 0, 0.5]);
    expect(probe.affine.bias).toBeCloseTo(0.1 * history.values[36] + 7, 9);
    expect(probe.windowsChecked).toBeGreaterThan(3);
  });

  it("refuses a forecast clipped at zero, which the probes around the data alone would take for affine", () => {
    const probe = probeAffine(
      fakeModel((v) => Math.max(0, 0.5 * v[v.length - 1] + 0.3 * v[v.length - 2] - 20)),
      3,
    );
    expect(probe).toMatchObject({ status: "not_affine" });
    if (probe.status === "not_affine") expect(probe.reason).toMatch(/not an affine function of the window/);
  });

  it("refuses a nonlinear forecast (a ratio of the window's values)", () => {
    const probe = probeAffine(
      fakeModel((v) => (v[v.length - 1] * v[v.length - 2]) / 100),
      3,
    );
    expect(probe.status).toBe("not_affine");
  });

  it("refuses a model that cannot forecast a probe window, saying why", () => {
    const probe = probeAffine(
      fakeModel((v) => {
        if (v.some((x) => x <= 0)) throw new RangeError("multiplicative model: values must be positive");
        return v[v.length - 1];
      }),
      3,
    );
    expect(probe).toEqual({
      status: "not_affine",
      reason: expect.stringMatching(/could not forecast a probe window \(multiplicative model: values must be positive\)/),
    });
  });

  it("refuses a model that keeps no history, and a window longer than the history", () => {
    expect(
      probeAffine(
        fakeModel((v) => v[0], false),
        3,
      ),
    ).toEqual({ status: "not_affine", reason: expect.stringMatching(/keeps no history/) });
    expect(
      probeAffine(
        fakeModel((v) => v[0]),
        41,
      ),
    ).toEqual({ status: "not_affine", reason: expect.stringMatching(/shorter than the window/) });
  });
});
