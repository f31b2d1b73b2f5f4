import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/ingest.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';

/** What ingest tells people: hints that fit the case, each error once, repeats summarised. */

describe('`nichepress ingest --feed` messages', () => {
  let root: string;
  beforeAll(async () => {
    root = await copySampleNiche();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives a missing file, an unsupported scheme and an unreachable URL each their own hint, and prints each error once', async () => {
    const result = await runCli(['ingest', '--feed', 'feeds/nowhere.xml', '--feed', 'ftp://ftp.example/feed.xml', '--offline', '--dry-run'], { cwd: root });
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`There is no feed file feeds/nowhere.xml (looked for ${join(root, 'feeds/nowhere.xml')}).`);
    expect(output).toContain('relative to the project root');
    expect(output).toContain('ftp://ftp.example/feed.xml uses the ftp: scheme; nichepress reads feeds over http(s) or from files.');
    expect(output).not.toContain('Check the URL in a browser');
    expect(output).not.toContain('no such file');
    // The feed list names the code; the finding says what happened and what to do — once.
    for (const message of ['There is no feed file feeds/nowhere.xml', 'uses the ftp: scheme']) {
      expect(output.split(message).length - 1, message).toBe(1);
    }
    expect(output).toMatch(/✖ feeds\/nowhere\.xml\s+failed \(NP2007\)/);
    expect(output).toMatch(/✖ ftp:\/\/ftp\.example\/feed\.xml\s+failed \(NP2008\)/);
  }, 60_000);
});

describe('a feed problem that repeats', () => {
  it('is reported in full once, then summarised with the date it started, and forgotten once solved', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-repeat-'));
    try {
      const config = await sampleConfig();
      const feeds = [{ name: 'local', url: join(folder, 'feed.xml') }];
      const state = emptyState();
      const day = (n: number) => new Date(Date.UTC(2026, 10, n, 9));

      const first = await ingest(contextFor(config, { now: day(1) }), state, feeds);
      expect(first.findings.map((finding) => [finding.code, finding.severity])).toEqual([['NP2007', 'error']]);
      const second = await ingest(contextFor(config, { now: day(2) }), state, feeds);
      const third = await ingest(contextFor(config, { now: day(3) }), state, feeds);
      for (const run of [second, third]) {
        // Still an error (the exit code does not change), said in one line.
        expect(run.findings.map((finding) => [finding.code, finding.severity])).toEqual([['NP2009', 'error']]);
        expect(run.findings[0]!.message).toMatch(/still so since 2026-11-01 — There is no feed file .* \(NP2007\)$/);
      }
      expect(state.feeds[feeds[0]!.url]?.problems).toEqual({ NP2007: day(1).toISOString() });

      // Solved: said nothing more, and forgotten, so a new problem is reported in full again.
      await writeFile(feeds[0]!.url, '<rss version="2.0"><channel><title>T</title><link>https://t.example/</link><item><title>A</title><link>https://t.example/a</link></item></channel></rss>');
      const solved = await ingest(contextFor(config, { now: day(4) }), state, feeds);
      expect(solved.findings.map((finding) => finding.code)).toEqual(['NP2010']);
      expect(state.feeds[feeds[0]!.url]).toBeUndefined();
      await writeFile(feeds[0]!.url, '<opml/>');
      const broken = await ingest(contextFor(config, { now: day(5) }), state, feeds);
      expect(broken.findings.map((finding) => finding.code)).toEqual(['NP2002']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('summarises several skipped entries as one line, and reports everything in full when only checking (--feed)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-repeat-'));
    try {
      const config = await sampleConfig();
      const feeds = [{ name: 'local', url: join(folder, 'feed.xml') }];
      await writeFile(feeds[0]!.url, '<rss version="2.0"><channel><title>T</title><link>https://t.example/</link><item><title>No address</title></item><item><title>None either</title></item><item><title>Fine</title><link>https://t.example/a</link><pubDate>Fri, 30 Oct 2026 10:00:00 GMT</pubDate></item></channel></rss>');
      const state = emptyState();
      const first = await ingest(contextFor(config), state, feeds);
      expect(first.findings.map((finding) => [finding.code, finding.severity])).toEqual([['NP2003', 'warning'], ['NP2003', 'warning']]);
      const second = await ingest(contextFor(config), state, feeds);
      expect(second.findings.map((finding) => [finding.code, finding.severity])).toEqual([['NP2009', 'warning']]);
      expect(second.findings[0]!.message).toContain('(and 1 more like it) (NP2003)');
      const check = await ingest(contextFor(config), state, feeds, { record: false });
      expect(check.findings.map((finding) => finding.code)).toEqual(['NP2003', 'NP2003']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
