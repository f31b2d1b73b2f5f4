import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../pipeline/draft/extractive-provider.ts';
import { groundArticle, groundingSources } from '../../../pipeline/draft/ground-output.ts';
import type { TopicResearch } from '../../../pipeline/research/research-sources.ts';
import type { FeedItem, Topic } from '../../../pipeline/schema/feed-item.ts';
import { sampleConfig } from '../../helpers/context.ts';

const item = (n: number, summary: string): FeedItem => ({
  id: String(n),
  title: `Harbor Lending story ${n}`,
  url: `https://news${n}.example/story`,
  summary,
  publishedAt: `2026-10-2${n}T10:00:00Z`,
  feed: `feed ${n}`,
  publisher: `Publisher ${n}`,
});

const topic = (items: FeedItem[]): Topic => ({ key: 'reserve factor', label: 'Reserve factor', score: 1, parts: { recent: 3, before: 0, sources: 3, fit: 0 }, affiliates: [], items });

const PAGE = [
  'Harbor Lending said it will lower its reserve factor from 12 percent to 8 percent on 3 November.',
  'The reserve factor is the share of interest the protocol keeps in its treasury instead of paying depositors.',
  'Priya Natarajan warned that a smaller reserve leaves less money to cover bad debt if a large borrower defaults.',
  'It cites the committee’s voluntary ceiling on new borrowing as the reason for the timing.',
  'The risk team set a cap on new borrowing and will review it after the first month.',
];

function researched(items: FeedItem[], pages: Record<number, string[]>): TopicResearch {
  const sources = items.map((entry, index) => {
    const n = index + 1;
    const page = pages[n];
    return page ? { n, item: entry, from: 'page' as const, paragraphs: page } : { n, item: entry, from: 'feed' as const, reason: 'network-error' as const, paragraphs: [entry.summary] };
  });
  return { sources, passages: sources.flatMap((source) => source.paragraphs.map((text, index) => ({ source: source.n, index, text }))) };
}

/** Every sentence of the page as a reader sees it: takeaways and body. */
function pageSentences(output: ReturnType<typeof buildDigest>): string[] {
  const text = [...output.keyTakeaways, ...output.sections.map((section) => section.markdown)].join('\n');
  return text.split(/(?<=[.!?])\s+|\n+/).map((sentence) => sentence.replace(/^[-> ]+|\[\d+\]|[“”]/g, '').trim()).filter((sentence) => sentence.length > 25);
}

describe('the extractive digest', () => {
  it('quotes the page passages as attributed quotations, each sentence once', async () => {
    const config = await sampleConfig();
    const items = [item(1, 'Feed text one, which the page supersedes entirely here.'), item(2, PAGE[0]!), item(3, 'Harbor Lending treasury outlook for the quarter is unchanged, the report says.')];
    const output = buildDigest(topic(items), config, researched(items, { 1: PAGE }));
    const body = output.sections.map((section) => section.markdown).join('\n');
    // From the page, not from the feed text it replaces.
    expect(body).not.toContain('Feed text one');
    expect(`${output.keyTakeaways.join('\n')}\n${body}`).toContain('“Harbor Lending said it will lower its reserve factor from 12 percent to 8 percent on 3 November.”');
    // The same sentence from two sources (page 1 and the feed of source 2) appears once.
    const sentences = pageSentences(output);
    for (const sentence of PAGE) {
      const clean = sentence.replace(/[“”]/g, '');
      expect(sentences.filter((candidate) => candidate.includes(clean.slice(0, 40))).length, sentence).toBeLessThanOrEqual(1);
    }
    // Source words never stand in the site's own voice: outside quotation marks only the frame.
    for (const line of body.split('\n').filter((line) => line.startsWith('> ') || line.startsWith('- '))) expect(line).toMatch(/“.+”/);
  });

  it('lists a risk only where a source states one, and grounds completely', async () => {
    const config = await sampleConfig();
    const items = [item(1, ''), item(2, 'Harbor Lending treasury outlook for the quarter is unchanged, the report says.')];
    const research = researched(items, { 1: PAGE });
    const output = buildDigest(topic(items), config, research);
    const risks = output.sections.find((section) => /risk/i.test(section.heading))!.markdown;
    expect(risks).toContain('Priya Natarajan warned that a smaller reserve leaves less money');
    expect(risks).not.toContain('voluntary ceiling');
    expect(risks).not.toContain('The risk team set a cap');
    const grounded = groundArticle(output, groundingSources(research, config.site.title), { title: 'unused title', description: 'unused description' });
    expect(grounded.dropped).toEqual([]);
    expect(grounded.output).toEqual(output);
    expect(grounded.checked).toBeGreaterThan(5);
  });

  it('says plainly when no source names a risk', async () => {
    const config = await sampleConfig();
    const items = [item(1, 'Harbor Lending published its quarterly report on the treasury and the reserve factor.'), item(2, 'The reserve factor vote passed and takes effect in November, the project said.')];
    const output = buildDigest(topic(items), config);
    const risks = output.sections.find((section) => /risk/i.test(section.heading))!.markdown;
    expect(risks).toMatch(/^None of the sources quoted here names a specific risk/);
    expect(output.sections.map((section) => section.markdown).join(' ')).not.toMatch(/decentrali[sz]ed finance|smart-contract|protocols change/i);
  });
});
