import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFile, readArchive, withFile } from '../../../pipeline/archive/archive.ts';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { checkLinks, retryAfterMs } from '../../../pipeline/maintenance/check-links.ts';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

/**
 * check-links against real HTTP servers on loopback: a "merchant and sources" server on
 * 127.0.0.1 and an "elsewhere" server on 127.0.0.2 (another loopback address, so a redirect
 * really changes host). The servers log every request, so the tests see methods, retries, how
 * many requests were open at once and cache hits from the server's side.
 */

interface Logged {
  method: string;
  path: string;
  status?: number;
  /** Other requests to the same server still open when this one arrived (a hanging one left out). */
  alsoOpen: number;
}

let merchant: Server;
let elsewhere: Server;
let base = '';
let other = '';
const log: Logged[] = [];
const hits = new Map<string, number>();
const open = new Map<Server, number>();
/** Less than the per-host interval below (150 ms): a throttled client never has two requests open at a host. */
const ANSWER_DELAY_MS = 60;

function handle(server: Server, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://x');
  const entry: Logged = { method: request.method ?? '', path: url.pathname, alsoOpen: open.get(server) ?? 0 };
  log.push(entry);
  if (url.pathname !== '/hang') {
    open.set(server, (open.get(server) ?? 0) + 1);
    response.once('close', () => open.set(server, open.get(server)! - 1));
  }
  const count = (hits.get(url.pathname) ?? 0) + 1;
  hits.set(url.pathname, count);
  // Every answer takes a moment, as real servers' do, so requests sent together overlap here.
  const send = (status: number, headers: Record<string, string> = {}) => {
    entry.status = status;
    setTimeout(() => {
      response.writeHead(status, headers);
      response.end(request.method === 'HEAD' ? undefined : 'body');
    }, ANSWER_DELAY_MS);
  };
  switch (url.pathname) {
    case '/ok':
    case '/shop':
    case '/source':
      return send(200);
    case '/head-405':
      return send(request.method === 'HEAD' ? 405 : 200);
    case '/gone':
      return send(404);
    case '/wall':
      return send(403);
    case '/flaky':
      return count === 1 ? send(503, { 'retry-after': '1' }) : send(200);
    case '/slow-down':
      return send(429, { 'retry-after': '3600' });
    case '/hang':
      return; // never answers
    case '/loop':
      return send(302, { location: '/loop' });
    case '/aff-good':
      return send(302, { location: `/shop${url.search}` });
    case '/aff-strip':
      return send(302, { location: '/shop' });
    case '/aff-off':
      return send(302, { location: `${other}/landing${url.search}` });
    case '/landing':
      return send(200);
    default:
      return send(404);
  }
}

const listen = (server: Server, host: string) =>
  new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));

beforeAll(async () => {
  merchant = createServer((request, response) => handle(merchant, request, response));
  elsewhere = createServer((request, response) => handle(elsewhere, request, response));
  base = await listen(merchant, '127.0.0.1');
  other = await listen(elsewhere, '127.0.0.2');
});

afterAll(async () => {
  merchant.closeAllConnections();
  elsewhere.closeAllConnections();
  await Promise.all([new Promise((resolve) => merchant.close(resolve)), new Promise((resolve) => elsewhere.close(resolve))]);
});

