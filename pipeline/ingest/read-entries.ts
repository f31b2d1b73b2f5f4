/**
 * One feed's body as FeedItems: decode the bytes, parse the document, normalise each entry.
 * Pure CPU work that needs nothing from the run's context.
 */
import { FeedEntrySkipped, FeedUnparseable } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { canonicalUrl } from './canonical-url.ts';
import { decodeFeedBytes } from './decode-feed.ts';
import { digest } from '../lib/hash.ts';
import { parseFeedDate } from './parse-feed-date.ts';
import { parseFeed, type RawEntry } from './parse-feed.ts';
import { toPlainText } from './plain-text.ts';
import type { FeedItem } from '../schema/feed-item.ts';

/** Dates further in the future than this are treated as wrong clocks and clamped to now. */
const FUTURE_SKEW_MS = 10 * 60_000;

/** What a parse needs to know about one feed. */
export interface FeedBody {
  /** The feed's address as configured: findings name it. */
  location: string;
  /** The feed's name from the config (FeedItem.feed, and the publisher when the feed has no title). */
  name: string;
  bytes: Uint8Array;
  /** The HTTP Content-Type, whose charset comes before the XML declaration's. */
  contentType?: string | undefined;
  /** The URL the body came from, after redirects: relative links resolve against it. */
  base?: string | undefined;
  /** The body was cut off at the byte cap: keep the entries that arrived complete. */
  truncated: boolean;
  /** The run's clock (epoch ms): later dates, beyond a small skew, are clamped to it. */
  now: number;
}

/** The feed's items and its skipped-entry findings, or the one finding that says why it could not be read. */
export type FeedEntries = { items: FeedItem[]; findings: Finding[] } | { failure: Finding };

export async function readFeedEntries(body: FeedBody): Promise<FeedEntries> {
  const text = decodeFeedBytes(body.bytes, body.contentType);
  let parsed;
  try {
    parsed = await parseFeed(text, { truncated: body.truncated });
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? 'unreadable').slice(0, 200);
    return { failure: findingFrom(FeedUnparseable, [body.location, reason], { subject: body.location }) };
  }

  const items: FeedItem[] = [];
  const findings: Finding[] = [];
  const linkBase = body.base ?? parsed.link;
  const publisher = toPlainText(parsed.title) || body.name;
  const now = new Date(body.now);
  parsed.entries.forEach((entry, index) => {
    const normalised = normaliseEntry(entry, { base: linkBase, feedName: body.name, publisher, now });
    if (typeof normalised !== 'string') {
      items.push(normalised);
      return;
    }
    const label = entry.title ? `"${toPlainText(entry.title).slice(0, 60)}"` : `entry ${index + 1}`;
    findings.push(findingFrom(FeedEntrySkipped, [body.location, label, normalised], { severity: 'warning', subject: body.location }));
  });
  return { items, findings };
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
