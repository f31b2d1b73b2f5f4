import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { FeedItem, Topic } from '../../pipeline/schema/feed-item.ts';
import { PACKAGE_ROOT } from './cli.ts';
import { loopbackClient } from './loopback-http.ts';
import { startPageServer, type PageServer } from './page-server.ts';

/**
 * The sample niche's source pages (test/fixtures/research/sample-pages/, one HTML file per feed
 * item that the sample drafts), served on loopback under their own `.example` addresses: the
 * HTTP client handed to research sends every `.example` request to the loopback server, and the resolver gives
 * the `.example` hosts a public address so the internal-address guard treats them as the web.
 * Used to make the snapshots the sample ships (content/sources/) and to check they are still what
 * research extracts from those pages.
 */
const FOLDER = join(PACKAGE_ROOT, 'test/fixtures/research/sample-pages');

export interface SamplePages {
  server: PageServer;
  http: Dispatcher;
  resolveHost: (host: string) => Promise<string[]>;
  /** One topic holding every sample page as an item, for a researcher to read. */
  topics: Topic[];
  close(): Promise<void>;
}

export async function serveSamplePages(): Promise<SamplePages> {
  const manifest = JSON.parse(await readFile(join(FOLDER, 'pages.json'), 'utf8')) as Record<string, string>;
  const byPath = new Map<string, string>();
  for (const [url, file] of Object.entries(manifest)) {
    const { host, pathname } = new URL(url);
    byPath.set(`/${host}${pathname}`, await readFile(join(FOLDER, file), 'utf8'));
  }
  // Requests arrive as /<host>/<path>, so one loopback server can stand in for every host.
  const server = await startPageServer((path) => {
    if (path.endsWith('/robots.txt')) return { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nAllow: /\n' };
    const page = byPath.get(path);
    return page === undefined ? undefined : { body: page };
  });
  const http = loopbackClient({ hosts: (host) => host.endsWith('.example'), origin: server.url, hostInPath: true });
  const items: FeedItem[] = Object.keys(manifest).map((url, index) => ({
    id: String(index),
    title: url,
    url,
    summary: url,
    publishedAt: '2026-10-30T00:00:00Z',
    feed: 'sample',
    publisher: 'sample',
  }));
  // Research reads at most 8 sources per topic: the pages go in topics of 8.
  const topics: Topic[] = [];
  for (let start = 0; start < items.length; start += 8) {
    topics.push({ key: `sample-${start}`, label: 'sample pages', score: 0, parts: { recent: 0, before: 0, sources: 0, fit: 0 }, affiliates: [], items: items.slice(start, start + 8) });
  }
  return {
    server,
    http,
    resolveHost: async (host) => (host.endsWith('.example') ? ['93.184.216.34'] : []),
    topics,
    close: async () => {
      await http.close();
      await server.close();
    },
  };
}
