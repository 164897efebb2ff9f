// ONNX nodes of an ETS model's one-step forecast from a window, for the shapes whose forecast is
// not affine in it (a multiplicative season divides by states the window changes). With the
// parameters fitted and the history before the window fixed, the states at the window's start
// are constants, and the W updates over the window unroll into elementwise operations
// (src/models/ets/recursions.ts has the same updates, with R's guard against dividing by ~0):
//
//   q = l + φb;  s = the seasonal state of the period
//   l' = q + α·(target − q),  target = y − s (additive season), y / s (multiplicative), y (none)
//   b' = φb + (β/α)·(l' − l − φb)
//   s' = s + γ·(t − s),       t = y − q (additive), y / q (multiplicative)
//   forecast = (l + φb) + s, or × s, with the seasonal state of the next period
import type { WindowGraph } from "./onnx-window-graph.js";

export interface EtsRecursion {
  trend: boolean;
  season: "N" | "A" | "M";
  /** Seasonal period (ignored without a season). */
  m: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** The states after the history before the window, R's layout [l, b?, s_1 .. s_m] (s_m applies next). */
  start: Float64Array;
}

/** etscalc's guard: a divisor this close to zero gives HUGE instead (recursions.ts). */
const TOL = 1e-10;
const HUGE = 1e10;

/** Adds the recursion run over the window and the next period's forecast to `g`; returns its output's name. */
export function addEtsNodes(g: WindowGraph, r: EtsRecursion): string {
  const m = r.season === "N" ? 0 : r.m;
  const seasonStart = r.trend ? 2 : 1;
  if (r.start.length !== seasonStart + m) throw new Error(`addEtsNodes: ${r.start.length} states for ${seasonStart + m}`);
  const alpha = g.constant("alpha", r.alpha);
  const tol = g.constant("tol", TOL);
  const huge = g.constant("huge", HUGE);
  let level = g.constant("start_level", r.start[0]);
  let growth = r.trend ? g.constant("start_growth", r.start[1]) : undefined;
  const phi = r.trend ? g.constant("phi", r.phi) : undefined;
  const betaOverAlpha = r.trend ? g.constant("beta_over_alpha", r.beta / r.alpha) : undefined;
  const gamma = m > 0 ? g.constant("gamma", r.gamma) : undefined;
  // season[0] applies to the next period; each update goes to the back (it applies again m periods on).
  const season = Array.from({ length: m }, (_, k) => g.constant(`start_season_${k}`, r.start[seasonStart + m - 1 - k]));
  const guardedDivide = (numerator: string, divisor: string) => {
    const tiny = g.node("Less", [g.node("Abs", [divisor]), tol]);
    return g.node("Where", [tiny, huge, g.node("Div", [numerator, divisor])]);
  };
  const withoutSeason = () => (growth ? g.node("Add", [level, g.node("Mul", [phi!, growth])]) : level);

  for (let t = 0; t < g.windowSize; t++) {
    const y = g.column(t);
    const phib = growth ? g.node("Mul", [phi!, growth]) : undefined;
    const q = phib ? g.node("Add", [level, phib]) : level;
    const s = m > 0 ? season[0] : undefined;
    const target = r.season === "N" ? y : r.season === "A" ? g.node("Sub", [y, s!]) : guardedDivide(y, s!);
    const newLevel = g.node("Add", [q, g.node("Mul", [alpha, g.node("Sub", [target, q])])]);
    if (growth) growth = g.node("Add", [phib!, g.node("Mul", [betaOverAlpha!, g.node("Sub", [g.node("Sub", [newLevel, level]), phib!])])]);
    if (m > 0) {
      const seasonTarget = r.season === "A" ? g.node("Sub", [y, q]) : guardedDivide(y, q);
      const updated = g.node("Add", [s!, g.node("Mul", [gamma!, g.node("Sub", [seasonTarget, s!])])]);
      season.push(updated);
      season.shift();
    }
    level = newLevel;
  }
  const base = withoutSeason();
  if (m === 0) return base;
  return g.node(r.season === "A" ? "Add" : "Mul", [base, season[0]]);
}
