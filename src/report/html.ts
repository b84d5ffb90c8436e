/**
 * report.html: one self-contained page — inline CSS, the charts as inline SVG rendered at build
 * time, no script, no external resource — so it opens offline and can be mailed as it is.
 * Every value that came from the input files is HTML-escaped.
 */
import type { Report, Quantiles } from './types.js';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 1234567 -> '1,234,567' (fixed locale, so the page is the same everywhere). */
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const num = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const pct = (x: number, digits = 1): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}\u00a0%` : '—');
/** 100216622 -> '100.2M' (headline cards). */
const compact = (x: number): string => (Number.isFinite(x) ? x.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 }) : '—');
/** Epoch ms as 'YYYY-MM-DD HH:MM' UTC. */
export const when = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : '—');
const clock = (t: number): string => new Date(t).toISOString().slice(11, 16);

/** A duration in ms as '45 s', '12.5 min', '1.4 h'. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function figure(svg: string | null | undefined, caption: string): string {
  if (!svg) return '';
  return `<figure class="chart">${svg}<figcaption>${caption}</figcaption></figure>`;
}

function quantileRow(label: string, q: Quantiles, fmt: (x: number) => string): string[] {
  return [label, fmt(q.mean), fmt(q.p50), fmt(q.p90), fmt(q.p99)];
}

const CSS = `
:root { --ink:#1d2330; --muted:#5b6475; --line:#e3e6ec; --accent:#3b6fb6; --bad:#d1495b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: var(--muted); }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
section h2 { margin: 0 0 10px; font-size: 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 20px; white-space: nowrap; }
.card span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
figure.chart { margin: 8px 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.notes { background: #fff8e6; border-color: #f0d9a0; }
.muted { color: var(--muted); }
.bad { color: var(--bad); font-weight: 600; }
code { font-size: 12.5px; }
@media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
`;

function ringTable(rings: NonNullable<Report['rings']>['rings']): string {
  const other = rings.some((x) => x.other.length > 0);
  const list = (xs: Array<number | string>) => xs.map(esc).join(', ') || '—';
  return table(
    ['#', 'accounts', 'members', 'shared devices', 'shared cards', ...(other ? ['other shared attributes'] : [])],
    rings.map((x, i) => [String(i + 1), String(x.users.length), list(x.users), list(x.devices), list(x.cards), ...(other ? [list(x.other)] : [])]),
  );
}

/** The page for `r`, with `charts` (name -> SVG) from renderCharts. */
export function htmlPage(r: Report, charts: Record<string, string | null>): string {
  const h = r.headline;
  const source = r.inputs.builtIn
    ? `built-in dataset (scale ${esc(r.inputs.builtIn.scale)}, seed ${r.inputs.builtIn.seed})`
    : esc(r.inputs.events.path);
  const cards = [
    ['events', int(h.events)],
    ['users ≈', int(h.users)],
    ['items ≈', int(h.items)],
    ['revenue', compact(h.revenue)],
    ['purchases', int(h.purchases)],
    ['conversion', pct(h.conversion, 2)],
  ]
    .map(([k, v]) => `<div class="card"><b>${v}</b><span>${k}</span></div>`)
    .join('');
  const parts: string[] = [];
  parts.push(`<header><h1>${esc(r.title)}</h1><p>${source} · ${when(h.start)} to ${when(h.end)} UTC · generated ${esc(r.generatedAt.slice(0, 16).replace('T', ' '))} UTC by weir ${esc(r.weirVersion)}</p><div class="cards">${cards}</div></header>`);
  if (r.notes.length) parts.push(`<section class="notes"><h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`);

  parts.push(`<section id="traffic"><h2>Traffic</h2>
${figure(charts.traffic, 'All events per minute of event time. Shaded: minutes flagged as anomalous.')}
${figure(charts.purchases, 'Purchases per minute. Shaded: minutes flagged as anomalous.')}
${figure(charts.usersPerHour, 'Distinct users per hour, estimated with HyperLogLog (about 0.8 % standard error).')}
</section>`);

  const anomalyRows = r.anomalies.series.flatMap((s) =>
    s.periods.map((p) => [
      esc(s.metric),
      s.side === 'upper' ? 'above normal' : 'below normal',
      `${when(p.start)}–${clock(p.end)}`,
      `<span class="num">${p.minutes}</span>`,
      `${int(p.value)} vs ${int(p.baseline)}`,
      num(p.peakScore, 1),
    ]),
  );
  parts.push(`<section id="anomalies"><h2>Anomalous periods</h2>
<p class="muted">${esc(r.anomalies.detector)}; flagged beyond ${r.anomalies.threshold} standard deviations; baseline: median of the ${r.anomalies.baselineMinutes} surrounding minutes.</p>
${anomalyRows.length ? table(['metric', 'direction', 'when (UTC)', 'minutes', 'peak minute vs baseline', 'peak |z|'], anomalyRows) : '<p>No anomalous minutes.</p>'}
</section>`);

  const f = r.funnel;
  parts.push(`<section id="funnel"><h2>Funnel and categories</h2><div class="grid"><div>
${figure(charts.funnel, 'Events and distinct users (HyperLogLog) at each stage.')}
${table(['stage', 'events', 'users ≈', 'of previous stage'], f.map((s, i) => [s.stage, int(s.events), int(s.users), i === 0 ? '' : pct(s.rate)]))}
<p>Purchases per view: <b>${pct(h.conversion, 2)}</b>; purchasers per viewer: <b>${pct(h.userConversion, 1)}</b>.</p></div>
<div>${figure(charts.categories, 'Revenue (price of purchases) by category.')}</div></div></section>`);

  const t = r.trending;
  parts.push(`<section id="trending"><h2>Trending items</h2><div class="grid"><div>
${figure(charts.trending, `Σ weight · 2^(−age/${duration(t.halfLifeMs)}) at the end of ${when(t.window.start).slice(0, 10)}; view 1, cart 3, purchase 5.`)}</div><div>
${table(['item', 'decayed weight', 'events that day'], t.items.map((x) => [esc(x.item), num(x.weight, 1), int(x.events)]))}</div></div>
${figure(charts.topPerHour, 'Events of the items most often among each hour’s leaders (space-saving top-k per hour).')}
</section>`);

  const s = r.sessions;
  parts.push(`<section id="sessions"><h2>Sessions</h2><div class="grid"><div>
<p><b>${int(s.count)}</b> sessions (a gap of ${duration(s.gapMs)} ends one); <b>${pct(s.count ? s.converting / s.count : NaN)}</b> include a purchase.</p>
${table(['', 'mean', 'median', 'p90', 'p99'], [quantileRow('events per session', s.length, (x) => num(x, 1)), quantileRow('duration', s.durationMs, duration)])}
<p class="muted">Quantiles from DDSketch (within 1 % of the exact value at that rank).</p></div>
<div>${figure(charts.sessionLength, 'Sessions by number of events.')}</div></div></section>`);

  const g = r.graph;
  if (g) {
    parts.push(`<section id="influencers"><h2>Influencers</h2>
<p>Follow graph: ${int(g.nodes)} accounts, ${int(g.edges)} follows. PageRank (damping 0.85, to convergence${g.pagerank.iterations !== null ? `, ${g.pagerank.iterations} iterations` : ''}) on the ${esc(g.pagerank.where)}.</p>
<div class="grid"><div>${figure(charts.influencers, 'Accounts with the highest PageRank.')}</div><div>
${table(['#', 'account', 'PageRank', 'followers', 'reach (2 hops)'], g.influencers.map((x) => [String(x.rank), esc(x.user), x.pagerank.toExponential(2), int(x.followers), int(x.reach2)]))}</div></div></section>`);
    const c = g.communities;
    parts.push(`<section id="communities"><h2>Communities</h2>
<p><b>${int(c.count)}</b> communities by Louvain (${c.levels} levels), modularity <b>${num(c.modularity, 3)}</b>.</p>
<div class="grid"><div>${figure(charts.communities, 'Members of the largest communities.')}</div><div>
${table(['community size', 'communities', 'accounts in them'], c.sizeBuckets.map((b) => [b.bucket, int(b.communities), int(b.members)]))}</div></div></section>`);
  }

  const rg = r.rings;
  if (rg) {
    const shown = rg.rings.slice(0, 30);
    parts.push(`<section id="rings"><h2>Fraud rings</h2>
<p><b>${int(rg.count)}</b> rings of ${rg.minSize} or more accounts tied by shared devices or cards (${int(rg.links)} links of ${int(rg.users)} accounts; attributes shared by more than ${rg.maxAttributeUsers} accounts ignored as public).</p>
${shown.length ? ringTable(shown) : ''}
${rg.rings.length > shown.length ? `<p class="muted">${int(rg.count - shown.length)} more in report.json.</p>` : ''}
</section>`);
  }

  const stageRows = r.stages.map((st) => [esc(st.stage), `${(st.ms / 1000).toFixed(2)} s`, st.items !== undefined ? `${int(st.items)} ${esc(st.unit)}` : '', st.throughput !== undefined ? `${int(st.throughput)} ${esc(st.unit)}/s` : '']);
  parts.push(`<section id="timings"><h2>How this report was made</h2>
${table(['stage', 'time', 'processed', 'throughput'], stageRows)}
<p>Total <b>${(r.totalMs / 1000).toFixed(1)} s</b>, peak memory (RSS) <b>${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB</b>. Events were read in batches and pushed through weir's window operators (out-of-orderness ${duration(r.settings.outOfOrdernessMs)}${r.settings.latenessMs ? `, lateness ${duration(r.settings.latenessMs)}` : ''}); ${int(h.lateEvents)} late events.${r.settings.usedWorkerPool ? ' PageRank ran on a worker thread of weir’s pool.' : ''}</p>
${table(['input', 'format', 'rows', 'bad rows', 'columns'], [r.inputs.events, r.inputs.follows, r.inputs.links].filter((x) => x !== null).map((x) => [esc(x!.path), esc(x!.format), int(x!.rows), x!.badRows ? `<span class="bad">${int(x!.badRows)}</span>` : '0', Object.entries(x!.columns).map(([k, v]) => `${esc(k)}: <code>${esc(v)}</code>`).join(', ')]))}
</section>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title><style>${CSS}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}
