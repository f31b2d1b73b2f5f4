import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, runCli, type CliResult } from '../helpers/cli.ts';

interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: { severity: string; code?: string; message: string }[] }[];
}

const stage = (report: Report, name: string) => report.stages.find((entry) => entry.stage === name)!;

async function articleFiles(root: string): Promise<Map<string, string>> {
  const folder = join(root, 'content/articles');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as const)));
}

/**
 * The whole pipeline, as a user runs it, on a copy of the sample niche in a temp folder:
 * real feeds from disk, extractive drafting, validation, a real Astro build, a newsletter issue.
 */
// Whole CLI runs: seconds when the machine is idle, many more on a loaded CI runner (not a timed assertion).
describe('nichepress run on the sample niche (offline, end to end)', { timeout: 60_000 }, () => {
  let root: string;
  let first: CliResult;
  let firstReport: Report;
  let articles: Map<string, string>;

  beforeAll(async () => {
    root = await copySampleNiche();
    first = await runCli(['run', '--offline', '--json'], { cwd: root, timeoutMs: 300_000 });
    firstReport = JSON.parse(first.stdout) as Report;
    articles = await articleFiles(root);
  }, 320_000);

  it('exits 0 with a clean report', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(firstReport.exitCode).toBe(0);
    expect(firstReport.stages.map((entry) => entry.stage)).toEqual(['ingest', 'trends', 'draft', 'validate', 'newsletter', 'build', 'email', 'social']);
    expect(firstReport.stages.flatMap((entry) => entry.findings).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('drafts at least five sourced, extractive articles that pass validation', () => {
    expect(articles.size).toBeGreaterThanOrEqual(5);
    expect(stage(firstReport, 'validate').counts).toMatchObject({ files: articles.size, errors: 0 });
    for (const [name, text] of articles) {
      expect(text, name).toMatch(/^generator: extractive$/m);
      expect(text, name).toMatch(/^draft: false$/m);
      // Every article cites its sources, and every citation links to one of them.
      const sources = [...text.matchAll(/^ {4}url: (\S+)$/gm)].map((match) => match[1]);
      expect(sources.length, name).toBeGreaterThanOrEqual(2);
      for (const match of text.matchAll(/\[\[(\d+)\]\]\(([^)]+)\)/g)) expect(sources[Number(match[1]) - 1]).toBe(match[2]);
    }
  });

  it('builds a site whose index links to every article, each with its page', async () => {
    const index = await readFile(join(root, 'dist/index.html'), 'utf8');
    for (const name of articles.keys()) {
      const slug = name.replace(/\.md$/, '');
      expect(index, slug).toContain(`href="/articles/${slug}/"`);
      const page = await readFile(join(root, 'dist/articles', slug, 'index.html'), 'utf8');
      expect(page).toContain('<h1');
    }
  });

  it('has a trends page for the publisher, kept out of search engines, explaining every pick', async () => {
    const page = await readFile(join(root, 'dist/trends/index.html'), 'utf8');
    expect(page).toContain('<meta name="robots" content="noindex">');
    for (const name of articles.keys()) expect(page).toContain(`href="/articles/${name.replace(/\.md$/, '')}/"`);
    expect(page.match(/<svg class="trend-chart"/g)?.length).toBe(articles.size);
    expect(page).toMatch(/<th scope="col"[^>]*>velocity<\/th>/);
    expect(await readFile(join(root, 'dist/index.html'), 'utf8')).not.toContain('/trends/');
  });

  it('makes a newsletter issue with every new article, in HTML and plain text', async () => {
    const folder = join(root, '.nichepress/outbox/newsletter/0001');
    const html = await readFile(join(folder, 'email.html'), 'utf8');
    const text = await readFile(join(folder, 'email.txt'), 'utf8');
    for (const name of articles.keys()) {
      const slug = name.replace(/\.md$/, '');
      expect(html).toContain(`/articles/${slug}/?utm_source=newsletter`);
      expect(text).toContain(`https://yieldfieldnotes.example/articles/${slug}/?utm_source=newsletter&utm_medium=email&utm_campaign=issue-1`);
    }
    expect(existsSync(join(root, 'content/newsletter/0001.md'))).toBe(true);
    expect(existsSync(join(folder, 'issue.md'))).toBe(true);
    expect(await readFile(join(folder, 'issue.eml'), 'utf8')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  });

  it('lists the issue in the site archive and its RSS feed, built in the same run', async () => {
    const archive = await readFile(join(root, 'dist/newsletter/index.html'), 'utf8');
    expect(archive).toContain('href="/newsletter/0001/"');
    const page = await readFile(join(root, 'dist/newsletter/0001/index.html'), 'utf8');
    for (const name of articles.keys()) expect(page).toContain(`href="/articles/${name.replace(/\.md$/, '')}/"`);
    const rss = await readFile(join(root, 'dist/newsletter/rss.xml'), 'utf8');
    expect(rss).toContain('<link>https://yieldfieldnotes.example/newsletter/0001/</link>');
  });

  it('writes social posts for every new article, recorded and exported', async () => {
    const batch = JSON.parse(await readFile(join(root, 'content/social/0001.json'), 'utf8')) as { posts: { article: string; network: string }[] };
    for (const name of articles.keys()) {
      const slug = name.replace(/\.md$/, '');
      expect(batch.posts.filter((post) => post.article === slug).map((post) => post.network).sort(), slug).toEqual(['bluesky', 'linkedin', 'mastodon', 'x']);
    }
    expect(existsSync(join(root, '.nichepress/outbox/social/0001.json'))).toBe(true);
    expect(existsSync(join(root, '.nichepress/outbox/social/0001.md'))).toBe(true);
  });

  it('saves the run report', async () => {
    const saved = JSON.parse(await readFile(join(root, '.nichepress/reports/last-run.json'), 'utf8')) as Report;
    expect(saved.stages.map((entry) => entry.stage)).toEqual(firstReport.stages.map((entry) => entry.stage));
  });

  it('validate --json on the produced content prints a JSON report and exits 0', async () => {
    const result = await runCli(['validate', '--json'], { cwd: root });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Report).stages[0]!.counts).toMatchObject({ files: articles.size, errors: 0 });
  });

  it('a second run drafts nothing, adds no article and makes no new issue', async () => {
    const second = await runCli(['run', '--offline', '--json'], { cwd: root, timeoutMs: 300_000 });
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as Report;
    expect(stage(report, 'ingest').counts.newItems).toBe(0);
    expect(stage(report, 'draft').counts).toMatchObject({ topics: 0, written: 0, providerCalls: 0 });
    expect(stage(report, 'newsletter').findings.map((finding) => finding.code)).toEqual(['NP8001']);
    expect(stage(report, 'social').findings.map((finding) => finding.code)).toEqual(['NP8008']);
    expect(existsSync(join(root, 'content/social/0002.json'))).toBe(false);
    expect(existsSync(join(root, '.nichepress/outbox/social/0001.json'))).toBe(true);
    expect(await articleFiles(root)).toEqual(articles);
    // The first issue is still served after the rebuild cleaned dist/.
    expect(existsSync(join(root, '.nichepress/outbox/newsletter/0001/email.html'))).toBe(true);
    expect(existsSync(join(root, '.nichepress/outbox/newsletter/0002'))).toBe(false);
  }, 320_000);

  it('is reproducible: another checkout drafts byte-identical articles, with no trace of today', async () => {
    const other = await copySampleNiche();
    expect((await runCli(['ingest', '--offline'], { cwd: other })).code).toBe(0);
    expect((await runCli(['draft', '--offline'], { cwd: other })).code).toBe(0);
    expect(await articleFiles(other)).toEqual(articles);
    const today = new Date().toISOString().slice(0, 10);
    for (const text of articles.values()) expect(text).not.toContain(today);
    expect(await readFile(join(other, 'content/state.json'), 'utf8')).not.toContain(today);
  });
});
