import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.ts';
import {
  FeedEntriesCompleted,
  FeedEntrySkipped,
  FeedFileMissing,
  FeedNotModified,
  FeedOfflineSkipped,
  FeedSchemeUnsupported,
  FeedTruncated,
  FeedUnreachable,
} from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { fetchFeed } from './fetch-feed.ts';
import { limitByKey } from './limit-by-key.ts';
import { deduplicateItems } from './deduplicate-items.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { readFeedEntries, type FeedBody, type ReadItem } from './read-entries.ts';
import { summariseRepeats } from './repeated-problems.ts';

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
 * the rest of its feed survives. An entry without a date keeps the date it was first seen.
 * A feed problem that was reported on an earlier run is summarised (repeated-problems.ts).
 * `record: false` checks feeds without touching the history, the conditional-GET validators or
 * the remembered problems, and reports everything in full (`ingest --feed`).
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
  const now = context.now.toISOString();
  for (const [index, result] of results.entries()) {
    const feed = feeds[index]!;
    const feedFindings = [...result.findings, ...completedEntries(feed, result.items, state, record)];
    for (const { item, undated } of result.items) {
      // Dated by when it was first seen: kept from the history on later runs.
      if (undated) item.publishedAt = state.items[item.id]?.publishedAt ?? now;
      collected.push(item);
    }
    if (record && result.read) {
      const summary = summariseRepeats(feed.url, feedFindings, state.feeds[feed.url]?.problems, now);
      rememberProblems(state, feed.url, summary.problems);
      findings.push(...summary.findings);
    } else {
      findings.push(...feedFindings);
    }
    outcomes.push(result.outcome);
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
  items: ReadItem[];
  findings: Finding[];
  outcome: FeedOutcome;
  /** The feed was fetched or read this run (not answered 304, not skipped offline): its problems are current. */
  read: boolean;
}

/** One finding per feed for the entries it first shows without a date or a title (each is said once). */
function completedEntries(feed: FeedSpec, items: readonly ReadItem[], state: State, record: boolean): Finding[] {
  // Most entries need nothing completed: only those that did are looked up in the history.
  const completed = items.filter((entry) => entry.undated || entry.untitled);
  const fresh = record ? completed.filter(({ item }) => !state.items[item.id]) : completed;
  const findings: Finding[] = [];
  const undated = fresh.filter((entry) => entry.undated).length;
  const untitled = fresh.filter((entry) => entry.untitled).length;
  const unread = fresh.find((entry) => entry.unreadDate !== undefined)?.unreadDate;
  if (undated > 0) findings.push(findingFrom(FeedEntriesCompleted, [feed.url, undated, 'date', unread], { severity: 'info', subject: feed.url }));
  if (untitled > 0) findings.push(findingFrom(FeedEntriesCompleted, [feed.url, untitled, 'title'], { severity: 'info', subject: feed.url }));
  return findings;
}

function rememberProblems(state: State, location: string, problems: Record<string, string> | undefined): void {
  const record = state.feeds[location];
  if (problems) {
    state.feeds[location] = { ...record, problems };
    return;
  }
  if (!record?.problems) return;
  const { problems: _solved, ...rest } = record;
  if (Object.keys(rest).length > 0) state.feeds[location] = rest;
  else delete state.feeds[location];
}

async function readOneFeed(
  context: Context,
  state: State,
  feed: FeedSpec,
  record: boolean,
): Promise<FeedRead> {
  const fail = (finding: Finding, read = true): FeedRead => ({
    items: [],
    findings: [finding],
    outcome: { feed: feed.name, location: feed.url, ok: false, items: 0, error: { code: finding.code ?? '', message: finding.message } },
    read,
  });

  const findings: Finding[] = [];
  let body: FeedBody;
  if (isRemote(feed.url)) {
    if (context.offline) return fail(findingFrom(FeedOfflineSkipped, [feed.url], { severity: 'warning', subject: feed.url }), false);
    const { ingest: settings } = context.config;
    const known = state.feeds[feed.url];
    let answer;
    try {
      answer = await fetchFeed(context.http, feed.url, {
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
        read: false,
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
      const problems = state.feeds[feed.url]?.problems;
      state.feeds[feed.url] = problems ? { ...validators, problems } : validators;
    }
  } else {
    const scheme = schemeOf(feed.url);
    if (scheme !== undefined && scheme !== 'file') {
      return fail(findingFrom(FeedSchemeUnsupported, [feed.url, `${scheme}:`], { subject: feed.url }));
    }
    const file = scheme === 'file' ? fileURLToPath(feed.url) : isAbsolute(feed.url) ? feed.url : resolve(context.config.root, feed.url);
    try {
      body = { location: feed.url, name: feed.name, bytes: await readFile(file), truncated: false, now: context.now.getTime() };
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') return fail(findingFrom(FeedFileMissing, [feed.url, file], { subject: feed.url }));
      return fail(findingFrom(FeedUnreachable, [feed.url, message], { subject: feed.url }));
    }
  }

  const entries = readFeedEntries(body);
  if ('failure' in entries) return fail(entries.failure);
  for (const finding of entries.findings) findings.push(finding);
  return { items: entries.items, findings, outcome: { feed: feed.name, location: feed.url, ok: true, items: entries.items.length }, read: true };
}

function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** The scheme of an address written as a URL ("ftp", "file"), lower-cased; undefined for a path (a drive letter is not a scheme). */
function schemeOf(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]+):/i.exec(location)?.[1]?.toLowerCase();
}

function hostOf(location: string): string {
  try {
    return new URL(location).host.toLowerCase();
  } catch {
    return 'file';
  }
}
