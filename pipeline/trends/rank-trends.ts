import type { ResolvedConfig } from '../config/niche-config.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import { affiliateFit } from './affiliate-fit.ts';
import { labelOf, mentions, normalisePhrase, phrasesOf } from './topic-phrases.ts';

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
  /** Stories mentioning the phrase in the recent window. */
  recentItems: Set<FeedItem>;
  /** Publication times of the mentions in the baseline window. */
  baselineTimes: number[];
  /** Items anywhere in the history (background frequency). */
  documents: number;
}

/**
 * Ranks what is rising and not yet covered: demand × gap × fit, with every part shown.
 *
 * Candidates are 2–3 word phrases from titles and summaries (no stop word at either edge, not
 * the site's own name or `trends.ignore`, not background vocabulary found in a large share of
 * the history).
 * - velocity: burst z-score of recent mentions against the count the baseline rate predicts;
 * - breadth: distinct publishers telling it recently (one noisy voice is not a trend);
 * - recency: freshness of the newest mention;
 * - gap: how little our articles already cover it (topic keys, titles, sources);
 * - fit: how squarely an affiliate program's purpose is the topic (see affiliate-fit.ts).
 * Windows are anchored to the newest item, not the wall clock, so the same history gives
 * the same topics on any date. Phrases describing the same stories are merged into one topic
 * whose items are its sources, labelled by the phrase most of them share: a story three feeds
 * tell as "flow profiling" is not labelled "light roasts" because one of them also said that.
 */
export function rankTrends(items: readonly FeedItem[], config: ResolvedConfig, options: TrendOptions): TrendResult {
  const { recentDays, baselineDays, minSources, minVelocity, maxTopics, ignore, weights } = config.trends;
  if (items.length === 0) return { topics: [], anchor: undefined, counts: { items: 0, candidates: 0, topics: 0 } };

  const anchor = Math.max(...items.map((item) => Date.parse(item.publishedAt)));
  const recentStart = anchor - recentDays * DAY_MS;
  const baselineStart = recentStart - baselineDays * DAY_MS;
  const candidates = collectCandidates(items, ignoredWords(config, ignore), recentStart, baselineStart);

  const velocityOf = (candidate: Candidate) => {
    const expected = ((candidate.baselineTimes.length + 0.5) * recentDays) / baselineDays;
    return { ratio: candidate.recentItems.size / expected, z: (candidate.recentItems.size - expected) / Math.sqrt(expected) };
  };
  // Rising means clearly above its own baseline and told by several voices; steady background
  // subjects and one publisher's series are not news.
  const isTrend = (candidate: Candidate) =>
    voicesOf(candidate.recentItems) >= minSources && candidate.documents / items.length <= BACKGROUND_SHARE && velocityOf(candidate).ratio >= minVelocity;
  const stories = [...candidates.values()].filter(isTrend);

  const coveredTitles = (options.coveredTitles ?? []).map((title) => normalisePhrase(title));
  const coveredSources = options.coveredSources ?? new Set<string>();
  const scored: Scored[] = [];
  for (const candidate of stories) {
    if (options.covered.has(candidate.key)) continue;
    const recentItems = [...candidate.recentItems];
    const recent = recentItems.length;
    const velocity = velocityOf(candidate).z;

    const inTitle = coveredTitles.some((title) => mentions(title, candidate.key));
    const sourced = recentItems.filter((item) => coveredSources.has(item.url)).length / recent;
    const gap = round(1 - Math.max(inTitle ? 1 : 0, sourced));
    // Another phrase for stories we already wrote about is not a gap in our coverage.
    if (gap < MIN_GAP) continue;

    const newest = Math.max(...recentItems.map((item) => Date.parse(item.publishedAt)));
    const recency = Math.pow(0.5, (anchor - newest) / ((recentDays / 2) * DAY_MS));
    const sources = voicesOf(candidate.recentItems);
    const { programs, reasons, fit } = affiliateFit(candidate.key, recentItems, config.affiliates);
    const demand = weights.velocity * Math.log2(1 + Math.max(velocity, 0)) + weights.breadth * sources + weights.recency * recency;
    const score = demand * Math.pow(gap, weights.gap) * (1 + weights.fit * fit);

    scored.push({
      forms: candidate.forms,
      topic: {
        key: candidate.key,
        label: labelOf(candidate.key, candidate.forms.keys()),
        score: round(score),
        parts: { recent, before: candidate.baselineTimes.length, sources, velocity: round(velocity), recency: round(recency), gap, fit: round(fit) },
        series: seriesOf([...candidate.baselineTimes, ...recentItems.map((item) => Date.parse(item.publishedAt))], baselineStart, recentDays + baselineDays),
        affiliates: programs,
        affiliateReasons: reasons,
        items: recentItems.sort(newestFirst),
      },
    });
  }

  scored.sort((a, b) => b.topic.score - a.topic.score || b.topic.key.split(' ').length - a.topic.key.split(' ').length || a.topic.key.localeCompare(b.topic.key));
  const topics = cluster(scored).slice(0, maxTopics);
  return {
    topics,
    anchor: new Date(anchor).toISOString(),
    counts: { items: items.length, candidates: candidates.size, topics: topics.length },
  };
}

