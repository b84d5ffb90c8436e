// Shared pieces of the graph tests: random edge lists for fast-check, and the karate club.
import fc from 'fast-check';
import GraphologyGraph from 'graphology';
import karateGen from 'graphology-generators/social/karate-club.js';
import type { RefEdges } from './graph.js';

export interface EdgeCase extends RefEdges {
  duplicates: NonNullable<RefEdges['duplicates']>;
  selfLoops: NonNullable<RefEdges['selfLoops']>;
  weighted: boolean;
  /** Pass the ids as an Int32Array (copied once into wasm and mapped in place) instead of numbers. */
  typed: boolean;
}

/**
 * Random small graphs: ids are labels drawn from a few scales (dense small ids, sparse huge ids,
 * negative ids) so both id paths of the builder run; self loops, duplicates and isolated nodes occur.
 */
export const edgeCaseArb: fc.Arbitrary<EdgeCase> = fc
  .record({
    pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 })), { maxLength: 45 }),
    isolated: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
    scale: fc.constantFrom(1, 7919, 1e12),
    shift: fc.constantFrom(0, -3),
    directed: fc.boolean(),
    weighted: fc.boolean(),
    duplicates: fc.constantFrom('keep', 'sum', 'min', 'max', 'first', 'last') as fc.Arbitrary<EdgeCase['duplicates']>,
    selfLoops: fc.constantFrom('keep', 'drop') as fc.Arbitrary<EdgeCase['selfLoops']>,
    typed: fc.boolean(),
  })
  .filter((r) => r.pairs.length + r.isolated.length > 0)
  .map((r) => {
    const id = (x: number) => x * r.scale + r.shift;
    return {
      src: r.pairs.map(([a]) => id(a)),
      dst: r.pairs.map(([, b]) => id(b)),
      weight: r.weighted ? r.pairs.map(([, , w]) => w / 4) : undefined,
      nodes: r.isolated.map(id),
      directed: r.directed,
      weighted: r.weighted,
      duplicates: r.duplicates,
      selfLoops: r.selfLoops,
      typed: r.typed && r.scale < 1e12,
    };
  });

/** Builds the weir graph of a case (ids as numbers, or as an Int32Array when c.typed). */
export function buildCase(Graph: { fromEdges(o: object): Promise<any> }, c: EdgeCase): Promise<any> {
  const ids = (a: number[]) => (c.typed ? Int32Array.from(a) : a);
  return Graph.fromEdges({ src: ids(c.src), dst: ids(c.dst), weight: c.weight, nodes: c.nodes, directed: c.directed, duplicates: c.duplicates, selfLoops: c.selfLoops });
}

/** Zachary's karate club as NetworkX's karate_club_graph: 34 nodes, 78 undirected edges. */
export function karate(): { src: number[]; dst: number[] } {
  const g = karateGen(GraphologyGraph);
  const src: number[] = [];
  const dst: number[] = [];
  g.forEachEdge((_e, _a, s, t) => {
    src.push(Number(s));
    dst.push(Number(t));
  });
  return { src, dst };
}

export function closeTo(a: ArrayLike<number>, b: ArrayLike<number>, eps: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= eps)) return false;
  return true;
}
