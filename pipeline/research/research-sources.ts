import { join, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Context } from '../context.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import { connectToPublicAddressesOnly, resolveHost as systemResolveHost, type ResolveHost } from './address-guard.ts';
import { choosePassages, type Passage, type SourceText } from './choose-passages.ts';
import { isBotChallenge, unreadableReason } from './classify-page.ts';
import { decodeHtml } from './decode-html.ts';
import { extractArticle } from './extract-article.ts';
import { fetchPage, type PageFetcher, type UnreadReason } from './fetch-page.ts';
import { createHostSlots } from './host-slots.ts';
import { createRobotsRules } from './robots-rules.ts';
import { createSnapshotStore, textHash, type PageSnapshot } from './snapshot-store.ts';

/**
 * The research step: for each source item of a topic, the text of the page it links to — from a
 * snapshot when we have one, else fetched, extracted and snapshotted — or, when the page cannot
 * be read, the item's feed text and the reason. Nothing about a page stops the run.
 */

/** The articles link at most this many sources (assemble-article.ts); research reads the same. */
export const MAX_SOURCES = 8;

export type ReadFrom = 'page' | 'feed';

export interface SourceReading {
  /** The 1-based source number the article cites. */
  n: number;
  item: FeedItem;
  from: ReadFrom;
  /** Why the page was not read (for `from: 'feed'`). */
  reason?: UnreadReason | 'offline' | 'research-off';
  detail?: string;
  /** The page's article text as paragraphs when it was read; the feed summary otherwise. */
  paragraphs: string[];
  contentHash?: string;
  fetchedAt?: string;
}

export interface TopicResearch {
  sources: SourceReading[];
  /** What the model sees, within `research.maxPromptTokens`. */
  passages: Passage[];
}

export interface ResearchCounts {
  /** HTTP requests for pages (redirect hops and robots.txt not counted). */
  pagesFetched: number;
  /** Sources read from a page, now or from a snapshot. */
  pagesRead: number;
  fromSnapshots: number;
  /** Sources that fell back to their feed text. */
  feedOnly: number;
}

export interface ResearcherOptions {
  /** Resolves host names for the internal-address check; tests hand in their own. */
  resolveHost?: ResolveHost;
  /** Read every page again, whatever snapshot is kept (to remake snapshots). */
  refresh?: boolean;
}

/** The part of the context research needs: the run's HTTP client, clock, flags and config. */
export type ResearchContext = Pick<Context, 'config' | 'now' | 'offline' | 'dryRun' | 'http' | 'env' | 'signal'>;

