import type { ResolvedConfig } from '../config/niche-config.ts';
import type { TopicResearch } from '../research/research-sources.ts';
import type { FeedItem, Topic } from '../schema/feed-item.ts';
import { articleOutputSchema, type ArticleOutput } from './article-output.ts';
import { DraftError } from './draft-error.ts';
import { sentencesOf } from './ground-output.ts';
import type { DraftProvider, DraftRequest, DraftResult } from './provider.ts';

/** Bumped when the digest's shape changes, so cached and written drafts can tell. */
export const EXTRACTIVE_VERSION = 'extractive-digest-2';

/**
 * Words that mark a sentence as naming a risk in any niche; a niche adds its own in
 * `research.riskTerms` (a money niche's "liquidation", a health niche's "side effect").
 */
const GENERAL_RISK_WORDS = [
  'risk',
  'risks',
  'risky',
  'loss',
  'losses',
  'lose',
  'losing',
  'warn',
  'warns',
  'warned',
  'warning',
  'danger',
  'dangerous',
  'vulnerable',
  'vulnerability',
  'exploit',
  'exploited',
  'hack',
  'hacked',
  'fraud',
  'penalty',
  'penalties',
  'caution',
  'cautioned',
  'threat',
  'downside',
  'exposed',
  'exposure',
  'uncertain',
  'uncertainty',
  'delay',
  'delays',
  'delayed',
  'penalised',
  'penalized',
  'may not',
  'not be able',
  'should expect',
];

/** "Risk" naming a job or a body of people, not a danger: "the risk team set a cap". */
const RISK_AS_NAME = /\brisk\s+(?:team|teams|committee|committees|manager|managers|management|officer|officers|department|desk|function)\b/gi;

/** A quotation longer than this is not a quote but a paste: such sentences are left out. */
const MAX_QUOTE_CHARS = 320;
const MAX_RISKS = 6;
const QUOTES_PER_SOURCE = 2;

/**
 * The offline provider: a deterministic digest of what the topic's sources say — from the passages
 * of their pages when those were read, else from their feed text. It adds no claim of its own:
 * every word taken from a source is a quotation, in quotation marks and attributed; the site's own
 * sentences only frame them. No sentence appears twice, a risk is listed only when a source states
 * one, and the page says so plainly when none does. Labelled `generator: extractive`, so it never
 * passes for a language model's work.
 */
export function createExtractiveProvider(): DraftProvider {
  return {
    name: 'extractive',
    model: EXTRACTIVE_VERSION,
    async draft(request: DraftRequest): Promise<DraftResult> {
      const output = buildDigest(request.topic, request.config, request.research);
      const checked = articleOutputSchema.safeParse(output);
      if (!checked.success) {
        throw new DraftError('NP4002', `the digest does not fit the article schema (${checked.error.issues[0]?.message ?? 'invalid'})`);
      }
      return { output: checked.data, model: EXTRACTIVE_VERSION };
    },
  };
}

interface SourceQuotes {
  n: number;
  item: FeedItem;
  fromPage: boolean;
  /** Candidate sentences, most relevant to the topic first. */
  sentences: string[];
  /** Where each sentence stands in the source, so quotations keep the source's order. */
  positions: Map<string, number>;
}

