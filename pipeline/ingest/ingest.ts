import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import type { Context } from '../context.ts';
import { FeedEntrySkipped, FeedNotModified, FeedOfflineSkipped, FeedTruncated, FeedUnreachable } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { fetchFeed, HttpAgents } from './fetch-feed.ts';
import { limitByKey } from './limit-by-key.ts';
import { deduplicateItems } from './deduplicate-items.ts';
import type { FeedItem } from '../schema/feed-item.ts';
import type { State } from '../state.ts';
import { readFeedEntries, type FeedBody, type FeedEntries } from './read-entries.ts';
import { FeedParsePool } from './ingest-pool.ts';

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
  /** Worker threads that parse the feeds; 0 parses in the main thread. Default: see parseThreads. */
  threads?: number;
  /** Heap limits of those threads (Node's defaults otherwise). */
  threadLimits?: ResourceLimits;
}

/**
 * A thread costs ~100 ms of CPU to start and load the parser (type stripping included), and
 * posting items back is not free: below this many remote feeds the main thread is done sooner.
 */
const MIN_REMOTE_FEEDS_FOR_THREADS = 8;
/**
 * Threads only pay off when there are cores to spare beside the main thread, which is busy
 * fetching: measured on 2 cores with node:http fetching (test/bench/ingest-bench.ts, three runs
 * each way), one parse thread made the first run slower than parsing in the main thread — 504–586 ms
 * against 427–502 ms, 1.2–1.35 s of CPU against 1.0–1.1 s. Starting the thread (loading the
 * parser, type stripping included) and warming a second copy of the parser's code cost more than
 * the second core gives back, and that core also runs the feed server and V8's own threads.
 * Measured again after parsing got cheaper (2026-11-21): a plain-JavaScript worker that only
 * parses XML (~85 ms to its first answer) sharing the feeds with the main thread, which parsed
 * whenever the worker had two bodies in hand, was still slower: 436–445 ms against 399–422 ms.
 */
const MIN_CORES_FOR_THREADS = 4;
const MAX_THREADS = 4;

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
  const threads = options.threads ?? parseThreads(context, feeds);
  const pool = threads > 0 ? new FeedParsePool({ size: threads, resourceLimits: options.threadLimits }) : undefined;
  // One keep-alive connection pool for the run, as wide per host as the per-host limit.
  const agents = new HttpAgents(settings.perHost);
  let results: FeedRead[];
  try {
    // A fetch slot (and the per-host limit) is held while the body downloads, not while it is
    // parsed: with a pool, parsing goes on in a worker while the next feeds are fetched.
    const reads = await limitByKey(
      feeds.map((feed) => ({ key: hostOf(feed.url), run: () => readOneFeed(context, state, feed, record, pool, agents) })),
      settings.concurrency,
      settings.perHost,
    );
    results = await Promise.all(reads.map((read) => read.done));
  } finally {
    // Idle keep-alive sockets would otherwise hold the process open after the run.
    agents.destroy();
    await pool?.close();
  }

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

/** Worker threads for parsing: only for a long list of remote feeds on a machine with cores to spare. */
function parseThreads(context: Context, feeds: readonly FeedSpec[]): number {
  if (context.offline) return 0;
  const cores = availableParallelism();
  if (cores < MIN_CORES_FOR_THREADS) return 0;
  const remote = feeds.filter((feed) => isRemote(feed.url)).length;
  if (remote < MIN_REMOTE_FEEDS_FOR_THREADS) return 0;
  // One core stays with the main thread, which fetches and de-duplicates.
  return Math.min(cores - 1, MAX_THREADS);
}

interface FeedRead {
  items: FeedItem[];
  findings: Finding[];
  outcome: FeedOutcome;
}

/** A read whose parse may still be running in a worker (wrapped so limitByKey does not wait for it). */
interface PendingRead {
  done: Promise<FeedRead>;
}

async function readOneFeed(
  context: Context,
  state: State,
  feed: FeedSpec,
  record: boolean,
  pool: FeedParsePool | undefined,
  agents: HttpAgents,
): Promise<PendingRead> {
  const fail = (finding: Finding): FeedRead => ({
    items: [],
    findings: [finding],
    outcome: { feed: feed.name, location: feed.url, ok: false, items: 0, error: { code: finding.code ?? '', message: finding.message } },
  });
  const settled = (read: FeedRead): PendingRead => ({ done: Promise.resolve(read) });

  const findings: Finding[] = [];
  let body: FeedBody;
  if (isRemote(feed.url)) {
    if (context.offline) return settled(fail(findingFrom(FeedOfflineSkipped, [feed.url], { severity: 'warning', subject: feed.url })));
    const { ingest: settings } = context.config;
    const known = state.feeds[feed.url];
    let answer;
    try {
      answer = await fetchFeed(feed.url, {
        agents,
        timeoutMs: settings.timeoutMs,
        maxBytes: settings.maxBytes,
        maxRedirects: settings.maxRedirects,
        userAgent: USER_AGENT,
        etag: known?.etag,
        lastModified: known?.lastModified,
      });
    } catch (error) {
      return settled(fail(findingFrom(FeedUnreachable, [feed.url, (error as Error).message], { subject: feed.url })));
    }
    if (answer.status === 'not-modified') {
      // The state is left as it was: a run where nothing changed writes nothing.
      return settled({
        items: [],
        findings: [findingFrom(FeedNotModified, [feed.url], { severity: 'info', subject: feed.url })],
        outcome: { feed: feed.name, location: feed.url, ok: true, notModified: true, items: 0 },
      });
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
      return settled(fail(findingFrom(FeedUnreachable, [feed.url, code === 'ENOENT' ? 'no such file' : (error as Error).message], { subject: feed.url })));
    }
  }

  const finish = (entries: FeedEntries): FeedRead => {
    if ('failure' in entries) return fail(entries.failure);
    for (const finding of entries.findings) findings.push(finding);
    return { items: entries.items, findings, outcome: { feed: feed.name, location: feed.url, ok: true, items: entries.items.length } };
  };
  // Local files stay in this thread: they are the sample feeds and `ingest --feed <path>`, few and small.
  if (pool && isRemote(feed.url)) return { done: pool.parse(body).then(finish) };
  return settled(finish(await readFeedEntries(body)));
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