export function createResearcher(context: ResearchContext, options: ResearcherOptions = {}) {
  const { config } = context;
  const settings = config.research;
  const store = createSnapshotStore(resolve(config.root, settings.snapshots), {
    readOnly: context.dryRun,
    tempDir: join(config.resolved.cacheDir, 'tmp'),
  });
  const agent = 'nichepress';
  const allowPrivateHosts = context.env.NICHEPRESS_ALLOW_PRIVATE_HOSTS === '1';
  let http: Dispatcher | undefined;
  const fetcher: PageFetcher = {
    // The same client and connections as the rest of the run, with the address rule added. Made
    // when the first page is fetched: a run that reads only snapshots never loads the client.
    get http() {
      return (http ??= allowPrivateHosts ? context.http : context.http.compose(connectToPublicAddressesOnly(options.resolveHost ?? systemResolveHost)));
    },
    userAgent: `${agent}/0.1 (+${config.site.url}; research for a sourced article)`,
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxBytes,
    allowPrivateHosts,
    slots: createHostSlots(settings.perHost),
    resolveHost: options.resolveHost,
    signal: context.signal,
  };
  const robots = createRobotsRules(fetcher, agent);
  const counts: ResearchCounts = { pagesFetched: 0, pagesRead: 0, fromSnapshots: 0, feedOnly: 0 };
  // One reading per URL per run: topics that share a story share its page.
  const readings = new Map<string, Promise<Omit<SourceReading, 'n' | 'item'>>>();

  async function readPage(item: FeedItem): Promise<Omit<SourceReading, 'n' | 'item'>> {
    const feedText = { paragraphs: [item.summary || item.title] };
    if (!settings.enabled) return { from: 'feed', reason: 'research-off', ...feedText };
    const kept = options.refresh ? undefined : await store.get(item.url);
    const retryAfter = kept ? Date.parse(kept.fetchedAt) + settings.retryUnreadHours * 3_600_000 : 0;
    if (kept?.status === 'read' && kept.paragraphs) {
      counts.fromSnapshots++;
      return { from: 'page', paragraphs: kept.paragraphs, ...hashAndTime(kept) };
    }
    if (kept && (context.offline || retryAfter > context.now.getTime())) {
      return { from: 'feed', reason: kept.reason as UnreadReason, detail: kept.detail ?? 'not read last time', ...feedText };
    }
    if (context.offline) return { from: 'feed', reason: 'offline', detail: 'offline run, no snapshot', ...feedText };

    counts.pagesFetched++;
    const snapshot = await fetchAndExtract(item.url);
    // A run stopped mid-fetch (SIGINT/SIGTERM) learnt nothing about the page: record nothing.
    if (context.signal?.aborted) return { from: 'feed', reason: 'network-error', detail: 'the run was stopped', ...feedText };
    await store.put(snapshot);
    if (snapshot.status === 'read' && snapshot.paragraphs) return { from: 'page', paragraphs: snapshot.paragraphs, ...hashAndTime(snapshot) };
    return { from: 'feed', reason: snapshot.reason as UnreadReason, detail: snapshot.detail ?? '', ...feedText };
  }

  async function fetchAndExtract(url: string): Promise<PageSnapshot> {
    const fetchedAt = context.now.toISOString();
    const unread = (reason: UnreadReason, detail: string): PageSnapshot => ({ url, fetchedAt, status: 'unread', reason, detail });
    const outcome = await fetchPage(url, fetcher, (hop) => robots.check(hop));
    if (!outcome.ok) {
      const challenge = outcome.reason === 'blocked' && outcome.body && isBotChallenge(extractArticle(decodeHtml(outcome.body, outcome.contentType ?? null)).pageText);
      return challenge ? unread('bot-challenge', `${outcome.detail}, a bot challenge`) : unread(outcome.reason, outcome.detail);
    }
    const type = (outcome.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type && type !== 'text/html' && type !== 'application/xhtml+xml') return unread('not-html', `served as ${type}`);
    let article;
    try {
      article = extractArticle(decodeHtml(outcome.body, outcome.contentType));
    } catch (error) {
      return unread('no-article-text', `the page could not be parsed (${error instanceof Error ? error.message : String(error)})`);
    }
    const refused = unreadableReason(article);
    if (refused) return unread(refused.reason, refused.detail);
    return {
      url,
      ...(outcome.url !== url ? { finalUrl: outcome.url } : {}),
      fetchedAt,
      status: 'read',
      title: article.title,
      contentHash: textHash(article.paragraphs),
      paragraphs: article.paragraphs,
    };
  }

  async function research(topic: Topic): Promise<TopicResearch> {
    const items = topic.items.slice(0, MAX_SOURCES);
    const sources = await Promise.all(
      items.map(async (item, index): Promise<SourceReading> => {
        let reading = readings.get(item.url);
        if (!reading) {
          reading = readPage(item).then((read) => {
            if (read.from === 'page') counts.pagesRead++;
            else counts.feedOnly++;
            return read;
          });
          readings.set(item.url, reading);
        }
        return { n: index + 1, item, ...(await reading) };
      }),
    );
    const texts: SourceText[] = sources.map((source) => ({ n: source.n, title: source.item.title, paragraphs: source.paragraphs }));
    return { sources, passages: choosePassages(topic.label, texts, settings.maxPromptTokens) };
  }

  return { research, counts };
}

export type Researcher = ReturnType<typeof createResearcher>;

function hashAndTime(snapshot: PageSnapshot): { contentHash?: string; fetchedAt: string } {
  return { ...(snapshot.contentHash ? { contentHash: snapshot.contentHash } : {}), fetchedAt: snapshot.fetchedAt };
}