export function buildDigest(topic: Topic, config: ResolvedConfig, research?: TopicResearch): ArticleOutput {
  const items = topic.items.slice(0, 8);
  const label = topic.label;
  const publishers = unique(items.map((item) => item.publisher));
  const dates = items.map((item) => item.publishedAt).sort();
  const period = formatPeriod(dates[0], dates[dates.length - 1]);
  const riskPattern = wordsPattern([...GENERAL_RISK_WORDS, ...config.research.riskTerms]);
  const topicTerms = termsOf(label);

  const sources: SourceQuotes[] = items.map((item, index) => {
    const n = index + 1;
    const reading = research?.sources.find((source) => source.n === n);
    const fromPage = reading?.from === 'page';
    const passages = fromPage ? (research?.passages.filter((passage) => passage.source === n).map((passage) => passage.text) ?? []) : [];
    const text = passages.length ? passages : [item.summary || item.title];
    const candidates = text.flatMap((passage) => sentencesOf(passage)).map((sentence) => sentence.trim()).filter(isQuotable);
    // Most relevant first; page order among equals, so the digest reads the way the source does.
    const ranked = candidates
      .map((sentence, position) => ({ sentence, position, score: overlap(termsOf(sentence), topicTerms) }))
      .sort((a, b) => b.score - a.score || a.position - b.position)
      .map((entry) => entry.sentence);
    return { n, item, fromPage, sentences: ranked, positions: new Map(candidates.map((sentence, position) => [sentence, position])) };
  });

  // Each source sentence is used once on the page, wherever it appears first.
  const used = new Set<string>();
  const take = (sentence: string): boolean => {
    const key = sentence.toLowerCase().replace(/\W+/g, ' ').trim();
    if (used.has(key)) return false;
    used.add(key);
    return true;
  };

  // Risks first: a sentence that names one belongs under the risks, not in the summary.
  const risks: string[] = [];
  for (const source of sources) {
    for (const sentence of source.sentences) {
      const namesRisk = riskPattern.test(sentence.replace(RISK_AS_NAME, ' '));
      if (risks.length < MAX_RISKS && namesRisk && take(sentence)) risks.push(`- ${attributed(source, sentence)}`);
    }
  }

  const takeaways: string[] = [];
  for (const source of sources.slice(0, 4)) {
    const sentence = source.sentences.find((candidate) => take(candidate));
    // Takeaways are frontmatter, rendered as plain text: no markdown escapes there.
    if (sentence) takeaways.push(`${source.item.publisher}: \u201c${sentence}\u201d [${source.n}]`);
  }
  if (takeaways.length === 0) takeaways.push(`${sources[0]?.item.publisher ?? 'The source'}: \u201c${sources[0]?.item.title ?? label}\u201d [1]`);

  const reporting = sources.map((source) => {
    const quotes = source.sentences
      .filter((sentence) => !used.has(sentence.toLowerCase().replace(/\W+/g, ' ').trim()))
      .slice(0, QUOTES_PER_SOURCE)
      .sort((a, b) => source.positions.get(a)! - source.positions.get(b)!);
    quotes.forEach(take);
    const heading = `**${escapeMarkdown(source.item.publisher)}**, ${formatDate(source.item.publishedAt)}: *${escapeMarkdown(source.item.title)}* [${source.n}]`;
    if (quotes.length === 0) return heading;
    // Each sentence its own quotation: two sentences that are not next to each other in the
    // source must not read as one passage.
    return `${heading}\n\n${quotes.map((quote) => `> \u201c${escapeMarkdown(quote)}\u201d [${source.n}]`).join('\n>\n')}`;
  });

  const riskSection =
    risks.length > 0
      ? `In their own words, the sources name these risks:\n\n${risks.join('\n')}`
      : 'None of the sources quoted here names a specific risk. That does not mean there is none: read the sources in full before acting on anything here.';

  const readPages = sources.some((source) => source.fromPage);
  const method = [
    `This page is an extractive digest: it quotes what the sources listed below say about ${label.toLowerCase()}, in their own words and in quotation marks, without a language model and without claims of its own.`,
    readPages
      ? 'Where a source page could be read, the quotations come from the page; otherwise they come from the summary in its feed.'
      : 'The quotations come from the summaries in the sources\u2019 feeds; the pages themselves could not be read.',
    'Read the sources before acting on anything here, and check their dates: what they report may have changed since.',
  ].join(' ');

  const title = fitLength(`${label}: what the sources say`, 10, 120);
  const description = fitLength(`What ${listOf(publishers)} report on ${label.toLowerCase()}, ${period}: quoted, attributed and linked.`, 50, 200);

  return {
    title,
    description,
    tags: unique([slugTag(label), ...topic.affiliates.flatMap((id) => programTag(config, id))]).slice(0, 5),
    keyTakeaways: takeaways,
    sections: [
      { heading: 'What the sources report', markdown: reporting.join('\n\n') },
      { heading: 'Risks the sources name', markdown: riskSection },
      { heading: 'About this digest', markdown: method },
    ],
    faq: [],
    citations: sources.map((source) => source.n),
    affiliates: topic.affiliates.slice(0, 1),
  };
}

function attributed(source: SourceQuotes, sentence: string): string {
  return `${escapeMarkdown(source.item.publisher)}: \u201c${escapeMarkdown(sentence)}\u201d [${source.n}]`;
}

/** A whole sentence of sensible length that says something (not a dangling heading or a fragment). */
function isQuotable(sentence: string): boolean {
  return sentence.length >= 30 && sentence.length <= MAX_QUOTE_CHARS && /[.!?]["\u201d\u2019)]?$/.test(sentence);
}

function wordsPattern(words: readonly string[]): RegExp {
  const escaped = words.map((word) => word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

function termsOf(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 3),
  );
}

function overlap(words: Set<string>, terms: Set<string>): number {
  let count = 0;
  for (const term of terms) if (words.has(term)) count++;
  return count;
}

/** Source text is untrusted: nothing in it may become markup, a link or an image in our page. */
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
  if (names.length <= 1) return names[0] ?? 'the sources';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function slugTag(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'topic';
}

function programTag(config: ResolvedConfig, id: string): string[] {
  const program = config.affiliates.find((candidate) => candidate.id === id);
  const keyword = program?.keywords[0];
  return keyword ? [slugTag(keyword)] : [];
}
