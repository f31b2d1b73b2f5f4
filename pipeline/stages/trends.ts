import type { ResolvedConfig } from '../config.ts';
import type { AffiliateProgram } from '../schema/affiliate.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';

const DAY_MS = 86_400_000;

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
}

/**
 * Ranks what is rising: key phrases (2–3 word n-grams from titles and summaries) mentioned by
 * more distinct feeds in the recent window than their baseline rate predicts. Windows are
 * anchored to the newest item, not to the wall clock, so the same history gives the same topics
 * on any date. Phrases that describe the same set of stories are merged into one topic whose
 * items are its sources.
 */
export function rankTrends(items: readonly FeedItem[], config: ResolvedConfig, options: TrendOptions): TrendResult {
  const { recentDays, baselineDays, minSources, maxTopics, ignore } = config.trends;
  if (items.length === 0) return { topics: [], anchor: undefined, counts: { items: 0, candidates: 0, topics: 0 } };

  const anchor = Math.max(...items.map((item) => Date.parse(item.publishedAt)));
  const recentStart = anchor - recentDays * DAY_MS;
  const baselineStart = recentStart - baselineDays * DAY_MS;
  const ignored = ignoredWords(config, ignore);

  const candidates = new Map<string, Candidate>();
  for (const item of items) {
    const time = Date.parse(item.publishedAt);
    if (time < baselineStart) continue;
    const isRecent = time >= recentStart;
    for (const [key, form] of phrasesOf(`${item.title}. ${item.summary}`, ignored)) {
      let candidate = candidates.get(key);
      if (!candidate) {
        candidate = { key, forms: new Map(), recentItems: new Set(), recentFeeds: new Set(), before: 0 };
        candidates.set(key, candidate);
      }
      candidate.forms.set(form, (candidate.forms.get(form) ?? 0) + 1);
      if (isRecent) {
        candidate.recentItems.add(item);
        candidate.recentFeeds.add(item.feed);
      } else {
        candidate.before++;
      }
    }
  }

  const coveredTitles = (options.coveredTitles ?? []).map((title) => normalisePhrase(title));
  const coveredSources = options.coveredSources ?? new Set<string>();
  const scored: Topic[] = [];
  for (const candidate of candidates.values()) {
    if (candidate.recentFeeds.size < minSources) continue;
    if (options.covered.has(candidate.key)) continue;
    if (coveredTitles.some((title) => ` ${title} `.includes(` ${candidate.key} `))) continue;
    // Another phrase for stories we already wrote about (e.g. "stablecoin markets" inside the
    // lending-rate-caps stories) is not a gap in our coverage.
    const alreadySourced = [...candidate.recentItems].filter((entry) => coveredSources.has(entry.url)).length;
    if (alreadySourced * 2 >= candidate.recentItems.size) continue;
    const recentRate = candidate.recentItems.size / recentDays;
    const baselineRate = (candidate.before + 1) / baselineDays;
    const velocity = recentRate / baselineRate;
    // Rising means clearly above its own baseline; steady background subjects are not news.
    if (velocity < 2) continue;
    const affiliates = fittingPrograms(candidate, config.affiliates);
    const fit = affiliates.length > 0 ? 1 : 0;
    const score = candidate.recentFeeds.size * Math.log2(1 + velocity) + 0.5 * fit;
    scored.push({
      key: candidate.key,
      label: labelOf(candidate),
      score: round(score),
      parts: { recent: candidate.recentItems.size, before: candidate.before, sources: candidate.recentFeeds.size, fit },
      affiliates,
      items: [...candidate.recentItems].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.url.localeCompare(b.url)),
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
    home.items.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.url.localeCompare(b.url));
  }
  return kept;
}

/** Distinct 2- and 3-word phrases of a text (key → surface form), without stop words at the edges. */
export function phrasesOf(text: string, ignored: ReadonlySet<string>): Map<string, string> {
  const phrases = new Map<string, string>();
  for (const clause of text.split(/[.!?;:,()"“”\[\]|–—]+/)) {
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

function fittingPrograms(candidate: Candidate, programs: readonly AffiliateProgram[]): string[] {
  const text = [...candidate.recentItems].map((item) => `${item.title} ${item.summary}`.toLowerCase()).join(' \n ');
  return programs
    .filter((program) => program.keywords.some((keyword) => text.includes(keyword.toLowerCase())))
    .map((program) => program.id);
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

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
