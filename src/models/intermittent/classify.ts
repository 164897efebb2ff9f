// Demand classification of Syntetos, Boylan & Croston (2005), "On the categorization of demand
// patterns": two numbers place a series in one of four quadrants,
//   ADI  average inter-demand interval (periods per demand)      cut-off 1.32
//   CV²  squared coefficient of variation of the non-zero sizes   cut-off 0.49
//   smooth (ADI < 1.32, CV² < 0.49)   erratic (ADI < 1.32, CV² ≥ 0.49)
//   intermittent (ADI ≥ 1.32, CV² < 0.49)   lumpy (ADI ≥ 1.32, CV² ≥ 0.49)
// Above the ADI cut-off, Croston-type methods (SBA first) beat exponential smoothing on
// demand with many zero periods; the paper recommends SBA for all quadrants but smooth.

export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export type DemandCategory = "smooth" | "erratic" | "intermittent" | "lumpy" | "no_demand";

export interface DemandClassification {
  category: DemandCategory;
  /** Periods per demand: the series' length over the number of periods with demand (Infinity without demand). */
  adi: number;
  /** Sample variance over squared mean of the non-zero demands (0 with fewer than two). */
  cv2: number;
  demand_periods: number;
  /** Share of periods with zero demand. */
  zero_share: number;
  /** True for intermittent and lumpy series: the tournament adds Croston, SBA and TSB for them. */
  intermittent: boolean;
  /** The paper's choice: Croston for smooth demand, SBA otherwise; null without demand. */
  recommended: "croston" | "sba" | null;
}

/** Classifies y (non-negative demand per period; a negative value counts as demand). */
export function classifyDemand(y: ArrayLike<number>): DemandClassification {
  const n = y.length;
  let count = 0;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    if (y[t] !== 0) {
      count++;
      sum += y[t];
    }
  }
  if (count === 0) {
    return {
      category: "no_demand",
      adi: Number.POSITIVE_INFINITY,
      cv2: 0,
      demand_periods: 0,
      zero_share: n === 0 ? 0 : 1,
      intermittent: false,
      recommended: null,
    };
  }
  const average = sum / count;
  let squares = 0;
  for (let t = 0; t < n; t++) if (y[t] !== 0) squares += (y[t] - average) * (y[t] - average);
  const cv2 = count > 1 ? squares / (count - 1) / (average * average) : 0;
  const adi = n / count;
  const sporadic = adi >= ADI_CUTOFF;
  const variable = cv2 >= CV2_CUTOFF;
  const category: DemandCategory = sporadic ? (variable ? "lumpy" : "intermittent") : variable ? "erratic" : "smooth";
  return {
    category,
    adi,
    cv2,
    demand_periods: count,
    zero_share: (n - count) / n,
    intermittent: sporadic,
    recommended: category === "smooth" ? "croston" : "sba",
  };
}
