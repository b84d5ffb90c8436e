/**
 * GraphSAGE-style neighbour sampling (Hamilton, Ying & Leskovec 2017; PyG NeighborLoader) and
 * mean/sum aggregation of a node-feature matrix over the sampled neighbours, producing float32
 * tensors with fixed shapes that an ONNX GNN exported with those fanouts takes as inputs (the
 * infer family runs it).
 *
 * Layer 0 holds the seed nodes; layer l holds fanouts[l-1] neighbours of every slot of layer
 * l - 1, so its shape is [B, f1, ..., fl]. Neighbours are in-neighbours by default (the nodes a
 * message-passing layer aggregates from; PyG's flow source_to_target), or out-neighbours, or
 * both (the simple view). Without replacement a node with at most f neighbours contributes all of
 * them and -1 padding; with replacement every slot is filled (GraphSAGE's original sampler).
 * Seeded. O(B x f1 x ... x fL) (x fanout without replacement).
 */
import { WeirError } from '../runtime/errors.js';
import type { Tensor } from '../prep/tensor.js';
import type { Graph, NodeRef } from './graph.js';
import { checkEnum, checkNumber, checkSeed, resolve } from './options.js';

export const SAMPLE_NEIGHBORS_DEFAULTS = Object.freeze({
  /** Neighbours per node at each hop. */
  fanouts: [10, 5] as readonly number[],
  replace: false as boolean,
  direction: 'in' as 'in' | 'out' | 'both',
  seed: 1 as number,
});

export interface NeighborSample {
  /** Layer l: node indices of shape [B, f1, ..., fl], row-major; -1 is padding (copies). */
  layers: Int32Array[];
  /** Shape of each layer. */
  shapes: number[][];
  fanouts: number[];
}

/**
 * Samples a fixed-shape computation tree around each seed.
 *
 * @example
 * const s = sampleNeighbors(g, batchIds, { fanouts: [10, 5], seed: 1 });
 * s.shapes // [[B], [B, 10], [B, 10, 5]]
 */
export function sampleNeighbors(graph: Graph, seeds: NodeRef, options?: Partial<typeof SAMPLE_NEIGHBORS_DEFAULTS>): NeighborSample {
  graph.assertLive();
  const o = resolve('sampleNeighbors', SAMPLE_NEIGHBORS_DEFAULTS, options);
  if (!Array.isArray(o.fanouts) || o.fanouts.length === 0) throw new WeirError('E_ARG', 'weir/graph/sampleNeighbors: fanouts must be a non-empty array of positive integers');
  o.fanouts.forEach((f, i) => checkNumber('sampleNeighbors', `fanouts[${i}]`, f, 1, 2 ** 16, true));
  if (typeof o.replace !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/sampleNeighbors: replace must be a boolean');
  const direction = checkEnum('sampleNeighbors', 'direction', o.direction, ['in', 'out', 'both']);
  checkSeed('sampleNeighbors', o.seed);
  const idx = graph.indicesOf(seeds, 'seeds');
  let total = idx.length;
  for (const f of o.fanouts) total *= f;
  if (total > 2 ** 28) throw new WeirError('E_ARG', `weir/graph/sampleNeighbors: the last layer would hold ${total} slots (over 2^28); use smaller batches or fanouts`);
  const csr = !graph.directed ? graph.out : direction === 'in' ? graph.sortedIn() : direction === 'out' ? graph.out : graph.simple();
  const k = graph.kernel;
  const layers: Int32Array[] = [Int32Array.from(idx)];
  const shapes: number[][] = [[idx.length]];
  k.exports.rngSeed(o.seed);
  for (const f of o.fanouts) {
    const prev = layers[layers.length - 1];
    const next = graph.arena.scoped((alloc) => {
      const p = alloc(4 * Math.max(1, prev.length));
      k.write(p, prev);
      const out = alloc(4 * Math.max(1, prev.length * f));
      k.exports.sampleLayer(csr.off, csr.adj, p, prev.length, f, o.replace ? 1 : 0, out);
      return k.copyOut(Int32Array, out, prev.length * f);
    });
    layers.push(next);
    shapes.push([...shapes[shapes.length - 1], f]);
  }
  return { layers, shapes, fanouts: [...o.fanouts] };
}

export interface SageInputs {
  /** x[l]: features of layer l's nodes, dims [B, f1, ..., fl, d]; zeros for padding. */
  x: Tensor<'float32'>[];
  /**
   * neighbors[l]: features of layer l + 1 aggregated over its last fanout, dims
   * [B, f1, ..., fl, d] — the mean (over real, non-padding neighbours; zeros when none) or sum.
   */
  neighbors: Tensor<'float32'>[];
}

/**
 * Gathers and aggregates a row-major node-feature matrix (n x dim, in node-index order) over a
 * neighbour sample. Runs in JS over the caller's matrix, so the matrix is never copied into wasm.
 *
 * @example
 * const { x, neighbors } = sageInputs(sample, features, 64, { aggregate: 'mean' });
 * new ort.Tensor('float32', x[0].data, x[0].dims)
 */
export function sageInputs(sample: NeighborSample, features: ArrayLike<number>, dim: number, options?: { aggregate?: 'mean' | 'sum' }): SageInputs {
  checkNumber('sageInputs', 'dim', dim, 1, 2 ** 24, true);
  const o = resolve('sageInputs', { aggregate: 'mean' as 'mean' | 'sum' }, options);
  const aggregate = checkEnum('sageInputs', 'aggregate', o.aggregate, ['mean', 'sum']);
  if (features.length % dim !== 0) throw new WeirError('E_SHAPE', `weir/graph/sageInputs: features has ${features.length} values, not a multiple of dim ${dim}`);
  const rows = features.length / dim;
  const x = sample.layers.map((layer, l) => {
    const data = new Float32Array(layer.length * dim);
    for (let i = 0; i < layer.length; i++) {
      const u = layer[i];
      if (u < 0) continue;
      if (u >= rows) throw new WeirError('E_SHAPE', `weir/graph/sageInputs: features has ${rows} rows but the sample names node ${u}`);
      for (let j = 0; j < dim; j++) data[i * dim + j] = features[u * dim + j];
    }
    return { dtype: 'float32' as const, dims: [...sample.shapes[l], dim], data };
  });
  const neighbors = sample.fanouts.map((f, l) => {
    const child = sample.layers[l + 1];
    const parents = sample.layers[l].length;
    const data = new Float32Array(parents * dim);
    const src = x[l + 1].data;
    for (let p = 0; p < parents; p++) {
      let count = 0;
      for (let c = 0; c < f; c++) {
        const slot = p * f + c;
        if (child[slot] < 0) continue;
        count++;
        for (let j = 0; j < dim; j++) data[p * dim + j] += src[slot * dim + j];
      }
      if (aggregate === 'mean' && count > 1) for (let j = 0; j < dim; j++) data[p * dim + j] /= count;
    }
    return { dtype: 'float32' as const, dims: [...sample.shapes[l], dim], data };
  });
  return { x, neighbors };
}
