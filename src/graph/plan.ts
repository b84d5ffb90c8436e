/**
 * Memory plans: how many bytes of wasm memory a graph needs while it is built (peak) and once
 * built (resident), so a graph that cannot fit is refused before anything is allocated.
 *
 * Directed graphs keep a forward and a reverse CSR: offsets u32[n + 1] and neighbours u32[E] each,
 * plus f64[E] weights each when weighted. Undirected graphs keep one symmetric CSR with 2E - loops
 * entries. The build scatters edges into a temporary CSR keyed by target, then gathers it into the
 * sorted forward CSR (counting sort, two passes), so the peak holds the mapped edge list and one
 * temporary CSR at once.
 */
export interface GraphPlanInput {
  nodes: number;
  edges: number;
  directed: boolean;
  weighted: boolean;
}

export interface GraphPlan {
  /** Largest number of bytes live at once while building. */
  peak: number;
  /** Bytes the built graph keeps. */
  resident: number;
}

/** Bytes per node and per edge of a build, as in the module comment. */
export function planGraph({ nodes: n, edges: e, directed, weighted }: GraphPlanInput): GraphPlan {
  const w = weighted ? 1 : 0;
  const offsets = 4 * (n + 1);
  const edgeList = 8 * e + 8 * e * w;
  if (directed) {
    const csr = 4 * e + 8 * e * w;
    const scatter = edgeList + csr + offsets + 16 * n;
    const gather = 2 * csr + 2 * offsets + 16 * n;
    return { peak: Math.max(scatter, gather), resident: 2 * csr + 2 * offsets };
  }
  const m = 2 * e;
  const csr = 4 * m + 8 * m * w;
  const scatter = edgeList + csr + offsets + 8 * n;
  const gather = 2 * csr + offsets + 4 * n;
  return { peak: Math.max(scatter, gather), resident: csr + offsets };
}
