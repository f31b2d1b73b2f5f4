import { readJsonFeed } from './read-json-feed.ts';
import { readXmlFeed } from './read-xml-feed.ts';

/** A feed entry as read, before normalisation: every field is untrusted and may be missing. */
export interface RawEntry {
  title?: string | undefined;
  link?: string | undefined;
  /** The entry's own id (RSS guid, Atom id, RDF about, JSON Feed id). */
  id?: string | undefined;
  date?: string | undefined;
  summary?: string | undefined;
  /** The `xml:base` in scope for the entry, when the feed sets one. */
  base?: string | undefined;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string;
  link: string | undefined;
  entries: RawEntry[];
  /** The document ended early (cut off in transit or at the byte cap): entries lost with its tail. */
  cutOff?: number;
}

/**
 * Parses RSS 0.90–2.0, RDF, Atom 0.3 / 1.0 (read-xml-feed.ts) and JSON Feed 1.0 / 1.1
 * (read-json-feed.ts). Throws, with a reason fit for a finding, when the text is not a feed.
 */
export function parseFeed(text: string): ParsedFeed {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return readJsonFeed(trimmed);
  if (!trimmed.startsWith('<')) throw new Error('this is neither XML nor JSON');
  return readXmlFeed(trimmed);
}
