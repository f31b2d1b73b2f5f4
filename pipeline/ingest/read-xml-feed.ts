/**
 * RSS 0.90–2.0, RDF and Atom 0.3 / 1.0, read by our own small reader over htmlparser2's
 * forgiving XML parser.
 *
 * Why not rss-parser: its XML parser (xml2js over sax, strict) rejects a whole feed for one
 * unescaped `&`, an undeclared entity (`&nbsp;`) or a cut-off tail, and its item builders throw
 * on an Atom entry without a readable date. Why not one of the maintained feed libraries: not
 * all of them read JSON Feed, and each hands back entries already normalised its own way (dates,
 * text, links) that ingest would map again, in an adapter about as long as this reader. htmlparser2 (already used for
 * plain-text.ts) never gives up: it keeps unknown entities as text (plain-text.ts decodes them
 * later as HTML), takes a stray `&` as itself, and closes what a truncated document left open.
 * What is left is knowing where each dialect keeps an entry's title, link, id, date and text —
 * the tables below — and the corpus in test/fixtures/feeds/corpus/ keeps them honest.
 *
 * Names are matched lower-cased and with the prefixes publishers use in practice (`dc:date`,
 * `content:encoded`, `atom:link`), as every feed reader does, rather than by namespace URI.
 * `xml:base` on the feed, an entry or a link is honoured for relative links.
 */
import { Parser } from 'htmlparser2';
import { DomHandler, isCDATA, isTag, isText, type AnyNode, type Element } from 'domhandler';
import type { ParsedFeed, RawEntry } from './parse-feed.ts';

