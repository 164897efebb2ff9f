// Whether a freshly trained model may be served. A registry serves a category's champion, else
// its latest version, so every training used to put its model in service, even one with a MASE of
// 41,099 (issue 14, item 4). A model whose validation errors are absurd is still registered (it
// can be inspected, evaluated and promoted by hand) but held back: the version served before
// stays served.
//
// The rule, on the validation part, where the network and the baselines forecast the same targets:
//   - the network's RMSE or MAE is not a finite number; or
//   - its MAE is more than train.max_baseline_ratio times the MAE of the WORST baseline (naive,
//     seasonal naive, moving average), and more than 1% of the targets' mean absolute value.
// The baselines need no training, so a network several times worse than the worst of them is
// broken (diverged, or normalised by a degenerate training part), not merely weak. Measured on
// 2026-12-04 (`salescast train --all`, ratio = network MAE / worst baseline MAE): at most 1.14
// on the 45 Walmart stores, 0.80 on the retail file, 1.005 on the pharmacy's 8 series with a
// 1-epoch 4-channel network, 0.94 on demo data likewise; the model of issue 14 (a 200-day file
// with 0001-01-01 added, trained with the defaults) had 4.7 (MASE 16,372). Hence the default 3.
// The 1% floor keeps tiny absolute errors on a series the baselines forecast exactly (a
// constant) from counting as absurd.
import type { PartEvaluation } from "./evaluation.js";

/** Why the model must not be served, or undefined when it may be. ratio 0 turns the comparison off. */
export function holdBackReason(validation: Pick<PartEvaluation, "metrics" | "baselines" | "actual">, ratio: number): string | undefined {
  const { rmse, mae } = validation.metrics;
  if (!Number.isFinite(rmse) || !Number.isFinite(mae)) {
    return `its validation errors are not finite numbers (RMSE ${rmse}, MAE ${mae})`;
  }
  if (ratio <= 0) return undefined;
  const baselines = Object.entries(validation.baselines).filter(([, m]) => Number.isFinite(m.mae));
  if (baselines.length === 0) return undefined;
  const [worstName, worst] = baselines.reduce((a, b) => (b[1].mae > a[1].mae ? b : a));
  let level = 0;
  for (const value of validation.actual) level += Math.abs(value);
  level /= Math.max(validation.actual.length, 1);
  if (mae > ratio * worst.mae && mae > 0.01 * level) {
    const times = worst.mae > 0 ? `${(mae / worst.mae).toPrecision(3)} times` : "infinitely many times";
    return (
      `its validation MAE ${mae.toPrecision(4)} is ${times} that of the worst baseline (${worstName}, ${worst.mae.toPrecision(4)}), ` +
      `more than train.max_baseline_ratio (${ratio})`
    );
  }
  return undefined;
}
