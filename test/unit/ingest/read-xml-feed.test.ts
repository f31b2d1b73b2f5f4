import { describe, expect, it } from 'vitest';
import { readXmlFeed } from '../../../pipeline/ingest/read-xml-feed.ts';

describe('readXmlFeed', () => {
  it('keeps the words of markup inside a field apart, and reads nothing after the root element', () => {
    const feed = readXmlFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>
<entry><id>1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>one</b><i>two</i></div></title><link href="https://a.example/1"/></entry>
</feed><entry><id>2</id><title>Stray</title><link href="https://a.example/2"/></entry>`);
    expect(feed.title).toBe('Feed');
    expect(feed.entries.map((entry) => [entry.title, entry.link, entry.id])).toEqual([['one two', 'https://a.example/1', '1']]);
  });

  it('resolves xml:base on the feed, the entry and the link itself, each against the one around it', () => {
    const feed = readXmlFeed(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/blog/">
<entry xml:base="2026/"><id>1</id><link xml:base="10/" href="post"/></entry>
<entry><id>2</id><link href="other"/></entry></feed>`);
    expect(feed.entries.map((entry) => entry.link)).toEqual(['https://a.example/blog/2026/10/post', 'https://a.example/blog/other']);
    expect(feed.entries.map((entry) => entry.base)).toEqual(['https://a.example/blog/2026/', 'https://a.example/blog/']);
  });

  it('reads the items of an RSS 1.0 document beside its channel, and the title from the channel', () => {
    const feed = readXmlFeed(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://r.example/"><title>Channel</title><link>https://r.example/</link></channel>
<item rdf:about="https://r.example/a"><title>A</title></item><item rdf:about="https://r.example/b"><title>B</title></item></rdf:RDF>`);
    expect([feed.format, feed.title, feed.link]).toEqual(['rss', 'Channel', 'https://r.example/']);
    expect(feed.entries.map((entry) => [entry.title, entry.link])).toEqual([['A', 'https://r.example/a'], ['B', 'https://r.example/b']]);
  });
});