interface Scored {
  topic: Topic;
  forms: Map<string, number>;
}

function collectCandidates(items: readonly FeedItem[], ignored: ReadonlySet<string>, recentStart: number, baselineStart: number): Map<string, Candidate> {
  const candidates = new Map<string, Candidate>();
  for (const item of items) {
    const time = Date.parse(item.publishedAt);
    for (const [key, form] of phrasesOf(`${item.title}. ${item.summary}`, ignored)) {
      let candidate = candidates.get(key);
      if (!candidate) {
        candidate = { key, forms: new Map(), recentItems: new Set(), baselineTimes: [], documents: 0 };
        candidates.set(key, candidate);
      }
      candidate.documents++;
      if (time < baselineStart) continue;
      candidate.forms.set(form, (candidate.forms.get(form) ?? 0) + 1);
      if (time >= recentStart) candidate.recentItems.add(item);
      else candidate.baselineTimes.push(time);
    }
  }
  return candidates;
}

/** Distinct publishers (two feeds of one publisher are one voice). */
function voicesOf(items: Iterable<FeedItem>): number {
  const voices = new Set<string>();
  for (const item of items) voices.add(normalisePhrase(item.publisher || item.feed) || item.feed);
  return voices.size;
}

/**
 * Merges topics that tell mostly the same stories (half or more of each one's stories are
 * shared) into the higher-ranked one, then names each merged topic by the phrase the most of its
 * stories share (the higher-ranked on a tie). Two stories that only share one headline stay two
 * topics: a broad phrase must not carry another story's sources under its own name.
 */
function cluster(ranked: Scored[]): Topic[] {
  const kept: { topic: Topic; members: Scored[] }[] = [];
  for (const entry of ranked) {
    const ids = new Set(entry.topic.items.map((item) => item.id));
    const home = kept.find(({ topic }) => {
      const shared = topic.items.filter((item) => ids.has(item.id)).length;
      return shared / Math.max(ids.size, topic.items.length) >= 0.5;
    });
    if (!home) {
      kept.push({ topic: { ...entry.topic, items: [...entry.topic.items] }, members: [entry] });
      continue;
    }
    home.members.push(entry);
    const known = new Set(home.topic.items.map((item) => item.id));
    for (const item of entry.topic.items) if (!known.has(item.id)) home.topic.items.push(item);
    home.topic.items.sort(newestFirst);
  }
  return kept.map(({ topic, members }) => {
    const ids = new Set(topic.items.map((item) => item.id));
    const shared = (member: Scored) => member.topic.items.filter((item) => ids.has(item.id)).length;
    const best = members.reduce((chosen, member) => (shared(member) > shared(chosen) ? member : chosen));
    return best === members[0] ? topic : { ...topic, key: best.topic.key, label: labelOf(best.topic.key, best.forms.keys()) };
  });
}

function seriesOf(times: readonly number[], start: number, days: number): { start: string; counts: number[] } {
  const counts = new Array<number>(days).fill(0);
  for (const time of times) {
    const day = Math.min(days - 1, Math.max(0, Math.floor((time - start) / DAY_MS)));
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return { start: new Date(start).toISOString().slice(0, 10), counts };
}

/**
 * Words never part of a topic phrase: generic newsroom words, the site's own name and the
 * niche's `trends.ignore` (words every story of the niche uses, like the niche's own subject).
 */
function ignoredWords(config: ResolvedConfig, extra: readonly string[]): Set<string> {
  const words = new Set<string>(['week', 'weekly', 'report', 'update', 'news']);
  for (const text of [config.site.title, ...extra]) {
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) words.add(word);
  }
  return words;
}

function newestFirst(a: FeedItem, b: FeedItem): number {
  return b.publishedAt.localeCompare(a.publishedAt) || a.url.localeCompare(b.url);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
