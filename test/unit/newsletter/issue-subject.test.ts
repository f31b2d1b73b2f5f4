import { describe, expect, it } from 'vitest';
import type { LoadedArticle } from '../../../pipeline/archive/archive.ts';
import { issueSubject, rankForIssue } from '../../../pipeline/newsletter/issue-subject.ts';

function article(slug: string, day: number, score?: number): LoadedArticle {
  return {
    slug,
    file: `${slug}.md`,
    body: '',
    frontmatter: { title: slug, publishedAt: new Date(Date.UTC(2026, 9, day)), ...(score === undefined ? {} : { topic: { key: slug, score } }) },
  } as unknown as LoadedArticle;
}

describe('issue order and subject', () => {
  it('leads with the highest-scored article; unscored ones follow, newest first', () => {
    const ranked = rankForIssue([article('new-low', 30, 1.2), article('unscored-new', 31), article('old-high', 20, 7.9), article('unscored-old', 10)]);
    expect(ranked.map((entry) => entry.slug)).toEqual(['old-high', 'new-low', 'unscored-new', 'unscored-old']);
  });

  it('is the top title with the count of the others, never with doubled punctuation', () => {
    expect(issueSubject(['Blob fees: what recent reporting says', 'Other', 'Third'])).toBe('Blob fees: what recent reporting says, and 2 more');
    expect(issueSubject(['Validator exits.'])).toBe('Validator exits');
    expect(issueSubject(['Rates : why ,, now?!', 'B'])).toBe('Rates: why, now?, and 1 more');
  });

  it('shortens a long title at a clause, else at a word, to fit an inbox line', () => {
    const long = 'Liquid restaking tokens: what the sources say about withdrawal queues, slashing and the points programs behind them';
    const subject = issueSubject([long, 'B']);
    expect(subject).toBe('Liquid restaking tokens: what the sources say about withdrawal queues, and 1 more');
    expect(subject.length).toBeLessThanOrEqual(90);
    const words = issueSubject(['word '.repeat(40).trim()]);
    expect(words.endsWith('word…')).toBe(true);
    expect(words.length).toBeLessThanOrEqual(90);
  });
});
