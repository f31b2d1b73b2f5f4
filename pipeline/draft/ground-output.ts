import { UnsupportedClaim } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import type { TopicResearch } from '../research/research-sources.ts';
import { claimsOf, indexSource, isStated, normaliseText, type Claim, type SourceIndex } from '../research/ground-claims.ts';
import type { ArticleOutput } from './article-output.ts';
import type { BriefOutput } from './brief-output.ts';
import { truncate } from './truncate.ts';

/**
 * The grounding check applied to what a provider wrote, before anything is written: every claim
 * of a sentence (see ground-claims.ts) must be stated by a source that the sentence cites, or,
 * when the sentence cites none, that its paragraph cites. A sentence with a claim no cited source
 * states is dropped, and the drop is reported. The title and description cite nothing and cannot
 * lose a sentence: a claim there that no source at all states makes the draft one to hold back.
 */

export interface UnsupportedSentence {
  /** Where it was: `sections[1].markdown`, `keyTakeaways[0]`, `faq[2].answer`, `title`… */
  path: string;
  sentence: string;
  claims: Claim[];
}

export interface Grounded<T> {
  output: T;
  /** Claims looked up in the sources. */
  checked: number;
  /** Sentences (or brief entries, or a title) removed because a claim in them is not in their sources. */
  dropped: UnsupportedSentence[];
}

/** What replaces a title or description that states something no source does. */
export interface PlainFields {
  title: string;
  description: string;
}

export interface GroundingSources {
  /** Source number → its text: feed title, summary, publisher, date and the page's paragraphs. */
  byNumber: Map<number, SourceIndex>;
  all: SourceIndex;
  /** Names the site may use in its own voice (its title, the publishers), normalised. */
  ownNames: Set<string>;
}

export function groundingSources(research: TopicResearch, siteTitle: string): GroundingSources {
  const texts = research.sources.map((source) => {
    const { item } = source;
    const published = new Date(item.publishedAt);
    const dates = Number.isNaN(published.getTime()) ? '' : `${item.publishedAt.slice(0, 10)} ${published.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`;
    return [source.n, [item.title, item.summary, item.publisher, dates, ...source.paragraphs].join('\n')] as const;
  });
  return {
    byNumber: new Map(texts.map(([n, text]) => [n, indexSource(text)])),
    all: indexSource(texts.map(([, text]) => text).join('\n')),
    ownNames: new Set([siteTitle, ...research.sources.map((source) => source.item.publisher)].map((name) => normaliseText(name).trim())),
  };
}

export function groundArticle(output: ArticleOutput, sources: GroundingSources, plain: PlainFields): Grounded<ArticleOutput> {
  const tally = { checked: 0, dropped: [] as UnsupportedSentence[] };
  const fields = { title: output.title, description: output.description };
  for (const path of ['title', 'description'] as const) {
    const unsupported = checkAgainst(fields[path], [sources.all], sources, tally);
    if (unsupported.length) {
      tally.dropped.push({ path, sentence: fields[path], claims: unsupported });
      fields[path] = plain[path];
    }
  }
  const keyTakeaways = output.keyTakeaways.filter((takeaway, index) => keepMarkdown(takeaway, `keyTakeaways[${index}]`, sources, tally, { fallbackToAll: true }).trim() === takeaway.trim());
  const sections = output.sections
    .map((section, index) => ({ heading: section.heading, markdown: keepMarkdown(section.markdown, `sections[${index}].markdown`, sources, tally) }))
    .filter((section) => section.markdown.trim() !== '');
  const faq = output.faq
    .map((entry, index) => ({ question: entry.question, answer: keepMarkdown(entry.answer, `faq[${index}].answer`, sources, tally) }))
    .filter((entry) => entry.answer.trim() !== '');
  return { output: { ...output, ...fields, keyTakeaways, sections, faq }, checked: tally.checked, dropped: tally.dropped };
}

