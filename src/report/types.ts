/**
 * The report's figures: what `report.json` holds and what the HTML shows. Times are epoch ms,
 * durations ms, money in the input's price unit. Numbers from sketches say so in their name or
 * doc (HyperLogLog distinct counts, DDSketch quantiles, space-saving top-k).
 */

/** One input file and what reading it met. */
export interface InputSummary {
  path: string;
  format: string;
  rows: number;
  /** Unparseable rows skipped (CSV/NDJSON), and rows missing a required value. */
  badRows: number;
  /** The first few: where ("line 17" of the file, or "data row 16" for a missing value) and why. */
  badRowSamples: Array<{ where: string; message: string }>;
  /** The columns used, by role. */
  columns: Record<string, string>;
}

export interface Headline {
  events: number;
  /** Distinct users (HyperLogLog, ~0.8 % standard error). */
  users: number;
  /** Distinct items (HyperLogLog). */
  items: number;
  /** Sum of price over purchases; NaN (null in JSON) when the events have no price. */
  revenue: number;
  purchases: number;
  /** Purchases per view event. */
  conversion: number;
  /** Distinct purchasers per distinct viewer (HyperLogLog both). */
  userConversion: number;
  /** Event-time span: first and last event. */
  start: number;
  end: number;
  /** Events later than outOfOrderness + lateness: left out of the per-minute figures. */
  lateEvents: number;
}

export interface Traffic {
  /** Per-minute series from `start`, every 60 000 ms, one entry per minute of the span. */
  perMinute: {
    start: number;
    total: number[];
    view: number[];
    cart: number[];
    purchase: number[];
    other: number[];
    revenue: number[];
  };
  /** Per-hour series from `start`, every 3 600 000 ms. */
  perHour: {
    start: number;
    events: number[];
    /** Distinct users in the hour (HyperLogLog). */
    users: number[];
  };
}

export interface FunnelStage {
  stage: 'view' | 'cart' | 'purchase';
  events: number;
  /** Distinct users with at least one event of the stage (HyperLogLog). */
  users: number;
  /** events / the previous stage's events (1 for view). */
  rate: number;
}

export interface Trending {
  halfLifeMs: number;
  /** The day window the ranking is for (the last one with events). */
  window: { start: number; end: number };
  /** Highest decayed weight first: Σ weight · 2^(−(window end − t)/halfLife), view 1, cart 3, purchase 5. */
  items: Array<{ item: number | string; weight: number; events: number }>;
  /** Per hour: the most frequent items (space-saving top-k; counts may overestimate by at most n/capacity). */
  topPerHour: Array<{ start: number; items: Array<{ item: number | string; count: number }> }>;
}

export interface Quantiles {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface Sessions {
  gapMs: number;
  count: number;
  /** Sessions with at least one purchase. */
  converting: number;
  /** Events per session (DDSketch quantiles, 1 % relative accuracy). */
  length: Quantiles;
  /** Last event − first event, ms (DDSketch quantiles). */
  durationMs: Quantiles;
  /** Histogram of events per session: bucket upper bounds and counts (last bucket open). */
  lengthHistogram: Array<{ upTo: number; sessions: number }>;
}

export interface Influencer {
  rank: number;
  user: number | string;
  pagerank: number;
  followers: number;
  /** Distinct accounts within two follower hops (followers and their followers). */
  reach2: number;
}

export interface GraphFigures {
  nodes: number;
  edges: number;
  pagerank: { iterations: number | null; where: 'worker' | 'main thread'; ms: number };
  influencers: Influencer[];
  communities: {
    algorithm: 'louvain';
    count: number;
    modularity: number;
    levels: number;
    /** The largest communities' sizes, largest first. */
    largest: number[];
    /** Communities by size bucket (1, 2–9, 10–99, …). */
    sizeBuckets: Array<{ bucket: string; communities: number; members: number }>;
  };
}

export interface RingFigures {
  links: number;
  users: number;
  attributes: number;
  minSize: number;
  maxAttributeUsers: number;
  count: number;
  rings: Array<{ users: Array<number | string>; devices: Array<number | string>; cards: Array<number | string>; other: Array<number | string> }>;
}

export interface AnomalySeries {
  metric: 'traffic' | 'purchases';
  side: 'upper' | 'lower';
  /** Minute starts flagged anomalous. */
  minutes: number[];
  /** Consecutive flagged minutes merged: [start, end) with the most extreme score and its value vs baseline. */
  periods: Array<{ start: number; end: number; minutes: number; peakScore: number; value: number; baseline: number }>;
}

export interface Anomalies {
  detector: string;
  threshold: number;
  baselineMinutes: number;
  series: AnomalySeries[];
}

export interface StageTiming {
  stage: string;
  ms: number;
  /** What the stage processed, e.g. 10 000 000 events. */
  items?: number;
  unit?: string;
  /** items per second. */
  throughput?: number;
}

export interface Report {
  title: string;
  generatedAt: string;
  weirVersion: string;
  inputs: { events: InputSummary; follows: InputSummary | null; links: InputSummary | null; builtIn: { scale: string; seed: number; dir: string } | null };
  settings: { outOfOrdernessMs: number; latenessMs: number; sessionGapMs: number; top: number; usedWorkerPool: boolean };
  headline: Headline;
  traffic: Traffic;
  funnel: FunnelStage[];
  categories: Array<{ category: number | string; events: number; revenue: number }> | null;
  trending: Trending;
  sessions: Sessions;
  graph: GraphFigures | null;
  rings: RingFigures | null;
  anomalies: Anomalies;
  stages: StageTiming[];
  totalMs: number;
  peakRssBytes: number;
  /** Things the reader should know: skipped rows, time units guessed, sections left out. */
  notes: string[];
}
