/**
 * One feed's body as FeedItems: decode the bytes, parse the document, normalise each entry.
 * Pure CPU work that needs nothing from the run's context.
 *
 * An entry is kept whenever it has a link or an id, as forgiving feed readers do. One without a
 * date is dated when it was first seen (ingest.ts keeps that date in the state); one without a
 * title gets one from its text. The entries so completed are counted, so ingest can say so once.
 */
import { FeedCutOff, FeedEntrySkipped, FeedUnparseable } from '../errors/catalogue.ts';
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
/** Words of an entry's text that make its title when it has none. */
const TITLE_WORDS = 12;

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
  /** The body was cut off at the byte cap (the caller reports that; the entries it ended in are dropped). */
  truncated: boolean;
  /** The run's clock (epoch ms): later dates, beyond a small skew, are clamped to it. */
  now: number;
}

/** An item, and whether its date or title had to be supplied. */
export interface ReadItem {
  item: FeedItem;
  /** It had no readable date: publishedAt is the clock's, until ingest puts its first-seen date. */
  undated: boolean;
  /** The date as written, when there was one and it could not be read. */
  unreadDate?: string;
  /** It had no title: the title was made from its text. */
  untitled: boolean;
}

/** The feed's items and its findings, or the one finding that says why it could not be read. */
export type FeedEntries = { items: ReadItem[]; findings: Finding[] } | { failure: Finding };

export function readFeedEntries(body: FeedBody): FeedEntries {
  const text = decodeFeedBytes(body.bytes, body.contentType);
  let parsed;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? 'unreadable').slice(0, 200);
    return { failure: findingFrom(FeedUnparseable, [body.location, reason], { subject: body.location }) };
  }

  const items: ReadItem[] = [];
  const findings: Finding[] = [];
  if (parsed.cutOff !== undefined && !body.truncated) {
    findings.push(findingFrom(FeedCutOff, [body.location, parsed.cutOff], { severity: 'warning', subject: body.location }));
  }
  const options: NormaliseOptions = {
    base: body.base ?? parsed.link,
    home: canonicalUrl(parsed.link ?? '', body.base) ?? canonicalUrl(body.base ?? ''),
    feedName: body.name,
    publisher: toPlainText(parsed.title) || body.name,
    now: new Date(body.now),
  };
  parsed.entries.forEach((entry, index) => {
    const normalised = normaliseEntry(entry, options);
    if (typeof normalised !== 'string') {
      items.push(normalised);
      return;
    }
    const label = entry.title ? `"${toPlainText(entry.title).slice(0, 60)}"` : `entry ${index + 1}`;
    findings.push(findingFrom(FeedEntrySkipped, [body.location, label, normalised], { severity: 'warning', subject: body.location }));
  });
  return { items, findings };
}

export interface NormaliseOptions {
  /** What relative links resolve against: the address the feed came from, else its own link. */
  base: string | undefined;
  /** The feed's home page (canonical), the address of entries that have an id but no link. */
  home?: string | undefined;
  feedName: string;
  publisher: string;
  now: Date;
}

/** An entry as a FeedItem, or the reason it was skipped. */
export function normaliseEntry(entry: RawEntry, options: NormaliseOptions): ReadItem | string {
  const base = entry.base ?? options.base;
  const rawLink = entry.link ?? (entry.id && /^https?:/i.test(entry.id) ? entry.id : undefined);
  let url = rawLink === undefined ? undefined : canonicalUrl(rawLink, base);
  if (url === undefined) {
    if (!entry.id) return rawLink ? `its link "${rawLink.slice(0, 80)}" is not an http(s) URL` : 'it has neither a link nor an id';
    if (!options.home) return 'it has no link, and its feed no home page to point at instead';
    // The publisher's page, told apart by the entry's id: one address per entry, and an honest one.
    url = `${options.home}#${encodeURIComponent(entry.id.trim())}`;
  }
  const summary = toPlainText(entry.summary ?? '');
  let title = toPlainText(entry.title ?? '');
  const untitled = title === '';
  if (untitled) title = titleFromText(summary) ?? titleFromUrl(url) ?? options.publisher;
  const time = parseFeedDate(entry.date);
  const latest = options.now.getTime() + FUTURE_SKEW_MS;
  const publishedAt = new Date(time === undefined ? options.now.getTime() : Math.min(time, latest)).toISOString();
  const read: ReadItem = {
    item: { id: digest(url), title, url, summary, publishedAt, feed: options.feedName, publisher: options.publisher },
    undated: time === undefined,
    untitled,
  };
  if (time === undefined && entry.date?.trim()) read.unreadDate = entry.date.trim();
  return read;
}

/** The first sentence of the text, at most TITLE_WORDS words ("…" when cut). */
function titleFromText(text: string): string | undefined {
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  const words = sentence.split(' ').filter(Boolean);
  if (words.length === 0) return undefined;
  return words.length > TITLE_WORDS ? `${words.slice(0, TITLE_WORDS).join(' ')}…` : words.join(' ');
}

/** "/notes/how-often-to-claim-rewards" → "How often to claim rewards". */
function titleFromUrl(url: string): string | undefined {
  const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
  const words = segment && decodeSegment(segment).replace(/\.[a-z]{2,5}$/i, '').replace(/[-_+]+/g, ' ').trim();
  return words ? `${words[0]!.toUpperCase()}${words.slice(1)}` : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
