import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatches } from '../dist/io/index.js';
import { Graph, pagerank, louvain, coreNumbers, graphFromFile } from '../dist/graph/index.js';
import { karate } from './reference/graph-cases.js';
import { runWeir, type Run } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

const weir = (args: string[]): Promise<Run> => runWeir(dir, args);

async function rows(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const t of readBatches(path)) for (const r of t) out.push(r!.toJSON() as Record<string, unknown>);
  return out;
}

const { src, dst } = karate();
// node ids as labels: 1000 + i, so a row's node must come from the file, not an index
writeFileSync(at('karate.csv'), `from,to\n${src.map((s, i) => `${1000 + s},${1000 + dst[i]}`).join('\n')}\n`);

describe('graphFromFile', () => {
  it('builds the same graph as the columns, and names a missing column', async () => {
    writeFileSync(at('w.ndjson'), '{"a":1,"b":2,"w":0.5}\n{"a":2,"b":3,"w":2}\n{"a":3,"b":1,"w":1}\n');
    using g = await graphFromFile(at('w.ndjson'), { src: 'a', dst: 'b', weight: 'w', directed: true });
    using h = await Graph.fromEdges({ src: [1, 2, 3], dst: [2, 3, 1], weight: [0.5, 2, 1], directed: true });
    expect(g.weighted).toBe(true);
    expect(Array.from(pagerank(g))).toEqual(Array.from(pagerank(h)));
    await expect(graphFromFile(at('w.ndjson'), { src: 'a', dst: 'c' })).rejects.toMatchObject({ code: 'E_COLUMN', message: expect.stringMatching(/'c'/) });
  });
});

describe('weir graph', () => {
  it('pagerank writes one row per node with the file\'s ids and the library\'s scores', async () => {
    const r = await weir(['graph', 'pagerank', 'karate.csv', '--src', 'from', '--dst', 'to', '--out', 'pr.csv', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/34 nodes, 78 undirected edges/);
    expect(r.stderr).toMatch(/top nodes: 1033 .*, 1000 /);
    using g = await Graph.fromEdges({ src, dst });
    const pr = pagerank(g);
    const out = await rows(at('pr.csv'));
    expect(out.length).toBe(34);
    out.forEach((row, i) => {
      expect(Number(row.node)).toBe(1000 + i);
      expect(Number(row.value)).toBeCloseTo(pr[i], 12);
    });
  });

  it('communities writes node, community and prints the modularity; kcore to Parquet', async () => {
    const r = await weir(['graph', 'communities', 'karate.csv', '--src', 'from', '--dst', 'to', '--out', 'c.ndjson', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    using g = await Graph.fromEdges({ src, dst });
    const lv = louvain(g);
    expect(r.stderr).toContain(`modularity ${lv.modularity.toFixed(4)}`);
    const out = await rows(at('c.ndjson'));
    expect(Object.keys(out[0])).toEqual(['node', 'community']);
    expect(out.map((x) => Number(x.community))).toEqual(Array.from(lv.communities));
    const k = await weir(['graph', 'kcore', 'karate.csv', '--src', 'from', '--dst', 'to', '--out', 'k.parquet', '--no-progress']);
    expect(k.code, k.stderr).toBe(0);
    expect((await rows(at('k.parquet'))).map((x) => Number(x.value))).toEqual(Array.from(coreNumbers(g)));
  });

  it('bfs from --source, directed, and string ids', async () => {
    writeFileSync(at('s.csv'), 'a,b\nx,y\ny,z\nq,x\n');
    const r = await weir(['graph', 'bfs', 's.csv', '--src', 'a', '--dst', 'b', '--directed', '--source', 'x', '--out', 'h.csv', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect((await rows(at('h.csv'))).map((x) => [x.node, Number(x.value)])).toEqual([['x', 0], ['y', 1], ['z', 2], ['q', -1]]);
  });

  it('names a missing column, an unknown source and a bad algorithm without a stack trace', async () => {
    const a = await weir(['graph', 'pagerank', 'karate.csv', '--src', 'from', '--dst', 'nope', '--no-progress']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/nope/);
    expect(a.stderr).not.toMatch(/\n\s+at /);
    const b = await weir(['graph', 'bfs', 'karate.csv', '--src', 'from', '--dst', 'to', '--source', '5', '--no-progress']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/--source: 5 is not a node/);
    const c = await weir(['graph', 'pagerankz', 'karate.csv', '--src', 'from', '--dst', 'to']);
    expect(c.code).toBe(1);
  });
});
