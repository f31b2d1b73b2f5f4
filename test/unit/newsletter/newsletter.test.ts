import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntroWriter } from '../../../pipeline/newsletter/newsletter-intro.ts';
import { loadIssues } from '../../../pipeline/newsletter/issue-source.ts';
import { composeIssue } from '../../../pipeline/newsletter/newsletter.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { articlesOf, newsletterNiche } from '../../helpers/newsletter-niche.ts';

const codes = (findings: { code?: string }[]) => findings.map((finding) => finding.code);

describe('composeIssue', () => {
  it('makes no issue and says so when nothing is published', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('future-note', { publishedAt: '2026-12-01T00:00:00Z' });
    await niche.addArticle('draft-note', { draft: true });
    const state = emptyState();
    const result = await composeIssue(niche.context, state, await articlesOf(niche.context), undefined);
    expect(result.created).toBeUndefined();
    expect(codes(result.findings)).toEqual(['NP8001']);
    expect(result.findings[0]!.severity).toBe('info');
    expect((await loadIssues(niche.config)).issues).toEqual([]);
    expect(state.newsletter.lastIssue).toBe(0);
  });

  it('numbers and dates issues, records the last one, and never repeats an article', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('first-note', { publishedAt: '2026-10-20T07:00:00Z' });
    await niche.addArticle('second-note', { publishedAt: '2026-10-25T07:00:00Z' });
    const state = emptyState();

    const first = await composeIssue(niche.context, state, await articlesOf(niche.context), undefined);
    expect(first.created).toBe(1);
    expect(state.newsletter.lastIssue).toBe(1);
    const source = await readFile(join(niche.root, 'content/newsletter/0001.md'), 'utf8');
    expect(source).toMatch(/^issue: 1$/m);
    expect(source).toMatch(/^date: 2026-11-01T09:00:00.000Z$/m);
    // Newest first in the issue.
    expect((await loadIssues(niche.config)).issues[0]!.articles).toEqual(['second-note', 'first-note']);

    const rerun = await composeIssue(niche.context, state, await articlesOf(niche.context), undefined);
    expect(rerun.created).toBeUndefined();
    expect(codes(rerun.findings)).toEqual(['NP8001']);

    await niche.addArticle('third-note', { publishedAt: '2026-11-02T07:00:00Z' });
    const later = { ...niche.context, now: new Date('2026-11-08T09:00:00Z') };
    const second = await composeIssue(later, state, await articlesOf(later), undefined);
    expect(second.created).toBe(2);
    const issues = (await loadIssues(niche.config)).issues;
    expect(issues.map((issue) => [issue.issue, issue.articles])).toEqual([
      [1, ['second-note', 'first-note']],
      [2, ['third-note']],
    ]);
    expect(issues[1]!.date.toISOString()).toBe('2026-11-08T09:00:00.000Z');
  });

  it('continues numbering from the state even when issue files were removed', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('lone-note');
    const state = emptyState();
    state.newsletter.lastIssue = 41;
    expect((await composeIssue(niche.context, state, await articlesOf(niche.context), undefined)).created).toBe(42);
    expect(state.newsletter.lastIssue).toBe(42);
  });

  it('caps an issue at newsletter.maxArticles and carries the rest to the next issue', async () => {
    const niche = await newsletterNiche({ yamlSuffix: '' });
    const config = { ...niche.config, newsletter: { ...niche.config.newsletter, maxArticles: 2 } };
    const context = { ...niche.context, config };
    await niche.addArticle('note-a', { publishedAt: '2026-10-28T07:00:00Z' });
    await niche.addArticle('note-b', { publishedAt: '2026-10-29T07:00:00Z' });
    await niche.addArticle('note-c', { publishedAt: '2026-10-30T07:00:00Z' });
    const state = emptyState();
    await composeIssue(context, state, await articlesOf(context), undefined);
    // Before the first issue: the newest ones.
    expect((await loadIssues(config)).issues[0]!.articles).toEqual(['note-c', 'note-b']);

    await niche.addArticle('note-d', { publishedAt: '2026-11-03T07:00:00Z' });
    await niche.addArticle('note-e', { publishedAt: '2026-11-04T07:00:00Z' });
    await niche.addArticle('note-f', { publishedAt: '2026-11-05T07:00:00Z' });
    await composeIssue({ ...context, now: new Date('2026-11-06T00:00:00Z') }, state, await articlesOf(context), undefined);
    await composeIssue({ ...context, now: new Date('2026-11-07T00:00:00Z') }, state, await articlesOf(context), undefined);
    const issues = (await loadIssues(config)).issues;
    // The longest-waiting go first, so none is skipped; note-a predates the newsletter.
    expect(issues.map((issue) => issue.articles)).toEqual([['note-c', 'note-b'], ['note-e', 'note-d'], ['note-f']]);
  });

  it('writes nothing in a dry run', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('dry-note');
    const state = emptyState();
    const result = await composeIssue({ ...niche.context, dryRun: true }, state, await articlesOf(niche.context), undefined);
    expect(result.created).toBe(1);
    expect((await loadIssues(niche.config)).issues).toEqual([]);
    expect(state.newsletter.lastIssue).toBe(0);
  });

  it('makes no new issue while an issue source is damaged, so nothing is sent twice', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('some-note');
    const state = emptyState();
    await composeIssue(niche.context, state, await articlesOf(niche.context), undefined);
    await writeFile(join(niche.root, 'content/newsletter/0001.md'), '---\nissue: one\n---\n');
    await niche.addArticle('newer-note', { publishedAt: '2026-11-01T08:00:00Z' });
    const result = await composeIssue(niche.context, state, await articlesOf(niche.context), undefined);
    expect(result.created).toBeUndefined();
    expect(codes(result.findings)).toEqual(['NP8007']);
    expect(result.findings[0]!.file).toBe('content/newsletter/0001.md');
  });

  it('records who wrote the intro, and falls back to the extractive intro when the model fails', async () => {
    const niche = await newsletterNiche();
    await niche.addArticle('intro-note');
    const failing: IntroWriter = {
      name: 'openai',
      write: async () => {
        throw new Error('HTTP 500');
      },
    };
    const result = await composeIssue(niche.context, emptyState(), await articlesOf(niche.context), failing);
    expect(codes(result.findings)).toEqual(['NP8006']);
    expect(result.findings[0]!.severity).toBe('warning');
    const [issue] = (await loadIssues(niche.config)).issues;
    expect(issue!.introBy).toEqual({ model: 'extractive' });
    expect(issue!.intro).toContain('A research note about intro note');
  });
});
