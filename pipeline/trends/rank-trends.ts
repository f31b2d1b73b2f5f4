import type { ResolvedConfig } from '../config/niche-config.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';
import type { AffiliateProgram } from '../schema/affiliate.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';

const DAY_MS = 86_400_000;
/** A phrase in more than this share of all items is background vocabulary, never a topic. */
const BACKGROUND_SHARE = 0.25;
/** Below this gap a candidate is already covered by our articles and never proposed. */
const MIN_GAP = 0.5;

export interface TrendOptions {
  /** Topic keys we already cover (drafted topics, existing articles): never proposed again. */
  covered: ReadonlySet<string>;
  /** Titles of existing articles: a phrase already in one of them counts as covered. */
  coveredTitles?: readonly string[];
  /** Source URLs of existing articles: a candidate whose stories were mostly written up is covered. */
  coveredSources?: ReadonlySet<string>;
}

export interface TrendResult {
  topics: Topic[];
  /** The end of the recent window: the newest item's date, so the ranking is reproducible. */
  anchor: string | undefined;
  counts: Record<string, number>;
}

interface Candidate {
  key: string;
  forms: Map<string, number>;
  recentItems: Set<FeedItem>;
  recentFeeds: Set<string>;
  before: number;
  /** Publication times of every mention inside the two windows. */
  mentions: number[];
  /** Items anywhere in the history (background frequency). */
  documents: number;
}

/**
 * Ranks what is rising and not yet covered: demand × gap × fit, with every part shown.
 *
 * Candidates are 2–3 word phrases from titles and summaries (no stop word at either edge, not
 * the site's own name, not background vocabulary found in a large share of the history).
 * - velocity: burst z-score of recent mentions against the count the baseline rate predicts;
 * - breadth: distinct feeds mentioning it recently (one noisy feed is not a trend);
 * - recency: freshness of the newest mention;
 * - gap: how little our articles already cover it (topic keys, titles, sources);
 * - fit: how well it matches an affiliate program's keywords.
 * Windows are anchored to the newest item, not the wall clock, so the same history gives the
 * same topics on any date. Phrases describing the same stories are merged into one topic whose
 * items are its sources.
 */
export function rankTrends(items: readonly FeedItem[], config: ResolvedConfig, options: TrendOptions): TrendResult {
  const { recentDays, baselineDays, minSources, minVelocity, maxTopics, ignore, weights } = config.trends;
  if (items.length === 0) return { topics: [], anchor: undefined, counts: { items: 0, candidates: 0, topics: 0 } };

  const anchor = Math.max(...items.map((item) => Date.parse(item.publishedAt)));
  const recentStart = anchor - recentDays * DAY_MS;
  const baselineStart = recentStart - baselineDays * DAY_MS;
  const ignored = ignoredWords(config, ignore);
  const candidates = collectCandidates(items, ignored, recentStart, baselineStart);

  const coveredTitles = (options.coveredTitles ?? []).map((title) => ` ${normalisePhrase(title)} `);
  const coveredSources = options.coveredSources ?? new Set<string>();
  const scored: Topic[] = [];
  for (const candidate of candidates.values()) {
    if (candidate.recentFeeds.size < minSources) continue;
    if (candidate.documents / items.length > BACKGROUND_SHARE) continue;
    if (options.covered.has(candidate.key)) continue;

    const recent = candidate.recentItems.size;
    const expected = ((candidate.before + 0.5) * recentDays) / baselineDays;
    // Rising means clearly above its own baseline; steady background subjects are not news.
    if (recent / expected < minVelocity) continue;
    const velocity = (recent - expected) / Math.sqrt(expected);

    const inTitle = coveredTitles.some((title) => title.includes(` ${candidate.key} `));
    const sourced = [...candidate.recentItems].filter((item) => coveredSources.has(item.url)).length / recent;
    const gap = round(1 - Math.max(inTitle ? 1 : 0, sourced));
    // Another phrase for stories we already wrote about is not a gap in our coverage.
    if (gap < MIN_GAP) continue;

    const newest = Math.max(...[...candidate.recentItems].map((item) => Date.parse(item.publishedAt)));
    const recency = Math.pow(0.5, (anchor - newest) / ((recentDays / 2) * DAY_MS));
    const { programs, fit } = affiliateFit(candidate, config.affiliates);
    const demand = weights.velocity * Math.log2(1 + Math.max(velocity, 0)) + weights.breadth * candidate.recentFeeds.size + weights.recency * recency;
    const score = demand * Math.pow(gap, weights.gap) * (1 + weights.fit * fit);

    scored.push({
      key: candidate.key,
      label: labelOf(candidate),
      score: round(score),
      parts: {
        recent,
        before: candidate.before,
        sources: candidate.recentFeeds.size,
        velocity: round(velocity),
        recency: round(recency),
        gap,
        fit: round(fit),
      },
      series: seriesOf(candidate.mentions, baselineStart, recentDays + baselineDays),
      affiliates: programs,
      items: [...candidate.recentItems].sort(newestFirst),
    });
  }

  scored.sort((a, b) => b.score - a.score || b.key.split(' ').length - a.key.split(' ').length || a.key.localeCompare(b.key));
  const topics = cluster(scored).slice(0, maxTopics);
  return {
    topics,
    anchor: new Date(anchor).toISOString(),
    counts: { items: items.length, candidates: candidates.size, topics: topics.length },
  };
}

