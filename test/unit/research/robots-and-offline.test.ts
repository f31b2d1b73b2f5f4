import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { createResearcher } from '../../../pipeline/research/research-sources.ts';
import type { Topic } from '../../../pipeline/schema/feed-item.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { startPageServer, type PageServer } from '../../helpers/page-server.ts';

// robots.txt that cannot be read, and an offline run without snapshots, over loopback.

let server: PageServer;
let root: string;
let config: ResolvedConfig;
const article = `<html><body><article>${'<p>A paragraph of article text with enough words to count as reading material for a person.</p>'.repeat(12)}</article></body></html>`;

beforeAll(async () => {
  server = await startPageServer({ '/robots.txt': { status: 503, body: 'busy' }, '/page': { body: article } });
  root = await mkdtemp(join(tmpdir(), 'nichepress-robots-'));
  const base = await sampleConfig(root);
  config = { ...base, research: { ...base.research, timeoutMs: 2000 } };
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const topic = (): Topic => ({
  key: 'k',
  label: 'Article text',
  score: 1,
  parts: { recent: 1, before: 0, sources: 1, fit: 0 },
  affiliates: [],
  items: [{ id: '1', title: 'Page', url: `${server.url}/page`, summary: 'The feed summary.', publishedAt: '2026-10-27T00:00:00Z', feed: 'f', publisher: 'P' }],
});

it('reads no page of a host whose robots.txt cannot be read', async () => {
  const researcher = createResearcher(contextFor(config, { env: { NICHEPRESS_ALLOW_PRIVATE_HOSTS: '1' } }));
  const [source] = (await researcher.research(topic())).sources;
  expect(source).toMatchObject({ from: 'feed', reason: 'robots-disallowed', paragraphs: ['The feed summary.'] });
  expect(server.requests.map((request) => request.path)).toEqual(['/robots.txt']);
});

it('fetches nothing offline: without a snapshot the feed text stands, and nothing is recorded', async () => {
  const before = server.requests.length;
  const offline = createResearcher(contextFor({ ...config, research: { ...config.research, snapshots: 'other' } }, { offline: true, env: { NICHEPRESS_ALLOW_PRIVATE_HOSTS: '1' } }));
  const [source] = (await offline.research(topic())).sources;
  expect(source).toMatchObject({ from: 'feed', reason: 'offline' });
  expect(server.requests.length).toBe(before);
  expect(offline.counts.pagesFetched).toBe(0);
});