async function project(): Promise<{ root: string; config: ResolvedConfig }> {
  const root = await mkdtemp(join(tmpdir(), 'np-links-'));
  const config = await sampleConfig(root);
  config.checkLinks = { ...config.checkLinks, timeoutMs: 300, retries: 1, maxRetryAfterMs: 2_000, perHostIntervalMs: 150, concurrency: 4 };
  // The registry's merchant lives on the loopback server (schema checks are for user config; this is a test double of a registry entry).
  config.affiliates = [
    {
      id: 'shop',
      name: 'Loopback Shop',
      domains: ['127.0.0.1'],
      url: `${base}/aff-good?ref=np`,
      trackingParams: ['ref'],
      keywords: [],
      cloak: false,
      autoLink: { keywords: [], maxPerArticle: 2 },
    },
  ];
  await mkdir(join(root, 'content/articles'), { recursive: true });
  const article = `---
title: Links of every kind for the checker
description: An article whose links cover every verdict the link checker can give, for the test.
publishedAt: 2026-10-30T09:00:00Z
generator: human
sources:
  - title: A source page
    url: ${base}/source
---

## Links

[ok](${base}/ok) [head](${base}/head-405) [gone](${base}/gone)
[wall](${base}/wall) [flaky](${base}/flaky) [slow](${base}/slow-down)
[hang](${base}/hang) [loop](${base}/loop) [local](/about/)

[good](${base}/aff-good?ref=np) [strip](${base}/aff-strip?ref=np) [off](${base}/aff-off?ref=np)
`;
  await writeFile(join(root, 'content/articles/links.md'), article);
  await writeFile(
    join(root, 'content/articles/held.md'),
    article.replace('generator: human', 'generator: human\ndraft: true').replace(/\]\([^)]*\)/g, `](${base}/draft-only)`),
  );
  // A built site with one good and one broken internal link.
  await mkdir(join(root, 'dist/about'), { recursive: true });
  await writeFile(join(root, 'dist/index.html'), '<a href="/about/">About</a>\n<a href="/missing/">Missing</a>\n<link href="/style.css" rel="stylesheet"><a href="https://x.example/">x</a>');
  await writeFile(join(root, 'dist/about/index.html'), '<a href="../../">Home</a><img src="/style.css"><a href="{{unsubscribe_url}}">merge tag, filled in by the email service</a>');
  await writeFile(join(root, 'dist/style.css'), 'body{}');
  return { root, config };
}

