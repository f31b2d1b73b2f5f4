import { feedParser, type RawEntry } from './xml-feed-entries.ts';

export type { RawEntry } from './xml-feed-entries.ts';

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string;
  link: string | undefined;
  entries: RawEntry[];
}

/**
 * Parses RSS 0.9x/1.0/2.0 and Atom (through rss-parser; each entry's fields are read by
 * xml-feed-entries.ts) and JSON Feed 1.x (by hand: it is plain JSON). With `truncated`, an XML
 * body cut off at the byte cap is closed after its last complete entry, so the entries that did
 * arrive are kept.
 */
export async function parseFeed(text: string, options: { truncated?: boolean } = {}): Promise<ParsedFeed> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed);
  if (!/^<(\?xml|rss|feed|rdf:RDF|!--)/i.test(trimmed) && /^<(!doctype html|html)/i.test(trimmed)) {
    throw new Error('this is an HTML page, not a feed');
  }
  const xml = options.truncated ? closeTruncatedXml(trimmed) : trimmed;
  const feed = await feedParser.parseString(xml);
  const format = /<feed[\s>]/.test(xml.slice(0, 2000)) ? 'atom' : 'rss';
  return {
    format,
    title: typeof feed.title === 'string' ? feed.title : '',
    link: typeof feed.link === 'string' ? feed.link : undefined,
    // Built by the reader's parseItemRss / parseItemAtom, not by rss-parser.
    entries: feed.items as RawEntry[],
  };
}

function parseJsonFeed(text: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const feed = data as { version?: unknown; title?: unknown; home_page_url?: unknown; items?: unknown };
  if (typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(feed.items)) {
    throw new Error('JSON that is not a JSON Feed (no jsonfeed.org version or items)');
  }
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    format: 'json',
    title: string(feed.title) ?? '',
    link: string(feed.home_page_url),
    entries: feed.items.map((raw) => {
      const item = (raw ?? {}) as Record<string, unknown>;
      return {
        title: string(item.title),
        link: string(item.url) ?? string(item.external_url),
        guid: string(item.id),
        date: string(item.date_published) ?? string(item.date_modified),
        summary: string(item.summary) ?? string(item.content_text) ?? string(item.content_html),
      };
    }),
  };
}

/** Keeps everything up to the last complete entry and closes the document. */
function closeTruncatedXml(xml: string): string {
  const lastItem = Math.max(xml.lastIndexOf('</item>') + '</item>'.length, xml.lastIndexOf('</entry>') + '</entry>'.length);
  if (lastItem < '</item>'.length) return xml;
  const head = xml.slice(0, lastItem);
  if (/<feed[\s>]/.test(head.slice(0, 2000))) return `${head}</feed>`;
  if (/<rdf:RDF[\s>]/.test(head.slice(0, 2000))) return `${head}</rdf:RDF>`;
  return `${head}</channel></rss>`;
}
