// A synthetic hierarchy shaped like M5's (Walmart: 10 stores in 3 states, 3,049 items in 3
// categories and 7 departments; 12 levels, 42,840 series), scaled by the number of stores and
// items, with seeded incoherent base forecasts and correlated in-sample residuals. Used by
// bench/reconcile.ts at full size and by the reconciliation tests at small sizes.
import type { HierarchyStructure } from "../src/models/reconcile/index.js";

/** M5's departments: category and share of the items. */
const DEPARTMENTS = [
  { cat: 0, share: 216 },
  { cat: 0, share: 398 },
  { cat: 0, share: 823 },
  { cat: 1, share: 416 },
  { cat: 1, share: 149 },
  { cat: 2, share: 532 },
  { cat: 2, share: 515 },
];
/** M5's stores per state (CA 4, TX 3, WI 3), repeated for other store counts. */
const STATE_OF_STORE = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];

export const M5_LEVELS = [
  "total",
  "state",
  "store",
  "cat",
  "dept",
  "state_cat",
  "state_dept",
  "store_cat",
  "store_dept",
  "item",
  "state_item",
  "store_item",
] as const;

export interface SyntheticHierarchy {
  structure: HierarchyStructure;
  /** Level index (into M5_LEVELS) of every series, aggregates first then bottom. */
  level_of: Int32Array;
  seriesCount: number;
}

/** Bottom series are store-major: bottom k = store ⌊k / items⌋, item k mod items. */
export function m5Hierarchy(stores: number, items: number): SyntheticHierarchy {
  const total = DEPARTMENTS.reduce((acc, d) => acc + d.share, 0);
  const deptOfItem = new Int32Array(items);
  let cumulative = 0;
  let next = 0;
  DEPARTMENTS.forEach((d, index) => {
    cumulative += d.share;
    const end = index === DEPARTMENTS.length - 1 ? items : Math.round((cumulative / total) * items);
    for (; next < end; next++) deptOfItem[next] = index;
  });
  const key = (level: number, store: number, item: number): string => {
    const state = STATE_OF_STORE[store % STATE_OF_STORE.length];
    const dept = deptOfItem[item];
    const cat = DEPARTMENTS[dept].cat;
    return [
      "",
      `${state}`,
      `${store}`,
      `${cat}`,
      `${dept}`,
      `${state}/${cat}`,
      `${state}/${dept}`,
      `${store}/${cat}`,
      `${store}/${dept}`,
      `${item}`,
      `${state}/${item}`,
    ][level];
  };
  const aggregates: number[][] = [];
  const levels: number[] = [];
  for (let level = 0; level < M5_LEVELS.length - 1; level++) {
    const groups = new Map<string, number[]>();
    for (let store = 0; store < stores; store++) {
      for (let item = 0; item < items; item++) {
        const k = key(level, store, item);
        let members = groups.get(k);
        if (!members) groups.set(k, (members = []));
        members.push(store * items + item);
      }
    }
    for (const members of groups.values()) {
      aggregates.push(members);
      levels.push(level);
    }
  }
  const bottom = stores * items;
  const level_of = new Int32Array(aggregates.length + bottom);
  level_of.set(levels);
  level_of.fill(M5_LEVELS.length - 1, aggregates.length);
  return { structure: { bottom_count: bottom, aggregates }, level_of, seriesCount: aggregates.length + bottom };
}

/** mulberry32: small, seeded, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface SyntheticForecasts {
  /** n × h incoherent base forecasts. */
  base: Float64Array;
  /** n × T residuals: bottom noise summed up, plus each aggregate's own noise. */
  residuals: Float64Array;
  /** n × h base standard deviations. */
  sigma: Float64Array;
}

export function syntheticForecasts(h: SyntheticHierarchy, steps: number, residualSteps: number, seed: number): SyntheticForecasts {
  const random = seededRandom(seed);
  const { structure } = h;
  const na = structure.aggregates.length;
  const n = h.seriesCount;
  const rate = new Float64Array(n);
  for (let k = 0; k < structure.bottom_count; k++) rate[na + k] = 0.2 + 3 * random() ** 2;
  const residuals = new Float64Array(n * residualSteps);
  for (let k = 0; k < structure.bottom_count; k++) {
    const sd = Math.sqrt(rate[na + k]);
    for (let t = 0; t < residualSteps; t++) residuals[(na + k) * residualSteps + t] = sd * normal(random);
  }
  for (let i = 0; i < na; i++) {
    const members = structure.aggregates[i];
    for (let e = 0; e < members.length; e++) {
      const k = na + members[e];
      rate[i] += rate[k];
      for (let t = 0; t < residualSteps; t++) residuals[i * residualSteps + t] += residuals[k * residualSteps + t];
    }
    const own = 0.3 * Math.sqrt(rate[i]);
    for (let t = 0; t < residualSteps; t++) residuals[i * residualSteps + t] += own * normal(random);
  }
  const base = new Float64Array(n * steps);
  const sigma = new Float64Array(n * steps);
  for (let i = 0; i < n; i++) {
    const bias = 1 + 0.1 * normal(random);
    for (let t = 0; t < steps; t++) {
      const weekly = 1 + 0.2 * Math.sin((2 * Math.PI * t) / 7);
      base[i * steps + t] = Math.max(0, rate[i] * weekly * bias + 0.1 * Math.sqrt(rate[i]) * normal(random));
      sigma[i * steps + t] = Math.sqrt(rate[i]) * (1 + t / steps);
    }
  }
  return { base, residuals, sigma };
}

/** The M5 levels that split one another (total → cat → dept → item → state×item): top-down's tree. */
export const M5_NESTED_LEVELS = ["total", "cat", "dept", "item", "state_item"] as const;

export function m5TopDownAggregates(h: SyntheticHierarchy): Int32Array {
  const nested = new Set(M5_NESTED_LEVELS.map((name) => M5_LEVELS.indexOf(name)));
  const out: number[] = [];
  for (let i = 0; i < h.structure.aggregates.length; i++) if (nested.has(h.level_of[i])) out.push(i);
  return Int32Array.from(out);
}
