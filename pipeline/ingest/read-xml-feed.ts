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
 *
 * The document is read in one pass over the parser's events (`FeedReader` below), keeping only
 * the elements the tables can ask for — the feed, its channel, the entries, their children and
 * their Media RSS groups — each with its text already joined, rather than a tree of the whole
 * document walked again afterwards.
 */
import { Parser, type Handler } from 'htmlparser2';
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

/** The names whose text some table above reads: only elements with these names keep their text. */
const TEXT_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(RSS_FIELDS).flat(),
  ...Object.values(ATOM_FIELDS).flat(),
  'link', 'atom:link', 'media:title', 'media:description',
]);

/** An element as the reader keeps it. */
interface XmlElement {
  name: string;
  attribs: Record<string, string>;
  /** The `xml:base` in scope (its own, resolved against its parent's). */
  base: string | undefined;
  /** All its text (see FeedReader.ontext), for the names in TEXT_NAMES; undefined when there is none. */
  text: string | undefined;
  /** Its child elements, kept only for the elements whose children the reader needs (see `Role`). */
  children: XmlElement[];
  /** It was closed only because the document (or its parent) ended first. */
  implied: boolean;
}

/**
 * What an element is to the reader, for those whose children are kept: the root; an RSS
 * `<channel>`; an entry; an entry's `media:group` or `media:content`; the `media:content` of those.
 */
type Role = 'root' | 'channel' | 'entry' | 'media' | 'inner-media';

/** Parses one XML feed; throws (with a reason fit for a finding) when the document is not a feed at all. */
export function readXmlFeed(xml: string): ParsedFeed {
  const reader = new FeedReader();
  new Parser(reader, { xmlMode: true, lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true }).end(xml);
  const { root, kind } = reader;
  if (!root) throw new Error('no XML element in it: it is empty, or not a feed');
  if (kind === undefined) {
    if (root.name.replace(/^.*:/, '') === 'html') throw new Error('this is an HTML page, not a feed');
    throw new Error(`this is XML but not a feed (its root element is <${root.name}>)`);
  }

  // RSS 0.91–2.0 keep the feed's title and link in the channel; Atom in the root.
  const container = reader.channel ?? root;
  // A document that ends before its root element is closed was cut off: the entry it ended in is
  // incomplete and is dropped; the ones before it are whole.
  const truncated = root.implied;
  const complete = truncated ? reader.entries.filter((entry) => !entry.implied) : reader.entries;
  const fields = kind === 'atom' ? ATOM_FIELDS : RSS_FIELDS;
  return {
    format: kind,
    title: first(container, ['title', 'dc:title'])?.text ?? '',
    link: linkOf(container, container.base),
    entries: complete.map((entry) => readEntry(entry, fields)),
    ...(truncated ? { cutOff: reader.entries.length - complete.length } : {}),
  };
}

function readEntry(entry: XmlElement, fields: typeof RSS_FIELDS): RawEntry {
  const guid = first(entry, fields.id);
  const id = guid?.text ?? entry.attribs['rdf:about'];
  // An RSS guid is the item's address unless it says otherwise (isPermaLink="false") or is no
  // address at all (podcasts often put a bare identifier there without saying so).
  const guidLink = guid?.element.name === 'guid' && guid.element.attribs.ispermalink !== 'false' && /^https?:/i.test(guid.text) ? guid.text : undefined;
  // The Media RSS elements are looked into only when the entry's own fields are missing.
  return {
    title: first(entry, fields.title)?.text ?? firstAmong(mediaOf(entry), ['media:title'])?.text,
    link: linkOf(entry, entry.base) ?? guidLink ?? entry.attribs['rdf:about'] ?? enclosureOf(entry, mediaOf(entry)),
    id,
    date: first(entry, fields.date)?.text,
    summary: first(entry, fields.summary)?.text ?? firstAmong(mediaOf(entry), ['media:description'])?.text,
    base: entry.base,
  };
}

/** An entry's Media RSS elements that hold others: `media:group` and `media:content`, and the `media:content` of a group. */
function mediaOf(entry: XmlElement): XmlElement[] {
  const outer = named(entry, ['media:group', 'media:content']);
  return [...outer, ...outer.flatMap((element) => named(element, ['media:content']))];
}

/**
 * The file an entry carries (a podcast episode, a video): its `<enclosure url>`, else a
 * `media:content url`. Entries of podcasts often have nothing else to point at.
 */
function enclosureOf(entry: XmlElement, media: XmlElement[]): string | undefined {
  for (const element of [...named(entry, ['enclosure']), ...media]) {
    const url = element.attribs.url?.trim();
    if (url) return resolve(url, element.base);
  }
  return undefined;
}

/**
 * An element's address: a `<link>` written as text (RSS), else the first Atom `<link>` whose rel
 * is `alternate` or absent (the same thing, says RFC 4287), else the first with an href —
 * resolved against the `xml:base` in scope.
 */
