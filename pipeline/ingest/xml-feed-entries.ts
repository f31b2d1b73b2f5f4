import Parser from 'rss-parser';

/** A feed entry as read, before normalisation: every field is untrusted and may be missing. */
export interface RawEntry {
  title?: string | undefined;
  link?: string | undefined;
  guid?: string | undefined;
  date?: string | undefined;
  summary?: string | undefined;
}

/** An element as xml2js gives it: children by name, each a list; `_` its text, `$` its attributes. */
type XmlElement = Record<string, unknown>;

/**
 * rss-parser, reading each RSS item and Atom entry into a RawEntry itself.
 *
 * rss-parser still reads the XML (xml2js over sax), tells RSS 0.9x / 1.0 / 2.0 and Atom apart and
 * reads the feed's own title and link. What it would do for each entry is replaced — it calls
 * `parseItemRss` / `parseItemAtom` on the parser for every item and entry (rss-parser 3.x; they
 * are not in its typings) — because its versions
 * - throw on an Atom entry whose `<published>` or `<updated>` cannot be read, which rejects the
 *   whole feed, where one bad entry must only cost itself (a finding, see ingest-entries.ts);
 * - throw on an Atom `<link>` without attributes, with the same effect;
 * - make a plain-text "snippet" of every description and `content:encoded` (the whole article, in
 *   WordPress feeds) that nothing here reads: about a fifth of the time it took to parse a feed;
 * - turn each date into an ISO string that normalisation then parses again (parseFeedDate reads
 *   the date as written, in one place, with the same rules for every format);
 * - write XHTML content back out as markup, only for it to be turned into text again.
 */
class EntryReader extends Parser {
  parseItemRss(item: XmlElement): RawEntry {
    return {
      // rss-parser's order: <title> before <dc:title>; <pubDate> before <dc:date>.
      title: text(item.title) ?? text(item['dc:title']),
      link: text(item.link),
      guid: text(item.guid),
      date: text(item.pubDate) || text(item['dc:date']) || text(item.updated) || text(item.published),
      summary: text(item.summary) ?? content(item.description),
    };
  }

  parseItemAtom(entry: XmlElement): RawEntry {
    return {
      title: text(entry.title),
      link: atomLink(entry.link),
      date: text(entry.published) || text(entry.updated),
      summary: content(entry.summary) ?? content(entry.content),
    };
  }
}

export const feedParser = new EntryReader();

/** The text of the first of these elements: a string, or the `_` of an element with attributes. */
function text(elements: unknown): string | undefined {
  const element = Array.isArray(elements) ? (elements[0] as unknown) : undefined;
  if (typeof element === 'string') return element;
  if (isElement(element) && typeof element._ === 'string') return element._;
  return undefined;
}

/**
 * All the text of the first of these elements, markup children included (an XHTML summary, or
 * HTML a publisher forgot to escape): its strings, attributes left out. Normalisation turns the
 * result into plain text, so the spaces put between the pieces only separate words.
 */
function content(elements: unknown): string | undefined {
  const first = text(elements);
  if (first !== undefined || !Array.isArray(elements) || !isElement(elements[0])) return first;
  const pieces: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') pieces.push(value);
    else if (Array.isArray(value)) for (const inner of value) collect(inner);
    else if (isElement(value)) for (const key of Object.keys(value)) if (key !== '$') collect(value[key]);
  };
  collect(elements[0]);
  return pieces.join(' ');
}

/**
 * An Atom entry's address: the first `<link>` whose rel is `alternate` or absent (the same thing,
 * says RFC 4287), else the first with an href. A `<link>` written as text is taken as it is.
 */
function atomLink(elements: unknown): string | undefined {
  if (!Array.isArray(elements)) return undefined;
  let fallback: string | undefined;
  for (const element of elements as unknown[]) {
    if (typeof element === 'string') {
      fallback ??= element.trim() || undefined;
      continue;
    }
    const attributes = isElement(element) && isElement(element.$) ? element.$ : undefined;
    const href = typeof attributes?.href === 'string' ? attributes.href : undefined;
    if (href === undefined) continue;
    if (attributes!.rel === undefined || attributes!.rel === 'alternate') return href;
    fallback ??= href;
  }
  return fallback;
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
