import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Topic } from '../schema/feed-item.ts';
import { articleOutputSchema, type ArticleOutput } from './article-output.ts';
import { DraftError } from './draft-error.ts';
import type { DraftProvider, DraftRequest, DraftResult } from './provider.ts';

/** Bumped when the digest's shape changes, so cached and written drafts can tell. */
export const EXTRACTIVE_VERSION = 'extractive-digest-1';

const RISK_WORDS =
  /\b(risk|risks|risky|loss|losses|exploit|hack|bug|slash\w*|depeg\w*|liquidat\w*|insolven\w*|regulat\w*|audit\w*|warn\w*|fail\w*|delay\w*|volatil\w*|penalt\w*)\b/i;

/**
 * The offline provider: a deterministic, sourced digest built only from the topic's feed items.
 * It invents nothing — every sentence is quoted or attributed to a numbered source — and it is
 * labelled `generator: extractive` so it never passes for a language model's work.
 */
export function createExtractiveProvider(): DraftProvider {
  return {
    name: 'extractive',
    model: EXTRACTIVE_VERSION,
    async draft(request: DraftRequest): Promise<DraftResult> {
      const output = buildDigest(request.topic, request.config);
      const checked = articleOutputSchema.safeParse(output);
      if (!checked.success) {
        throw new DraftError('NP4002', `the digest does not fit the article schema (${checked.error.issues[0]?.message ?? 'invalid'})`);
      }
      return { output: checked.data, model: EXTRACTIVE_VERSION };
    },
  };
}

export function buildDigest(topic: Topic, config: ResolvedConfig): ArticleOutput {
  const sources = topic.items.slice(0, 8);
  const label = topic.label;
  const publishers = unique(sources.map((item) => item.publisher));
  const dates = sources.map((item) => item.publishedAt).sort();
  const period = formatPeriod(dates[0], dates[dates.length - 1]);

  const reporting = sources.map((item, index) => {
    const summary = item.summary || item.title;
    return `**${escapeMarkdown(item.publisher)}** (${formatDate(item.publishedAt)}) — *${escapeMarkdown(item.title)}*: ${escapeMarkdown(summary)} [${index + 1}]`;
  });

  const riskSentences: string[] = [];
  sources.forEach((item, index) => {
    for (const sentence of sentencesOf(item.summary)) {
      if (RISK_WORDS.test(sentence) && riskSentences.length < 6) riskSentences.push(`- ${escapeMarkdown(sentence)} [${index + 1}]`);
    }
  });
  const risks =
    riskSentences.length > 0
      ? `The sources flag these risks and caveats:\n\n${riskSentences.join('\n')}`
      : 'None of the sources spells out specific risks. The general risks of decentralised finance still apply: smart-contract failures, volatile collateral and changing regulation.';

  const method = [
    `This page is an extractive digest: it quotes and attributes what ${sources.length} published ${plural(sources.length, 'report', 'reports')} said about ${label.toLowerCase()}, without a language model and without adding claims of its own.`,
    'Read the original reports before acting on anything here, and check dates: fast-moving protocols change terms often.',
  ].join(' ');

  const takeaways = sources.slice(0, 4).map((item, index) => {
    const first = sentencesOf(item.summary)[0] ?? item.title;
    // Takeaways live in frontmatter and are rendered as text, so they stay unescaped.
    return `${first} [${index + 1}]`;
  });

  const title = fitLength(`${label}: what recent reporting says`, 10, 120);
  const description = fitLength(
    `A sourced digest of ${sources.length} ${plural(sources.length, 'report', 'reports')} on ${label.toLowerCase()} from ${listOf(publishers)}, ${period}, with the risks they raise.`,
    50,
    200,
  );

  return {
    title,
    description,
    tags: unique([slugTag(label), ...topic.affiliates.flatMap((id) => programTag(config, id))]).slice(0, 5),
    keyTakeaways: takeaways,
    sections: [
      { heading: 'What the sources report', markdown: reporting.join('\n\n') },
      { heading: 'Risks to weigh', markdown: risks },
      { heading: 'About this digest', markdown: method },
    ],
    faq: [],
    citations: sources.map((_item, index) => index + 1),
    affiliates: topic.affiliates.slice(0, 1),
  };
}

/** Sentences, split only where a sentence end is followed by a capital: "0.3 points" stays whole. */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z\u201c"\u2018'(])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 20);
}

/** Feed text is untrusted: nothing in it may become markup, a link or an image in our page. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|!~]/g, (character) => `\\${character}`);
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function formatPeriod(from: string | undefined, to: string | undefined): string {
  if (!from || !to) return 'recently';
  const start = formatDate(from);
  const end = formatDate(to);
  return start === end ? `published ${start}` : `published between ${start} and ${end}`;
}

function fitLength(text: string, min: number, max: number): string {
  let fitted = text.length > max ? `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…` : text;
  while (fitted.length < min) fitted += ' — a sourced digest';
  return fitted.slice(0, max);
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'several publishers';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function slugTag(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'defi';
}

function programTag(config: ResolvedConfig, id: string): string[] {
  const program = config.affiliates.find((candidate) => candidate.id === id);
  const keyword = program?.keywords[0];
  return keyword ? [slugTag(keyword)] : [];
}
