import { describe, expect, it } from 'vitest';
import { extractiveIntro } from '../../../pipeline/newsletter/extractive-intro.ts';
import { checkIntro } from '../../../pipeline/newsletter/intro-checks.ts';
import { reasonInIssue } from '../../../pipeline/newsletter/issue-reasons.ts';
import { rankForIssue } from '../../../pipeline/newsletter/issue-subject.ts';
import type { ArticleFrontmatterInput } from '../../../pipeline/schema/article.ts';
import { articlesOf, newsletterNiche } from '../../helpers/newsletter-niche.ts';

/** Articles as the pipeline loads them (real files), in issue order. */
async function issueOf(entries: Array<[slug: string, overrides: Partial<ArticleFrontmatterInput>]>) {
  const niche = await newsletterNiche();
  for (const [slug, overrides] of entries) await niche.addArticle(slug, overrides);
  return { niche, articles: rankForIssue(await articlesOf(niche.context)) };
}

/** A drafted article as the extractive digest writes it: a trend topic and quoted, attributed takeaways. */
const digest = (label: string, score: number, takeaways: string[], publishers: string[]): Partial<ArticleFrontmatterInput> => ({
  title: `${label}: what the sources say`,
  description: `What ${publishers.join(', ')} report on ${label.toLowerCase()}: quoted, attributed and linked.`,
  topic: { key: label.toLowerCase(), label, score },
  keyTakeaways: takeaways,
  sources: publishers.map((publisher, index) => ({ title: `Report ${index + 1}`, url: `https://${publisher.toLowerCase().replace(/\s+/g, '')}.example/${index}`, publisher })),
  generator: 'extractive',
});

