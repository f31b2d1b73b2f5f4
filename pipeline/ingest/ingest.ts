import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { FeedEntrySkipped, FeedNotModified, FeedOfflineSkipped, FeedTruncated, FeedUnreachable } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { fetchFeed } from './fetch-feed.ts';
import { limitByKey } from './limit-by-key.ts';
import { deduplicateItems } from './deduplicate-items.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { readFeedEntries, type FeedBody } from './read-entries.ts';

export { normaliseEntry } from './read-entries.ts';

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

export const USER_AGENT = 'nichepress/0.1 (feed reader; +https://github.com/nichepress/nichepress)';

export interface IngestOptions {
  /** false: check the feeds without touching the history or the conditional-GET validators (`ingest --feed`). */
  record?: boolean;
}

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
  options: IngestOptions = {},
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
    for (const finding of result.findings) findings.push(finding);
    outcomes.push(result.outcome);
    for (const item of result.items) collected.push(item);
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

async function readOneFeed(
  context: Context,
  state: State,
  feed: FeedSpec,
  record: boolean,
): Promise<FeedRead> {
  const fail = (finding: Finding): FeedRead => ({
    items: [],
    findings: [finding],
    outcome: { feed: feed.name, location: feed.url, ok: false, items: 0, error: { code: finding.code ?? '', message: finding.message } },
  });

  const findings: Finding[] = [];
  let body: FeedBody;
  if (isRemote(feed.url)) {
    if (context.offline) return fail(findingFrom(FeedOfflineSkipped, [feed.url], { severity: 'warning', subject: feed.url }));
    const { ingest: settings } = context.config;
    const known = state.feeds[feed.url];
    let answer;
    try {
      answer = await fetchFeed(context.fetch, feed.url, {
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
    if (answer.truncated) {
      findings.push(findingFrom(FeedTruncated, [feed.url, settings.maxBytes], { severity: 'warning', subject: feed.url }));
    }
    body = { location: feed.url, name: feed.name, bytes: answer.bytes, contentType: answer.contentType, base: answer.url, truncated: answer.truncated, now: context.now.getTime() };
    if (record) {
      const validators: State['feeds'][string] = { checkedAt: context.now.toISOString() };
      // A cut-off body must be fetched in full next time, so its validators are not kept.
      if (answer.etag && !answer.truncated) validators.etag = answer.etag;
      if (answer.lastModified && !answer.truncated) validators.lastModified = answer.lastModified;
      state.feeds[feed.url] = validators;
    }
  } else {
    const file = isAbsolute(feed.url) ? feed.url : resolve(context.config.root, feed.url);
    try {
      body = { location: feed.url, name: feed.name, bytes: await readFile(file), truncated: false, now: context.now.getTime() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(findingFrom(FeedUnreachable, [feed.url, code === 'ENOENT' ? 'no such file' : (error as Error).message], { subject: feed.url }));
    }
  }

  const entries = await readFeedEntries(body);
  if ('failure' in entries) return fail(entries.failure);
  for (const finding of entries.findings) findings.push(finding);
  return { items: entries.items, findings, outcome: { feed: feed.name, location: feed.url, ok: true, items: entries.items.length } };
}

function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

function hostOf(location: string): string {
  try {
    return new URL(location).host.toLowerCase();
  } catch {
    return 'file';
  }
}
