import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../../pipeline/draft/openai-provider.ts';
import { withResearch } from '../../../pipeline/draft/researched-provider.ts';
import { createResearcher, type TopicResearch } from '../../../pipeline/research/research-sources.ts';
import type { FeedItem, Topic } from '../../../pipeline/schema/feed-item.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { articleFor, briefFor, viewOf } from '../../helpers/fake-model.ts';
import { startFakeOpenAIServer, stepOf, type FakeOpenAIServer } from '../../helpers/fake-openai-server.ts';

// Grounding through the real openai client against the loopback server: a model that invents a
// figure and a name (with a citation) gets neither published.

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PAGE = [
  'Harbor Lending said on 27 October 2026 that it will lower its reserve factor from 12 percent to 8 percent on 3 November, after a vote that passed with 61.8 percent of the votes cast.',
  'The treasury held $2.4 billion in deposits at the end of September, according to the quarterly report.',
  'Priya Natarajan, who chairs the risk committee, warned that a smaller reserve leaves less money to cover bad debt.',
];

const items: FeedItem[] = [1, 2].map((n) => ({
  id: String(n),
  title: n === 1 ? 'Harbor Lending lowers its reserve factor' : 'Reserve factor vote passes',
  url: `https://news${n}.example/reserve-factor`,
  summary: n === 1 ? 'Harbor Lending will lower its reserve factor.' : 'The reserve factor vote passed with 61.8 percent of the votes cast.',
  publishedAt: '2026-10-27T10:00:00Z',
  feed: `feed ${n}`,
  publisher: n === 1 ? 'The Ledger Post' : 'Rate Desk',
}));
const topic: Topic = { key: 'reserve factor', label: 'reserve factor', score: 1, parts: { recent: 3, before: 0, sources: 2, fit: 0 }, affiliates: [], items };
const research: TopicResearch = {
  sources: [
    { n: 1, item: items[0]!, from: 'page', paragraphs: PAGE },
    { n: 2, item: items[1]!, from: 'feed', reason: 'paywall', paragraphs: [items[1]!.summary] },
  ],
  passages: [...PAGE.map((text, index) => ({ source: 1, index, text })), { source: 2, index: 0, text: items[1]!.summary }],
};

const INVENTED_FACT = 'Analyst Jordan Blake of Meridian Research expects deposits to grow 14 percent.';
const INVENTED_SENTENCE = 'Jordan Blake of Meridian Research puts the treasury at $3.1 billion [1].';
const SUPPORTED_SENTENCE = 'The treasury held $2.4 billion in deposits at the end of September [1].';
const REWRITTEN_SENTENCE = 'The vote passed with 61.8 % of votes cast, and the change takes effect on Nov. 3 [1][2].';

describe('grounding an LLM draft in its sources', () => {
  it('drops the invented figure and name from the brief and the article, keeps the supported sentences, and counts both', async () => {
    server = await startFakeOpenAIServer({
      respond: (body) => {
        const view = viewOf(body);
        if (stepOf(body) === 'brief') {
          const brief = briefFor(view) as { keyFacts: { fact: string; source: number }[] };
          brief.keyFacts.push({ fact: INVENTED_FACT, source: 1 }, { fact: 'The reserve factor falls to 8 percent on 3 November.', source: 1 });
          return { json: brief };
        }
        return { json: articleFor(view, { markdown: `\n\n${SUPPORTED_SENTENCE} ${INVENTED_SENTENCE}\n\n${REWRITTEN_SENTENCE}` }) };
      },
    });
    const config = await sampleConfig();
    const provider = withResearch(
      createOpenAIProvider({
        baseURL: server.url,
        model: 'inventive-model',
        timeoutMs: 5000,
        maxRetries: 0,
        promptFile: join(PACKAGE_ROOT, 'prompts/article.md'),
        briefPromptFile: join(PACKAGE_ROOT, 'prompts/brief.md'),
        logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
      }),
      createResearcher(contextFor(config)),
      config,
    );
    const result = await provider.draft({ topic, config, research });

    // The page's passages went to the model, numbered by source.
    const briefRequest = server.requests.find((request) => stepOf(request.body) === 'brief')!;
    expect(briefRequest.body.messages[1].content).toContain('$2.4 billion in deposits');
    // The invented fact never reached the article step.
    const articleRequest = server.requests.find((request) => stepOf(request.body) === 'article')!;
    expect(articleRequest.body.messages[1].content).not.toContain('Jordan Blake');
    expect(articleRequest.body.messages[1].content).toContain('falls to 8 percent on 3 November');

    const body = result.output.sections.map((section) => section.markdown).join('\n');
    expect(body).not.toContain('Jordan Blake');
    expect(body).not.toContain('3.1 billion');
    expect(body).toContain(SUPPORTED_SENTENCE);
    expect(body).toContain(REWRITTEN_SENTENCE);

    expect(result.research).toMatchObject({ pagesRead: 1, feedOnly: 1, claimsDropped: 2 });
    expect(result.research!.claimsChecked).toBeGreaterThanOrEqual(8);
    const findings = result.findings!.filter((finding) => finding.rule === 'citations/unsupported-claim');
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/keyFacts\[\d\].*name "Analyst Jordan Blake"/),
      expect.stringMatching(/sections\[1\]\.markdown.*figure "\$3\.1 billion".*name "Jordan Blake"/),
    ]);
    // The article's drop points at its line in the draft; the brief's has no line (it is no file).
    expect(findings[1]!.line).toBeGreaterThan(10);
    expect(findings[0]!.line).toBeUndefined();
    // The feed-only source is reported with its reason.
    expect(result.findings!.find((finding) => finding.code === 'NP9001')?.message).toContain('paywall');
  });

  it('replaces a title that states what no source does by one that claims nothing, and says so at its line', async () => {
    server = await startFakeOpenAIServer({
      respond: (body) => {
        const view = viewOf(body);
        if (stepOf(body) === 'brief') return { json: briefFor(view) };
        return { json: articleFor(view, { title: 'Reserve factor: Meridian Research sees 14 percent growth' }) };
      },
    });
    const config = await sampleConfig();
    const provider = withResearch(
      createOpenAIProvider({ baseURL: server.url, model: 'm', timeoutMs: 5000, maxRetries: 0, promptFile: join(PACKAGE_ROOT, 'prompts/article.md'), briefPromptFile: join(PACKAGE_ROOT, 'prompts/brief.md') }),
      createResearcher(contextFor(config)),
      config,
    );
    const result = await provider.draft({ topic, config, research });
    expect(result.output.title).toBe('Reserve factor: what the sources say');
    const finding = result.findings!.find((entry) => entry.rule === 'citations/unsupported-claim')!;
    expect(finding.message).toMatch(/title "Reserve factor: Meridian Research sees 14 percent growth".*figure "14 percent" not in its sources, name "Meridian Research"/);
    // At the title's line of the draft as the model wrote it (line 2, under the opening ---).
    expect(finding).toMatchObject({ file: 'reserve-factor.md (draft)', line: 2 });
  });
});