/** Facts must be in the source they name; a risk without a source may not carry a claim at all. */
export function groundBrief(brief: BriefOutput, sources: GroundingSources): Grounded<BriefOutput> {
  const tally = { checked: 0, dropped: [] as UnsupportedSentence[] };
  const kept = <T>(entries: T[], path: string, text: (entry: T) => string, source: (entry: T) => number | null) =>
    entries.filter((entry, index) => {
      const index_ = source(entry);
      const against = index_ === null ? [] : [sources.byNumber.get(index_)].filter((found) => found !== undefined);
      const unsupported = checkAgainst(text(entry), against, sources, tally);
      if (unsupported.length) tally.dropped.push({ path: `${path}[${index}]`, sentence: text(entry), claims: unsupported });
      return unsupported.length === 0;
    });
  const output: BriefOutput = {
    ...brief,
    keyFacts: kept(brief.keyFacts, 'keyFacts', (fact) => fact.fact, (fact) => fact.source),
    risks: kept(brief.risks, 'risks', (risk) => risk.risk, (risk) => risk.source),
  };
  return { output, checked: tally.checked, dropped: tally.dropped };
}

function checkAgainst(text: string, against: SourceIndex[], sources: GroundingSources, tally: { checked: number }): Claim[] {
  const claims = claimsOf(text, sources.ownNames);
  tally.checked += claims.length;
  return claims.filter((claim) => !against.some((source) => isStated(claim, source)));
}

/**
 * The markdown with every unsupported sentence removed. A paragraph, list item or quotation line
 * is the scope of a citation: a sentence without its own [n] takes those of its block.
 */
function keepMarkdown(
  markdown: string,
  path: string,
  sources: GroundingSources,
  tally: { checked: number; dropped: UnsupportedSentence[] },
  options: { fallbackToAll?: boolean } = {},
): string {
  const keepBlock = (block: string): string => {
    const blockCites = citesOf(block);
    const sentences = sentencesOf(block);
    const survivors = sentences.filter((sentence) => {
      const cites = citesOf(sentence).length ? citesOf(sentence) : blockCites;
      let against = cites.map((n) => sources.byNumber.get(n)).filter((found) => found !== undefined);
      if (cites.length === 0 && options.fallbackToAll) against = [sources.all];
      const unsupported = checkAgainst(sentence, against, sources, tally);
      if (unsupported.length) tally.dropped.push({ path, sentence: sentence.trim(), claims: unsupported });
      return unsupported.length === 0;
    });
    if (survivors.length === sentences.length) return block;
    const text = survivors.join(' ').trim().replace(LIST_MARKER, '');
    // A block left with nothing but markup or citation markers goes too.
    return /[\p{L}\p{N}]/u.test(text.replace(/\[\d{1,2}\]/g, '')) ? `${LIST_MARKER.exec(block)?.[0] ?? ''}${text}` : '';
  };
  return markdown
    .split(/\n{2,}/)
    .map((paragraph) => {
      // In a list or a quotation each line is its own block, with its own citations.
      const lines = LIST_MARKER.test(paragraph) ? paragraph.split('\n') : [paragraph];
      return lines.map(keepBlock).filter((line) => line !== '').join('\n');
    })
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

const LIST_MARKER = /^\s*(?:[-*+>]|\d+[.)])\s+/;

function citesOf(text: string): number[] {
  return [...text.matchAll(/(?<!\\)\[(\d{1,2})\](?!\()/g)].map((match) => Number(match[1]));
}

/**
 * Sentences of a block, cut after . ! or ? (and any closing quote or citation marker) where a
 * capital or an opening quote follows; "Oct. 27" and "2.4" stay whole.
 */
export function sentencesOf(block: string): string[] {
  return block
    .split(/(?<=[.!?]["”’)]?(?:\s?\[\d{1,2}\])*)\s+(?=[*_]*["“‘(]?\p{Lu})/u)
    .filter((sentence) => sentence.trim() !== '');
}

export function unsupportedFinding(entry: UnsupportedSentence, subject: string, label: string, where: { file?: string; line?: number } = {}): Finding {
  return findingFrom(UnsupportedClaim, [claimList(entry), `${label}, ${entry.path} "${truncate(entry.sentence, 120)}"`], {
    severity: 'warning',
    rule: 'citations/unsupported-claim',
    subject,
    ...where,
  });
}

export function claimList(entry: UnsupportedSentence): string {
  return entry.claims.map((claim) => `${claim.kind} "${truncate(claim.text, 60)}" not in its sources`).join(', ');
}
