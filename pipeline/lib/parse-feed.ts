import Parser from 'rss-parser';

/** A feed entry as read, before normalisation: every field is untrusted and may be missing. */
export interface RawEntry {
  title?: string | undefined;
  link?: string | undefined;
  guid?: string | undefined;
  date?: string | undefined;
  summary?: string | undefined;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string;
  link: string | undefined;
  entries: RawEntry[];
}

const parser = new Parser();

/**
 * Parses RSS 0.9x/1.0/2.0 and Atom (through rss-parser) and JSON Feed 1.x (by hand: it is plain
 * JSON). With `truncated`, an XML body cut off at the byte cap is closed after its last complete
 * entry, so the entries that did arrive are kept.
 */
export async function parseFeed(text: string, options: { truncated?: boolean } = {}): Promise<ParsedFeed> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed);
  if (!/^<(\?xml|rss|feed|rdf:RDF|!--)/i.test(trimmed) && /^<(!doctype html|html)/i.test(trimmed)) {
    throw new Error('this is an HTML page, not a feed');
  }
  const xml = options.truncated ? closeTruncatedXml(trimmed) : trimmed;
  const feed = await parser.parseString(xml);
  const format = /<feed[\s>]/.test(xml.slice(0, 2000)) ? 'atom' : 'rss';
  return {
    format,
    title: feed.title ?? '',
    link: feed.link,
    entries: feed.items.map((item) => {
      const extra = item as Record<string, unknown>;
      const text = (key: string) => (typeof extra[key] === 'string' ? (extra[key] as string) : undefined);
      return {
        title: item.title,
        link: item.link,
        guid: item.guid,
        date: item.isoDate ?? item.pubDate ?? text('dc:date') ?? text('updated') ?? text('published'),
        summary: text('summary') ?? item.content ?? item.contentSnippet ?? text('description'),
      };
    }),
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
