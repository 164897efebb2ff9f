// A preconditioner for MinT's system (Uᵀ W U) z = b that is the exact inverse of Uᵀ D U, D the
// diagonal of W. With a diagonal W (ols, wls_struct, wls_var) the solver then converges in one
// step; with mint_shrink's diagonal + rank-T covariance in at most about T + 1.
//
// Why it is cheap: (Uᵀ D U)_ij = δ_ij D_i + Σ over the bottom series both aggregates share of D_k,
// so two aggregates couple only when they overlap. In a retail hierarchy the few large aggregates
// (M5: the 154 above the item level) overlap everything, and once they are set apart the rest
// falls into small independent groups (M5: each item with its state×item series, 4 aggregates).
// So: B = the largest aggregates, S = the rest; A_SS is block diagonal (dense Cholesky per
// block), and the Schur complement C = A_BB − A_BS A_SS⁻¹ A_SB is m × m (dense Cholesky). The
// number m of large aggregates is the least (in size order) that leaves no group above
// MAX_BLOCK aggregates; when that would make the dense parts too big, it falls back to Jacobi.
import { choleskyInPlace, choleskySolveInPlace } from "./cholesky.js";
import { type SummingStructure, containingAggregates } from "./structure.js";

const MAX_BLOCK = 600;
const MAX_LARGE = 2_000;
/** Largest |S| × m the dense A_SS⁻¹ A_SB may hold (doubles): 160 MB. */
const MAX_COUPLING = 20_000_000;

export interface Preconditioner {
  /** out = M⁻¹ r. */
  apply(r: Float64Array, out: Float64Array): void;
  kind: "schur" | "jacobi";
  large: number;
  largestBlock: number;
}

/** Groups of the aggregates outside `large`, connected when they share a bottom series. */
function smallGroups(s: SummingStructure, large: Uint8Array): { groupOf: Int32Array; sizes: Map<number, number> } {
  const parent = new Int32Array(s.bottomCount).map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  for (let i = 0; i < s.aggregateCount; i++) {
    if (large[i]) continue;
    const first = find(s.members[s.offsets[i]]);
    for (let e = s.offsets[i] + 1; e < s.offsets[i + 1]; e++) {
      const other = find(s.members[e]);
      if (other !== first) parent[other] = first;
    }
  }
  const groupOf = new Int32Array(s.aggregateCount).fill(-1);
  const sizes = new Map<number, number>();
  for (let i = 0; i < s.aggregateCount; i++) {
    if (large[i]) continue;
    const root = find(s.members[s.offsets[i]]);
    groupOf[i] = root;
    sizes.set(root, (sizes.get(root) ?? 0) + 1);
  }
  return { groupOf, sizes };
}

function jacobi(inverseDiagonal: Float64Array): Preconditioner {
  return {
    kind: "jacobi",
    large: 0,
    largestBlock: 1,
    apply: (r, out) => {
      for (let i = 0; i < r.length; i++) out[i] = r[i] * inverseDiagonal[i];
    },
  };
}