describe('check-links', () => {
  it('gives ok / broken / unknown verdicts, follows affiliate redirects and checks dist/', async () => {
    const { root, config } = await project();
    try {
      log.length = 0;
      hits.clear();
      const result = await checkLinks(contextFor(config), await readArchive(config.resolved.articles));
      const verdict = (path: string) => result.details.external.find((link) => new URL(link.url).pathname === path)?.verdict;
      expect(verdict('/ok')).toBe('ok');
      expect(verdict('/source')).toBe('ok');
      expect(verdict('/head-405')).toBe('ok');
      expect(verdict('/gone')).toBe('broken');
      expect(verdict('/loop')).toBe('broken');
      // Bot walls, long rate limits and silence are "unknown", never "broken".
      expect(verdict('/wall')).toBe('unknown');
      expect(verdict('/slow-down')).toBe('unknown');
      expect(verdict('/hang')).toBe('unknown');
      // 503 with retry-after: 1 → waited, retried, fine.
      expect(verdict('/flaky')).toBe('ok');

      // HEAD first, then GET where HEAD is not supported.
      expect(log.filter((entry) => entry.path === '/head-405').map((entry) => entry.method)).toEqual(['HEAD', 'GET']);
      expect(log.filter((entry) => entry.path === '/ok').map((entry) => entry.method)).toEqual(['HEAD']);
      // 503 with retry-after: the same request again, once, and it was answered.
      expect(log.filter((entry) => entry.path === '/flaky').map((entry) => [entry.method, entry.status])).toEqual([['HEAD', 503], ['HEAD', 200]]);
      // A retry-after beyond maxRetryAfterMs is not waited for: one request per method.
      expect(hits.get('/slow-down')).toBeLessThanOrEqual(2);
      // Drafts are not checked.
      expect(hits.get('/draft-only')).toBeUndefined();
      // Per-host throttle: with four checks allowed at once, requests still reach a host one after
      // another (a hanging request aside; one more allowed for a busy machine), never four at a
      // time as an unthrottled client sends them.
      expect(Math.max(...log.map((entry) => entry.alsoOpen))).toBeLessThanOrEqual(1);

      const codes = (code: string) => result.findings.filter((finding) => finding.code === code);
      expect(codes('NP5007').map((finding) => finding.subject).sort()).toEqual([`${base}/gone`, `${base}/loop`]);
      expect(codes('NP5007')[0]).toMatchObject({ file: 'content/articles/links.md', severity: 'error' });
      expect(codes('NP5007').find((finding) => finding.subject === `${base}/gone`)).toMatchObject({ line: 13 });
      expect(codes('NP5008').map((finding) => finding.severity)).toEqual(['warning', 'warning', 'warning']);
      // Affiliate links: the good one lands on the merchant with its tag; the others do not.
      expect(codes('NP5010').map((finding) => finding.subject)).toEqual([`${base}/aff-strip?ref=np`]);
      expect(codes('NP5009').map((finding) => finding.subject)).toEqual([`${base}/aff-off?ref=np`]);
      expect(result.findings.some((finding) => finding.subject === `${base}/aff-good?ref=np`)).toBe(false);
      // Internal links of dist/.
      expect(codes('NP5011')).toHaveLength(1);
      expect(codes('NP5011')[0]).toMatchObject({ file: 'dist/index.html', line: 2 });
      expect(result.counts).toMatchObject({ internalLinks: 5, internalBroken: 1 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 30_000);

  it('caches definite verdicts for the TTL and rechecks unknown ones', async () => {
    const { root, config } = await project();
    try {
      await checkLinks(contextFor(config), await readArchive(config.resolved.articles));
      const cache = JSON.parse(await readFile(join(root, '.nichepress/link-check-cache.json'), 'utf8')) as Record<string, { verdict: string }>;
      expect(cache[`${base}/ok`]?.verdict).toBe('ok');
      expect(cache[`${base}/gone`]?.verdict).toBe('broken');
      expect(cache[`${base}/wall`]).toBeUndefined();

      hits.clear();
      const again = await checkLinks(contextFor(config), await readArchive(config.resolved.articles));
      expect(hits.get('/ok')).toBeUndefined();
      expect(hits.get('/gone')).toBeUndefined();
      expect(hits.get('/wall')).toBeGreaterThan(0);
      expect(again.counts.cached).toBeGreaterThan(0);

      hits.clear();
      const later = new Date(config.clock!.getTime() + (config.checkLinks.cacheTtlHours + 1) * 3_600_000);
      await checkLinks(contextFor(config, { now: later }), await readArchive(config.resolved.articles));
      expect(hits.get('/ok')).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 30_000);

  it('checks only the built site with --offline', async () => {
    const { root, config } = await project();
    try {
      hits.clear();
      const result = await checkLinks(contextFor(config, { offline: true }), await readArchive(config.resolved.articles));
      expect(hits.size).toBe(0);
      expect(result.findings.map((finding) => finding.code).sort()).toEqual(['NP5006', 'NP5011']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('checks the articles of the archive it is handed, not the folder on disk', async () => {
    const { root, config } = await project();
    try {
      const onDisk = await readArchive(config.resolved.articles);
      // The archive as a run holds it after its write step: a file written into the archive value
      // only. And a file on disk the archive was read without: not the run's articles.
      const folder = config.resolved.articles;
      const added = archiveFile(folder, join(folder, 'added.md'), `---\ntitle: Added in the run\ngenerator: human\n---\n\n[kept](${base}/ok?from=archive)\n`);
      await writeFile(join(folder, 'late.md'), `---\ntitle: Written after the run read its archive\n---\n\n[late](${base}/ok?from=disk)\n`);
      hits.clear();
      const result = await checkLinks(contextFor(config), withFile(onDisk, added));
      const urls = result.details.external.map((link) => link.url);
      expect(urls).toContain(`${base}/ok?from=archive`);
      expect(urls).not.toContain(`${base}/ok?from=disk`);
      expect(result.details.external.find((link) => link.url === `${base}/ok?from=archive`)).toMatchObject({ file: 'content/articles/added.md', line: 6, verdict: 'ok' });
      // The drafts of the archive stay unchecked.
      expect(hits.get('/draft-only')).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 30_000);

  it('reads retry-after as seconds or an HTTP date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it('runs as `nichepress check-links` and reports broken internal links with exit 1', async () => {
    const root = await copySampleNiche();
    try {
      await mkdir(join(root, 'dist'), { recursive: true });
      await writeFile(join(root, 'dist/index.html'), '<a href="/nowhere/">x</a>');
      const result = await runCli(['check-links', '--offline', '--json'], { cwd: root });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { stages: Array<{ stage: string; findings: Array<{ code: string; file?: string }> }> };
      expect(report.stages[0]!.stage).toBe('check-links');
      expect(report.stages[0]!.findings.find((finding) => finding.code === 'NP5011')).toMatchObject({ file: 'dist/index.html' });
      const help = await runCli(['check-links', '--help'], { cwd: root });
      expect(help.stdout).toContain('bot walls');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