function linkOf(element: XmlElement, base: string | undefined): string | undefined {
  let fallback: string | undefined;
  for (const link of named(element, ['link', 'atom:link'])) {
    if (link.text) return resolve(link.text, base);
    const href = link.attribs.href?.trim();
    if (!href) continue;
    const rel = link.attribs.rel ?? 'alternate';
    if (rel === 'alternate') return resolve(href, link.base);
    fallback ??= resolve(href, link.base);
  }
  return fallback;
}

function resolve(link: string, base: string | undefined): string {
  if (base === undefined || !URL.canParse(link, base)) return link;
  return new URL(link, base).href;
}

/** Child elements with one of these names, in document order. */
function named(parent: XmlElement, names: readonly string[]): XmlElement[] {
  return parent.children.filter((child) => names.includes(child.name));
}

/** The first child element, and its text, with the first of these names that has some text (names in order of preference). */
function first(parent: XmlElement, names: readonly string[]): { element: XmlElement; text: string } | undefined {
  for (const name of names) {
    for (const child of parent.children) {
      if (child.name === name && child.text !== undefined) return { element: child, text: child.text };
    }
  }
  return undefined;
}

/** The first of these names that has some text, looked for in each of `parents` in turn. */
function firstAmong(parents: readonly XmlElement[], names: readonly string[]): { element: XmlElement; text: string } | undefined {
  for (const parent of parents) {
    const found = first(parent, names);
    if (found) return found;
  }
  return undefined;
}

const NOT_KEPT = { element: undefined, role: undefined } as const;

/**
 * The parser's events turned into the elements the tables read. An element is kept when its
 * parent has a role (its children are wanted); everything under other elements is only text.
 */
class FeedReader implements Partial<Handler> {
  root: XmlElement | undefined;
  /** The dialect, known from the root element's name; undefined when the root is no feed's. */
  kind: 'rss' | 'atom' | undefined;
  /** The first `<channel>` of an RSS feed. */
  channel: XmlElement | undefined;
  /** Every entry, in document order. */
  readonly entries: XmlElement[] = [];
  /** The open elements, innermost last: the element when it is kept, and its role when its children are. */
  private readonly open: Array<{ readonly element: XmlElement | undefined; readonly role: Role | undefined }> = [];
  /**
   * The text so far of the open element that keeps its text. Only elements without a role keep
   * text, and only children of elements with a role are kept, so two never nest.
   */
  private text: string | undefined;
  /** Where in `open` the element that owns `text` is. */
  private textDepth = -1;

  onopentag(name: string, attribs: Record<string, string>): void {
    // Elements inside a text (an XHTML summary, HTML a publisher forgot to escape) keep their
    // words apart.
    if (this.text !== undefined) this.text += ' ';
    const parent = this.open.at(-1);
    // Kept: the root element (anything after it is no part of the feed), and the children of an
    // element with a role.
    if (parent === undefined ? this.root !== undefined : parent.role === undefined) {
      this.open.push(NOT_KEPT);
      return;
    }
    const ownBase = attribs['xml:base']?.trim();
    const outerBase = parent?.element!.base;
    const element: XmlElement = {
      name,
      attribs,
      base: ownBase ? resolve(ownBase, outerBase) : outerBase,
      text: undefined,
      children: [],
      implied: false,
    };
    const role = parent === undefined ? this.begin(element) : this.roleOf(name, parent.role!);
    parent?.element!.children.push(element);
    if (role === 'channel') this.channel = element;
    else if (role === 'entry') this.entries.push(element);
    else if (role === undefined && TEXT_NAMES.has(name)) {
      this.text = '';
      this.textDepth = this.open.length;
    }
    this.open.push({ element, role });
  }

  ontext(text: string): void {
    if (this.text !== undefined) this.text += text;
  }

  onclosetag(_name: string, isImplied: boolean): void {
    const { element } = this.open.pop()!;
    if (element === undefined) return;
    if (isImplied) element.implied = true;
    if (this.open.length === this.textDepth) {
      element.text = this.text!.trim() || undefined;
      this.text = undefined;
      this.textDepth = -1;
    }
  }

  /** The root element: which dialect it is, and whether its children are wanted at all. */
  private begin(root: XmlElement): Role | undefined {
    this.root = root;
    const kind = root.name.replace(/^.*:/, '');
    if (kind === 'feed') this.kind = 'atom';
    // RSS 0.91–2.0 keep items in the channel; RSS 0.90 and 1.0 (RDF) beside it.
    else if (kind === 'rss' || kind === 'rdf' || kind === 'channel') this.kind = 'rss';
    return this.kind === undefined ? undefined : 'root';
  }

  private roleOf(name: string, parent: Role): Role | undefined {
    switch (parent) {
      case 'root':
        if (this.kind === 'atom') return name === 'entry' || name === 'atom:entry' ? 'entry' : undefined;
        if (name === 'channel' && this.channel === undefined) return 'channel';
        return name === 'item' ? 'entry' : undefined;
      case 'channel':
        return name === 'item' ? 'entry' : undefined;
      case 'entry':
        return name === 'media:group' || name === 'media:content' ? 'media' : undefined;
      case 'media':
        return name === 'media:content' ? 'inner-media' : undefined;
      case 'inner-media':
        return undefined;
    }
  }
}
