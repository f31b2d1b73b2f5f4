import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { FeedEntrySkipped, FeedNotModified, FeedOfflineSkipped, FeedTruncated, FeedUnparseable, FeedUnreachable } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { canonicalUrl } from '../lib/canonical-url.ts';
import { decodeFeedBytes } from '../lib/decode-feed.ts';
import { fetchFeed } from '../lib/fetch-feed.ts';
import { digest } from '../lib/hash.ts';
import { limitByKey } from '../lib/limit-by-key.ts';
import { parseFeedDate } from '../lib/parse-date.ts';
import { parseFeed, type RawEntry } from '../lib/parse-feed.ts';
import { toPlainText } from '../lib/plain-text.ts';
import { deduplicateItems } from '../lib/deduplicate-items.ts';
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
  /** HTTP 304: nothing changed since the last run. */
  notModified?: boolean;
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
export const USER_AGENT = 'nichepress/0.1 (feed reader; +https://github.com/nichepress/nichepress)';

/**
 * Reads every feed, normalises its entries and merges them into the state's history.
 * One feed failing is one finding; the others go on. One bad entry is skipped with a finding;
 * the rest of its feed survives. `record: false` checks feeds without touching the history or
 * the conditional-GET validators (`ingest --feed`).
 */
export async function ingest(
  context: Context,
  state: State,
  feeds: FeedSpec[] = context.config.feeds,
  options: { record?: boolean } = {},
): Promise<IngestResult> {
  const record = options.record ?? true;
  const { ingest: settings } = context.config;
  const results = await limitByKey(
    feeds.map((feed) => ({ key: hostOf(feed.url), run: () => readOneFeed(context, state, feed, record) })),
    settings.concurrency,
    settings.perHost,
  );

  const findings: Finding[] = [];
  const outcomes: FeedOutcome[] = [];
  const collected: FeedItem[] = [];
  for (const result of results) {
    findings.push(...result.findings);
    outcomes.push(result.outcome);
    collected.push(...result.items);
  }

  const items = deduplicateItems(collected);
  let newItems = 0;
  if (record) {
    const seenAt = context.now.toISOString();
    for (const item of items) {
      if (state.items[item.id]) continue;
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
      notModified: outcomes.filter((outcome) => outcome.notModified).length,
      items: items.length,
      newItems,
      entriesSkipped: findings.filter((finding) => finding.code === FeedEntrySkipped.code).length,
    },
    findings,
  };
}

interface FeedRead {
  items: FeedItem[];
  findings: Finding[];
  outcome: FeedOutcome;
}

async function readOneFeed(context: Context, state: State, feed: FeedSpec, record: boolean): Promise<FeedRead> {
  const isRemote = /^https?:\/\//i.test(feed.url);
  const fail = (finding: Finding): FeedRead => ({
    items: [],
    findings: [finding],
    outcome: { feed: feed.name, location: feed.url, ok: false, items: 0, error: { code: finding.code ?? '', message: finding.message } },
  });

  const findings: Finding[] = [];
  let text: string;
  let base: string | undefined;
  let truncated = false;
  if (isRemote) {
    if (context.offline) return fail(findingFrom(FeedOfflineSkipped, [feed.url], { severity: 'warning', subject: feed.url }));
    const { ingest: settings } = context.config;
    const known = state.feeds[feed.url];
    let answer;
    try {
      answer = await fetchFeed(feed.url, {
        fetch: context.fetch,
        timeoutMs: settings.timeoutMs,
        maxBytes: settings.maxBytes,
        maxRedirects: settings.maxRedirects,
        userAgent: USER_AGENT,
        etag: known?.etag,
        lastModified: known?.lastModified,
      });
    } catch (error) {
      return fail(findingFrom(FeedUnreachable, [feed.url, (error as Error).message], { subject: feed.url }));
    }
    if (answer.status === 'not-modified') {
      // The state is left as it was: a run where nothing changed writes nothing.
      return {
        items: [],
        findings: [findingFrom(FeedNotModified, [feed.url], { severity: 'info', subject: feed.url })],
        outcome: { feed: feed.name, location: feed.url, ok: true, notModified: true, items: 0 },
      };
    }
    truncated = answer.truncated;
    if (truncated) {
      findings.push(findingFrom(FeedTruncated, [feed.url, settings.maxBytes], { severity: 'warning', subject: feed.url }));
    }
    text = decodeFeedBytes(answer.bytes, answer.contentType);
    base = answer.url;
    if (record) {
      const validators: State['feeds'][string] = { checkedAt: context.now.toISOString() };
      // A cut-off body must be fetched in full next time, so its validators are not kept.
      if (answer.etag && !truncated) validators.etag = answer.etag;
      if (answer.lastModified && !truncated) validators.lastModified = answer.lastModified;
      state.feeds[feed.url] = validators;
    }
  } else {
    const file = isAbsolute(feed.url) ? feed.url : resolve(context.config.root, feed.url);
    try {
      text = decodeFeedBytes(await readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(findingFrom(FeedUnreachable, [feed.url, code === 'ENOENT' ? 'no such file' : (error as Error).message], { subject: feed.url }));
    }
  }

  let parsed;
  try {
    parsed = await parseFeed(text, { truncated });
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? 'unreadable').slice(0, 200);
    return fail(findingFrom(FeedUnparseable, [feed.url, reason], { subject: feed.url }));
  }

  const items: FeedItem[] = [];
  const linkBase = base ?? parsed.link;
  const publisher = toPlainText(parsed.title) || feed.name;
  parsed.entries.forEach((entry, index) => {
    const label = entry.title ? `"${toPlainText(entry.title).slice(0, 60)}"` : `entry ${index + 1}`;
    const normalised = normaliseEntry(entry, { base: linkBase, feedName: feed.name, publisher, now: context.now });
    if (typeof normalised === 'string') {
      findings.push(findingFrom(FeedEntrySkipped, [feed.url, label, normalised], { severity: 'warning', subject: feed.url }));
    } else {
      items.push(normalised);
    }
  });
  return { items, findings, outcome: { feed: feed.name, location: feed.url, ok: true, items: items.length } };
}

/** An entry as a FeedItem, or the reason it was skipped. */
export function normaliseEntry(
  entry: RawEntry,
  options: { base: string | undefined; feedName: string; publisher: string; now: Date },
): FeedItem | string {
  const title = toPlainText(entry.title ?? '');
  if (!title) return 'it has no title';
  const rawLink = entry.link ?? (entry.guid && /^https?:/i.test(entry.guid) ? entry.guid : undefined);
  if (!rawLink) return 'it has no link';
  const url = canonicalUrl(rawLink, options.base);
  if (!url) return `its link "${rawLink.slice(0, 80)}" is not an http(s) URL`;
  const time = parseFeedDate(entry.date);
  if (time === undefined) return entry.date ? `its date "${entry.date.slice(0, 40)}" cannot be read` : 'it has no date';
  const publishedAt = new Date(Math.min(time, options.now.getTime() + FUTURE_SKEW_MS)).toISOString();
  const summary = toPlainText(entry.summary ?? '');
  return { id: digest(url), title, url, summary, publishedAt, feed: options.feedName, publisher: options.publisher };
}

function hostOf(location: string): string {
  try {
    return new URL(location).host.toLowerCase();
  } catch {
    return 'file';
  }
}