export function schurPreconditioner(s: SummingStructure, d: Float64Array, inverseDiagonal: Float64Array): Preconditioner {
  const na = s.aggregateCount;
  const size = (i: number) => s.offsets[i + 1] - s.offsets[i];
  const bySize = Array.from({ length: na }, (_, i) => i).sort((a, b) => size(b) - size(a) || a - b);
  const large = new Uint8Array(na);
  const largestGroup = (m: number) => {
    large.fill(0);
    for (let j = 0; j < m; j++) large[bySize[j]] = 1;
    let worst = 0;
    for (const count of smallGroups(s, large).sizes.values()) worst = Math.max(worst, count);
    return worst;
  };
  // The least m (binary search: more large aggregates never make a group bigger).
  let lo = 0;
  let hi = Math.min(na, MAX_LARGE);
  if (largestGroup(hi) > MAX_BLOCK) return jacobi(inverseDiagonal);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (largestGroup(mid) <= MAX_BLOCK) hi = mid;
    else lo = mid + 1;
  }
  const m = lo;
  if ((na - m) * m > MAX_COUPLING) return jacobi(inverseDiagonal);
  large.fill(0);
  for (let j = 0; j < m; j++) large[bySize[j]] = 1;
  const { groupOf } = smallGroups(s, large);

  // Index the small aggregates group by group: position in S, and each group's slice.
  const smallIndex = new Int32Array(na).fill(-1);
  const largeIndex = new Int32Array(na).fill(-1);
  for (let j = 0; j < m; j++) largeIndex[bySize[j]] = j;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < na; i++) {
    if (large[i]) continue;
    let list = groups.get(groupOf[i]);
    if (!list) groups.set(groupOf[i], (list = []));
    list.push(i);
  }
  const order: number[] = [];
  const blockStart: number[] = [];
  const blockFactorAt: number[] = [];
  let factorLength = 0;
  let largestBlock = 0;
  for (const list of groups.values()) {
    blockStart.push(order.length);
    blockFactorAt.push(factorLength);
    factorLength += list.length * list.length;
    largestBlock = Math.max(largestBlock, list.length);
    for (const i of list) {
      smallIndex[i] = order.length;
      order.push(i);
    }
  }
  blockStart.push(order.length);
  const small = order.length;

  // A_SS blocks: diagonal D_i plus, for each shared bottom series k, D_k.
  const { offsets: cOff, aggregates: cAgg } = containingAggregates(s);
  const factors = new Float64Array(factorLength);
  const blockOf = new Int32Array(small);
  for (let b = 0; b + 1 < blockStart.length; b++) for (let p = blockStart[b]; p < blockStart[b + 1]; p++) blockOf[p] = b;
  for (let p = 0; p < small; p++) {
    const i = order[p];
    const b = blockOf[p];
    const n = blockStart[b + 1] - blockStart[b];
    const row = blockFactorAt[b] + (p - blockStart[b]) * n;
    factors[row + (p - blockStart[b])] += d[i];
    for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) {
      const k = s.members[e];
      for (let c = cOff[k]; c < cOff[k + 1]; c++) {
        const q = smallIndex[cAgg[c]];
        if (q >= 0) factors[row + (q - blockStart[b])] += d[na + k];
      }
    }
  }
  for (let b = 0; b + 1 < blockStart.length; b++) {
    const n = blockStart[b + 1] - blockStart[b];
    if (!choleskyInPlace(factors, n, blockFactorAt[b])) return jacobi(inverseDiagonal);
  }
  const solveSmall = (v: Float64Array, offset = 0) => {
    for (let b = 0; b + 1 < blockStart.length; b++) {
      choleskySolveInPlace(factors, blockStart[b + 1] - blockStart[b], v, blockFactorAt[b], offset + blockStart[b]);
    }
  };

  // Columns of A for each large aggregate j: A e_j = Uᵀ D U e_j, split into A_SB (→ Z) and A_BB.
  const z = new Float64Array(small * m); // Z = A_SS⁻¹ A_SB, column-major: column j at j * small
  const schur = new Float64Array(m * m);
  const u = new Float64Array(s.bottomCount);
  const column = new Float64Array(na);
  for (let j = 0; j < m; j++) {
    const agg = bySize[j];
    u.fill(0);
    for (let e = s.offsets[agg]; e < s.offsets[agg + 1]; e++) u[s.members[e]] = d[na + s.members[e]];
    // column_i = δ_{i,agg} D_agg + Σ_{k ∈ i} u_k
    for (let i = 0; i < na; i++) {
      let acc = i === agg ? d[agg] : 0;
      for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) acc += u[s.members[e]];
      column[i] = acc;
    }
    for (let i = 0; i < na; i++) {
      if (large[i]) schur[largeIndex[i] * m + j] = column[i];
      else z[j * small + smallIndex[i]] = column[i];
    }
    solveSmall(z, j * small);
  }
  // C = A_BB − A_SBᵀ Z. A_SB's columns were not kept (Z took their place), so each is made again:
  // A_{p,a} = Σ of D_k over the bottom series small aggregate p shares with large aggregate a.
  for (let a = 0; a < m; a++) {
    const agg = bySize[a];
    u.fill(0);
    for (let e = s.offsets[agg]; e < s.offsets[agg + 1]; e++) u[s.members[e]] = d[na + s.members[e]];
    for (let p = 0; p < small; p++) {
      const i = order[p];
      let acc = 0;
      for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) acc += u[s.members[e]];
      column[p] = acc;
    }
    for (let j = 0; j < m; j++) {
      let acc = 0;
      const zj = j * small;
      for (let p = 0; p < small; p++) acc += column[p] * z[zj + p];
      schur[a * m + j] -= acc;
    }
  }
  if (!choleskyInPlace(schur, m)) return jacobi(inverseDiagonal);

  const rs = new Float64Array(small);
  const t = new Float64Array(m);
  return {
    kind: "schur",
    large: m,
    largestBlock,
    apply: (r, out) => {
      for (let p = 0; p < small; p++) rs[p] = r[order[p]];
      solveSmall(rs); // A_SS⁻¹ r_S
      for (let j = 0; j < m; j++) {
        let acc = r[bySize[j]];
        const zj = j * small;
        for (let p = 0; p < small; p++) acc -= z[zj + p] * r[order[p]];
        t[j] = acc; // r_B − Zᵀ r_S
      }
      choleskySolveInPlace(schur, m, t);
      for (let j = 0; j < m; j++) out[bySize[j]] = t[j];
      for (let p = 0; p < small; p++) {
        let acc = rs[p];
        for (let j = 0; j < m; j++) acc -= z[j * small + p] * t[j];
        out[order[p]] = acc;
      }
    },
  };
}