/** Where each dialect keeps an entry's fields, in order of preference. */
const RSS_FIELDS = {
  title: ['title', 'dc:title', 'media:title', 'itunes:title'],
  date: ['pubdate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'dcterms:modified', 'published', 'updated', 'atom:published', 'atom:updated', 'a10:updated', 'issued', 'modified', 'date'],
  summary: ['description', 'content:encoded', 'summary', 'atom:summary', 'atom:content', 'dc:description', 'itunes:summary', 'media:description', 'content', 'itunes:subtitle'],
  id: ['guid', 'id', 'atom:id', 'dc:identifier'],
};
const ATOM_FIELDS = {
  title: ['title', 'atom:title', 'dc:title'],
  // published / updated (1.0); issued / modified / created (0.3).
  date: ['published', 'updated', 'issued', 'modified', 'created', 'dc:date', 'atom:published', 'atom:updated'],
  summary: ['summary', 'content', 'atom:summary', 'atom:content', 'media:description'],
  id: ['id', 'atom:id', 'guid'],
};

/** Parses one XML feed; throws (with a reason fit for a finding) when the document is not a feed at all. */
export function readXmlFeed(xml: string): ParsedFeed {
  const handler = new FeedDomHandler();
  const parser = new Parser(handler, { xmlMode: true, lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true });
  parser.end(xml);
  const root = handler.root.children.find(isTag);
  if (!root) throw new Error('no XML element in it: it is empty, or not a feed');
  const kind = root.name.replace(/^.*:/, '');

  let container: Element;
  let entries: Element[];
  let fields: typeof RSS_FIELDS;
  let format: ParsedFeed['format'];
  if (kind === 'feed') {
    [container, entries, fields, format] = [root, named(root, ['entry', 'atom:entry']), ATOM_FIELDS, 'atom'];
  } else if (kind === 'rss' || kind === 'rdf' || kind === 'channel') {
    // RSS 0.91–2.0 keep items in the channel; RSS 0.90 and 1.0 (RDF) beside it.
    const channel = named(root, ['channel'])[0] ?? root;
    [container, entries, fields, format] = [channel, [...named(channel, ['item']), ...(channel === root ? [] : named(root, ['item']))], RSS_FIELDS, 'rss'];
  } else if (kind === 'html') {
    throw new Error('this is an HTML page, not a feed');
  } else {
    throw new Error(`this is XML but not a feed (its root element is <${root.name}>)`);
  }

  // A document that ends before its root element is closed was cut off: the entry it ended in is
  // incomplete and is dropped; the ones before it are whole.
  const truncated = handler.implied.has(root);
  const complete = truncated ? entries.filter((entry) => !handler.implied.has(entry)) : entries;
  const feedBase = baseOf(container, undefined);
  return {
    format,
    title: first(container, ['title', 'dc:title'])?.text ?? '',
    link: linkOf(container, feedBase),
    entries: complete.map((entry) => readEntry(entry, fields, feedBase)),
    ...(truncated ? { cutOff: entries.length - complete.length } : {}),
  };
}

function readEntry(entry: Element, fields: typeof RSS_FIELDS, feedBase: string | undefined): RawEntry {
  const base = baseOf(entry, feedBase);
  const guid = first(entry, fields.id);
  const id = guid?.text ?? entry.attribs['rdf:about'];
  // An RSS guid is the item's address unless it says otherwise (isPermaLink="false") or is no
  // address at all (podcasts often put a bare identifier there without saying so).
  const guidLink = guid?.element.name === 'guid' && guid.element.attribs.ispermalink !== 'false' && /^https?:/i.test(guid.text) ? guid.text : undefined;
  const media = mediaOf(entry);
  return {
    title: first(entry, fields.title)?.text ?? firstAmong(media, ['media:title'])?.text,
    link: linkOf(entry, base) ?? guidLink ?? entry.attribs['rdf:about'] ?? enclosureOf(entry, media, base),
    id,
    date: first(entry, fields.date)?.text,
    summary: first(entry, fields.summary)?.text ?? firstAmong(media, ['media:description'])?.text,
    base,
  };
}

/** An entry's Media RSS elements that hold others: `media:group` and `media:content`, and the `media:content` of a group. */
function mediaOf(entry: Element): Element[] {
  const outer = named(entry, ['media:group', 'media:content']);
  return [...outer, ...outer.flatMap((element) => named(element, ['media:content']))];
}

/**
 * The file an entry carries (a podcast episode, a video): its `<enclosure url>`, else a
 * `media:content url`. Entries of podcasts often have nothing else to point at.
 */
function enclosureOf(entry: Element, media: Element[], base: string | undefined): string | undefined {
  for (const element of [...named(entry, ['enclosure']), ...media]) {
    const url = element.attribs.url?.trim();
    if (url) return resolve(url, baseOf(element, base));
  }
  return undefined;
}

/**
 * An element's address: a `<link>` written as text (RSS), else the first Atom `<link>` whose rel
 * is `alternate` or absent (the same thing, says RFC 4287), else the first with an href —
 * resolved against any `xml:base` in scope.
 */
function linkOf(element: Element, base: string | undefined): string | undefined {
  let fallback: string | undefined;
  for (const link of named(element, ['link', 'atom:link'])) {
    const text = textOf(link);
    if (text) return resolve(text, base);
    const href = link.attribs.href?.trim();
    if (!href) continue;
    const rel = link.attribs.rel ?? 'alternate';
    if (rel === 'alternate') return resolve(href, baseOf(link, base));
    fallback ??= resolve(href, baseOf(link, base));
  }
  return fallback;
}

/** The `xml:base` in scope at `element` (its own, else its ancestors', each resolved against the one above). */
function baseOf(element: Element, outer: string | undefined): string | undefined {
  const chain: string[] = [];
  for (let node: Element | null = element; node && isTag(node); node = node.parent as Element | null) {
    const value = node.attribs['xml:base']?.trim();
    if (value) chain.unshift(value);
  }
  return chain.reduce<string | undefined>((base, value) => resolve(value, base) ?? base, outer);
}

function resolve(link: string, base: string | undefined): string | undefined {
  if (base === undefined || !URL.canParse(link, base)) return link;
  return new URL(link, base).href;
}

/** Child elements with one of these names, in document order. */
function named(parent: Element, names: readonly string[]): Element[] {
  return parent.children.filter((child): child is Element => isTag(child) && names.includes(child.name));
}

/** The first child element, and its text, with the first of these names that has some text (names in order of preference). */
function first(parent: Element, names: readonly string[]): { element: Element; text: string } | undefined {
  for (const name of names) {
    for (const child of parent.children) {
      if (!isTag(child) || child.name !== name) continue;
      const text = textOf(child);
      if (text !== undefined) return { element: child, text };
    }
  }
  return undefined;
}

/** The first of these names that has some text, looked for in each of `parents` in turn. */
function firstAmong(parents: readonly Element[], names: readonly string[]): { element: Element; text: string } | undefined {
  for (const parent of parents) {
    const found = first(parent, names);
    if (found) return found;
  }
  return undefined;
}

/**
 * All the text of an element, CDATA and markup children included (an XHTML summary, or HTML a
 * publisher forgot to escape), pieces separated by spaces so that elements stay words apart;
 * plain-text.ts makes it plain text. Undefined when there is none.
 */
function textOf(element: Element): string | undefined {
  const pieces: string[] = [];
  const collect = (node: AnyNode): void => {
    if (isText(node)) pieces.push(node.data);
    else if (isCDATA(node) || isTag(node)) {
      if (isTag(node) && node !== element) pieces.push(' ');
      for (const child of node.children) collect(child);
    }
  };
  collect(element);
  const text = pieces.join('').trim();
  return text === '' ? undefined : text;
}

/** The DOM, and which elements were closed only because the document (or their parent) ended first. */
class FeedDomHandler extends DomHandler {
  readonly implied = new Set<Element>();

  constructor() {
    super(undefined, { xmlMode: true });
  }

  override onclosetag(_name?: string, isImplied?: boolean): void {
    const open = this.tagStack.at(-1);
    if (isImplied && open && isTag(open)) this.implied.add(open);
    super.onclosetag();
  }
}