describe('extractive intro', () => {
  it('says what is in the issue, then why it matters in the lead article\'s own words, with one full stop each', async () => {
    const { articles } = await issueOf([
      ['blob-fees', digest('Blob fees', 5.6, ['Layer Two Digest: “Blob fees rose about tenfold on Saturday.” [1]', 'DeFi Ledger: “Fees stayed high.” [2]'], ['Layer Two Digest', 'DeFi Ledger'])],
      ['exit-queue', digest('Validator exit queue', 7.1, ['DeFi Ledger: “Custodians ask clients to file exit requests by mid-November.” [1]'], ['DeFi Ledger', 'Staking Notes'])],
    ]);
    expect(extractiveIntro(articles)).toBe(
      'Two articles this time, on topics rising in the news the site follows: validator exit queue and blob fees. ' +
        'On validator exit queue, DeFi Ledger reports: “Custodians ask clients to file exit requests by mid-November.” ' +
        'On blob fees, Layer Two Digest reports: “Blob fees rose about tenfold on Saturday.”',
    );
  });

  it('names hand-written articles by their title and takes a plain takeaway as it is, with no trend claim', async () => {
    const { articles } = await issueOf([
      ['fee-guide', { title: 'How staking fees are charged', publishedAt: '2026-10-31T07:00:00Z', keyTakeaways: ['Fees come out of rewards, not principal [1]'] }],
      ['wallet-guide', { title: 'Choosing a hardware wallet', publishedAt: '2026-10-30T07:00:00Z', keyTakeaways: [] }],
    ]);
    const intro = extractiveIntro(articles);
    expect(intro).toBe(
      'Two articles this time: “How staking fees are charged” and “Choosing a hardware wallet”. Fees come out of rewards, not principal. ' +
        'On “Choosing a hardware wallet”: What recent reporting says about wallet guide, with the risks the sources raise first.',
    );
    expect(intro).not.toMatch(/rising|\[\d\]/);
  });

  it('says a takeaway two articles share once', async () => {
    const { articles } = await issueOf([
      ['first-note', { title: 'The first research note', publishedAt: '2026-10-31T07:00:00Z' }],
      ['second-note', { title: 'The second research note', publishedAt: '2026-10-30T07:00:00Z' }],
    ]);
    expect(extractiveIntro(articles)).toBe('Two articles this time: “The first research note” and “The second research note”. Rewards are variable and can fall to zero.');
  });

  it('keeps a topic capitalised that the article never writes in lower case, and lowers one it does', async () => {
    const { articles } = await issueOf([
      ['ethereum-staking', { ...digest('Ethereum staking', 3, ['Rewards are variable. [1]'], ['Staking Notes']), title: 'Ethereum staking after the upgrade', description: 'What Staking Notes reports on Ethereum staking since the upgrade, quoted and linked.' }],
    ]);
    expect(extractiveIntro(articles)).toBe('One article this time, on Ethereum staking, a topic rising in the news the site follows. Rewards are variable.');
    const { articles: lowered } = await issueOf([['blob-fees', digest('Blob fees', 3, ['Why blob fees rose. [1]'], ['DeFi Ledger'])]]);
    expect(extractiveIntro(lowered)).toMatch(/^One article this time, on blob fees,/);
  });

  it('names four subjects of a long issue and counts the rest; a second takeaway only when it fits', async () => {
    const long = `DeFi Ledger: “${'A long quoted sentence about withdrawals and their delays '.repeat(4).trim()}.” [1]`;
    const { articles } = await issueOf(
      ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((name, index) => [name, digest(`Topic ${name}`, 10 - index, [long], ['DeFi Ledger', 'Yield Watch'])] as [string, Partial<ArticleFrontmatterInput>]),
    );
    const intro = extractiveIntro(articles);
    expect(intro).toMatch(/^Six articles this time, on topics rising in the news the site follows: topic alpha, topic bravo, topic charlie, topic delta and 2 more\. On topic alpha, DeFi Ledger reports: “/);
    expect(intro.match(/reports:/g)).toHaveLength(1);
    expect(intro.length).toBeLessThanOrEqual(700);
  });

  it('passes the checks a model\'s intro must pass, for the sample niche\'s kind of issue', async () => {
    const { niche, articles } = await issueOf([
      ['blob-fees', digest('Blob fees', 5.6, ['Layer Two Digest: “Blob fees rose about tenfold on Saturday as Skylark’s token claim posted data.” [3]'], ['Layer Two Digest', 'DeFi Ledger'])],
      ['lending-rate-caps', digest('Lending rate caps', 6.4, ['DeFi Ledger: “Fernway token holders voted 71% in favour of lending rate caps that limit the variable borrow rate to 18% a year.” [1]'], ['DeFi Ledger', 'Staking Notes'])],
      ['plain-note', { publishedAt: '2026-10-31T07:00:00Z' }],
    ]);
    const checked = checkIntro(extractiveIntro(articles), articles, niche.config);
    expect(checked).toEqual({ ok: true, text: extractiveIntro(articles) });
  });
});

describe('why an article is in the issue', () => {
  it('is its trend for a drafted article (the lead: the highest-scoring topic), and the last issue for a hand-written one', async () => {
    const { articles } = await issueOf([
      ['blob-fees', digest('Blob fees', 5.6, ['x [1]'], ['Layer Two Digest', 'DeFi Ledger'])],
      ['exit-queue', digest('Validator exit queue', 7.1, ['y [1]'], ['DeFi Ledger', 'Staking Notes', 'Yield Watch', 'Chain Wire'])],
      ['plain-note', { sources: [{ title: 'A page', url: 'https://www.example.org/page' }] }],
    ]);
    expect(articles.map((_, position) => reasonInIssue(articles, position))).toEqual([
      "It leads the issue: its topic, validator exit queue, scored highest of this issue's topics rising in the news the site follows, reported by DeFi Ledger, Staking Notes, Yield Watch and 1 more.",
      'Its topic, blob fees, rose in the news the site follows, reported by Layer Two Digest and DeFi Ledger.',
      "Written by the site's editors and published since the last issue.",
    ]);
  });
});
