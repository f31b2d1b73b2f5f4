import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import Parser from 'rss-parser';
import type { Context } from '../context.ts';
import { FeedEntrySkipped, FeedOfflineSkipped, FeedUnparseable, FeedUnreachable } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { canonicalUrl } from '../lib/canonical-url.ts';
import { decodeFeedBytes } from '../lib/decode-feed.ts';
import { digest } from '../lib/hash.ts';
import { toPlainText } from '../lib/plain-text.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';

export interface FeedSpec {
  name: string;
  url: string;
}

export interface FeedOutcome {
  feed: string;
  location: string;
  ok: boolean;
  items: number;
  error?: { code: string; message: string };
}

export interface IngestResult {
  items: FeedItem[];
  /** Items seen for the first time in this run. */
  newItems: number;
  feeds: FeedOutcome[];
  counts: Record<string, number>;
  findings: Finding[];
}

/** Dates further in the future than this are treated as wrong clocks and clamped to now. */
const FUTURE_SKEW_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 15_000;
const MAX_FEED_BYTES = 10 * 1024 * 1024;
const USER_AGENT = 'nichepress/0.1 (+https://github.com/nichepress/nichepress; feed reader)';

/**
 * Reads every feed, normalises its entries and merges them into the state's history.
 * One feed failing is one finding; the others go on. One bad entry is skipped with a finding;
 * the rest of its feed survives.
 */
export async function ingest(context: Context, state: State, feeds: FeedSpec[] = context.config.feeds): Promise<IngestResult> {
  const findings: Finding[] = [];
  const outcomes: FeedOutcome[] = [];
  const collected: FeedItem[] = [];

  const results = await Promise.all(feeds.map((feed) => readOneFeed(context, feed)));
  for (const result of results) {
    findings.push(...result.findings);
    outcomes.push(result.outcome);
    collected.push(...result.items);
  }

  const items = deduplicate(collected);
  let newItems = 0;
  const seenAt = context.now.toISOString();
  for (const item of items) {
    if (!state.items[item.id]) {
      newItems++;
      state.items[item.id] = {
        title: item.title,
        url: item.url,
        summary: item.summary,
        publishedAt: item.publishedAt,
        feed: item.feed,
        publisher: item.publisher,
        firstSeen: seenAt,
      };
    }
  }

  return {
    items,
    newItems,
    feeds: outcomes,
    counts: {
      feeds: feeds.length,
      feedsFailed: outcomes.filter((outcome) => !outcome.ok).length,
      items: items.length,
      newItems,
      entriesSkipped: findings.filter((finding) => finding.code === FeedEntrySkipped.code).length,
    },
    findings,
  };
}

async function readOneFeed(
  context: Context,
  feed: FeedSpec,
): Promise<{ items: FeedItem[]; findings: Finding[]; outcome: FeedOutcome }> {
  const isRemote = /^https?:\/\//i.test(feed.url);
  const fail = (finding: Finding) => ({
    items: [],
    findings: [finding],
    outcome: { feed: feed.name, location: feed.url, ok: false, items: 0, error: { code: finding.code ?? '', message: finding.message } },
  });

  let xml: string;
  if (isRemote) {
    if (context.offline) {
      return fail(findingFrom(FeedOfflineSkipped, [feed.url], { severity: 'warning', subject: feed.url }));
    }
    try {
      xml = await fetchFeed(context, feed.url);
    } catch (error) {
      return fail(findingFrom(FeedUnreachable, [feed.url, reasonOf(error)], { subject: feed.url }));
    }
  } else {
    const file = isAbsolute(feed.url) ? feed.url : resolve(context.config.root, feed.url);
    try {
      xml = decodeFeedBytes(await readFile(file));
    } catch (error) {
      return fail(findingFrom(FeedUnreachable, [feed.url, reasonOf(error)], { subject: feed.url }));
    }
  }

  let parsed: Parser.Output<Record<string, unknown>>;
  try {
    parsed = await new Parser().parseString(xml);
  } catch (error) {
    return fail(findingFrom(FeedUnparseable, [feed.url, reasonOf(error)], { subject: feed.url }));
  }

  const findings: Finding[] = [];
  const items: FeedItem[] = [];
  const base = isRemote ? feed.url : parsed.link;
  const publisher = toPlainText(parsed.title ?? '') || feed.name;
  parsed.items.forEach((entry, index) => {
    const label = entry.title ? `"${toPlainText(entry.title).slice(0, 60)}"` : `entry ${index + 1}`;
    const normalised = normaliseEntry(entry, { base, feedName: feed.name, publisher, now: context.now });
    if (typeof normalised === 'string') {
      findings.push(findingFrom(FeedEntrySkipped, [feed.url, label, normalised], { severity: 'warning', subject: feed.url }));
    } else {
      items.push(normalised);
    }
  });
  return { items, findings, outcome: { feed: feed.name, location: feed.url, ok: true, items: items.length } };
}

async function fetchFeed(context: Context, url: string): Promise<string> {
  const response = await context.fetch(url, {
    headers: { 'user-agent': USER_AGENT, accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5' },
    redirect: 'follow',
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_FEED_BYTES) throw new Error(`the feed is ${length} bytes, over the ${MAX_FEED_BYTES}-byte cap`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_FEED_BYTES) throw new Error(`the feed is over the ${MAX_FEED_BYTES}-byte cap`);
  return decodeFeedBytes(bytes, response.headers.get('content-type') ?? undefined);
}

/** An entry as a FeedItem, or the reason it was skipped. */
export function normaliseEntry(
  entry: Parser.Item & Record<string, unknown>,
  options: { base: string | undefined; feedName: string; publisher: string; now: Date },
): FeedItem | string {
  const title = toPlainText(entry.title ?? '');
  if (!title) return 'it has no title';
  const rawLink = entry.link ?? (typeof entry.guid === 'string' && /^https?:/i.test(entry.guid) ? entry.guid : undefined);
  if (!rawLink) return 'it has no link';
  const url = canonicalUrl(rawLink, options.base);
  if (!url) return `its link "${rawLink.slice(0, 80)}" is not an http(s) URL`;
  const dateText = entry.isoDate ?? entry.pubDate ?? (typeof entry.updated === 'string' ? entry.updated : undefined);
  const time = dateText ? Date.parse(dateText) : Number.NaN;
  if (!Number.isFinite(time)) return dateText ? `its date "${dateText.slice(0, 40)}" cannot be read` : 'it has no date';
  const publishedAt = new Date(Math.min(time, options.now.getTime() + FUTURE_SKEW_MS)).toISOString();
  const rawSummary =
    (typeof entry.summary === 'string' ? entry.summary : undefined) ?? entry.content ?? entry.contentSnippet ?? '';
  const summary = toPlainText(rawSummary);
  return { id: digest(url), title, url, summary, publishedAt, feed: options.feedName, publisher: options.publisher };
}

/** Same canonical URL, or the same title in another feed: one story, keep the earliest copy. */
function deduplicate(items: FeedItem[]): FeedItem[] {
  const byUrl = new Map<string, FeedItem>();
  const byTitle = new Map<string, FeedItem>();
  const sorted = [...items].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.url.localeCompare(b.url));
  for (const item of sorted) {
    const titleKey = item.title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    if (byUrl.has(item.url) || byTitle.has(titleKey)) continue;
    byUrl.set(item.url, item);
    byTitle.set(titleKey, item);
  }
  return [...byUrl.values()];
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${FETCH_TIMEOUT_MS / 1000} s`;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${error.message} (${cause.code})`;
    return error.message.split('\n')[0] ?? error.message;
  }
  return String(error);
}