function collectCandidates(items: readonly FeedItem[], ignored: ReadonlySet<string>, recentStart: number, baselineStart: number): Map<string, Candidate> {
  const candidates = new Map<string, Candidate>();
  for (const item of items) {
    const time = Date.parse(item.publishedAt);
    const inWindows = time >= baselineStart;
    const isRecent = time >= recentStart;
    for (const [key, form] of phrasesOf(`${item.title}. ${item.summary}`, ignored)) {
      let candidate = candidates.get(key);
      if (!candidate) {
        candidate = { key, forms: new Map(), recentItems: new Set(), recentFeeds: new Set(), before: 0, mentions: [], documents: 0 };
        candidates.set(key, candidate);
      }
      candidate.documents++;
      if (!inWindows) continue;
      candidate.forms.set(form, (candidate.forms.get(form) ?? 0) + 1);
      candidate.mentions.push(time);
      if (isRecent) {
        candidate.recentItems.add(item);
        candidate.recentFeeds.add(item.feed);
      } else {
        candidate.before++;
      }
    }
  }
  return candidates;
}

/** Merges topics whose stories overlap by half or more into the higher-ranked one. */
function cluster(ranked: Topic[]): Topic[] {
  const kept: Topic[] = [];
  for (const topic of ranked) {
    const ids = new Set(topic.items.map((item) => item.id));
    const home = kept.find((other) => {
      const shared = other.items.filter((item) => ids.has(item.id)).length;
      return shared / Math.min(ids.size, other.items.length) >= 0.5;
    });
    if (!home) {
      kept.push({ ...topic, items: [...topic.items] });
      continue;
    }
    const known = new Set(home.items.map((item) => item.id));
    for (const item of topic.items) if (!known.has(item.id)) home.items.push(item);
    home.items.sort(newestFirst);
  }
  return kept;
}

function seriesOf(mentions: readonly number[], start: number, days: number): { start: string; counts: number[] } {
  const counts = new Array<number>(days).fill(0);
  for (const time of mentions) {
    const day = Math.min(days - 1, Math.max(0, Math.floor((time - start) / DAY_MS)));
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return { start: new Date(start).toISOString().slice(0, 10), counts };
}

/** Distinct 2- and 3-word phrases of a text (key → surface form), without stop words at the edges. */
export function phrasesOf(text: string, ignored: ReadonlySet<string>): Map<string, string> {
  const phrases = new Map<string, string>();
  for (const clause of text.split(/[.!?;:,()"“”[\]|–—]+/)) {
    const words = clause.split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
    for (let size = 2; size <= 3; size++) {
      for (let start = 0; start + size <= words.length; start++) {
        const slice = words.slice(start, start + size);
        const lower = slice.map((word) => word.toLowerCase());
        const first = lower[0] ?? '';
        const last = lower[lower.length - 1] ?? '';
        if (STOP_WORDS.has(first) || STOP_WORDS.has(last)) continue;
        if (lower.some((word) => ignored.has(word) || /^\d+([.,]\d+)?%?$/.test(word) || word.length < 2)) continue;
        const key = lower.join(' ');
        if (!phrases.has(key)) phrases.set(key, slice.join(' '));
      }
    }
  }
  return phrases;
}

function ignoredWords(config: ResolvedConfig, extra: readonly string[]): Set<string> {
  const words = new Set<string>(['crypto', 'cryptocurrency', 'defi', 'blockchain', 'week', 'weekly', 'report', 'update', 'news']);
  for (const text of [config.site.title, ...extra]) {
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) words.add(word);
  }
  return words;
}

/** Programs whose keywords (whole words) appear in the stories; fit grows with matched keywords. */
function affiliateFit(candidate: Candidate, programs: readonly AffiliateProgram[]): { programs: string[]; fit: number } {
  const text = ` ${[...candidate.recentItems].map((item) => normalisePhrase(`${item.title} ${item.summary}`)).join(' ')} `;
  let best = 0;
  const matched: string[] = [];
  for (const program of programs) {
    const hits = program.keywords.filter((keyword) => text.includes(` ${normalisePhrase(keyword)} `)).length;
    if (hits === 0) continue;
    matched.push(program.id);
    best = Math.max(best, Math.min(1, hits / 2));
  }
  return { programs: matched, fit: best };
}

/**
 * A readable label: a word keeps its capitals only if it is capitalised in every form seen (a
 * proper noun such as a protocol name), then the first letter is upper-cased.
 */
function labelOf(candidate: Candidate): string {
  const forms = [...candidate.forms.keys()].map((form) => form.split(' '));
  const words = candidate.key.split(' ').map((lower, index) => {
    const seen = forms.map((form) => form[index] ?? lower);
    return seen.every((word) => word !== word.toLowerCase()) ? (seen.sort()[0] ?? lower) : lower;
  });
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function normalisePhrase(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function newestFirst(a: FeedItem, b: FeedItem): number {
  return b.publishedAt.localeCompare(a.publishedAt) || a.url.localeCompare(b.url);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
