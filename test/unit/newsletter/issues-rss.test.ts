import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { renderIssuesRss } from '../../../pipeline/newsletter/issues-rss.ts';
import { sampleConfig } from '../../helpers/context.ts';

const config = await sampleConfig();

describe('the newsletter archive RSS feed', () => {
  it('lists issues newest first with absolute links, dates and escaped text, and parses as RSS', async () => {
    const xml = renderIssuesRss(
      [
        { issue: { issue: 1, date: new Date('2026-10-01T08:00:00Z'), subject: 'Issue one', articles: ['a'], intro: 'First.' }, articleTitles: ['A'] },
        { issue: { issue: 2, date: new Date('2026-10-08T08:00:00Z'), subject: 'Fees & <risks>', articles: ['b'], intro: 'Second.' }, articleTitles: ['B & C'] },
      ],
      config,
    );
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Yield Field Notes newsletter');
    expect(feed.link).toBe('https://yieldfieldnotes.example/newsletter/');
    expect(feed.items.map((item) => [item.title, item.link, item.guid, item.isoDate])).toEqual([
      ['Fees & <risks>', 'https://yieldfieldnotes.example/newsletter/0002/', 'https://yieldfieldnotes.example/newsletter/0002/', '2026-10-08T08:00:00.000Z'],
      ['Issue one', 'https://yieldfieldnotes.example/newsletter/0001/', 'https://yieldfieldnotes.example/newsletter/0001/', '2026-10-01T08:00:00.000Z'],
    ]);
    expect(feed.items[0]!.content).toContain('• B & C');
    expect(xml).toContain('<atom:link href="https://yieldfieldnotes.example/newsletter/rss.xml" rel="self"');
  });
});
