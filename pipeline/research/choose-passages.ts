import { estimateTokens } from '../draft/run-budget.ts';
import { STOP_WORDS } from '../lib/stop-words.ts';

/**
 * What the model sees of the sources: pages cut into passages (a paragraph, or a run of short
 * ones, up to about MAX_PASSAGE_WORDS), ranked by how much of the topic they talk about, and
 * chosen within a token budget per call. Every source keeps its best passage first, so no source
 * the article may cite is invisible to the model; the rest of the budget goes to the most relevant
 * passages overall. Passages go out in source and page order, so each reads in its context.
 */

export interface SourceText {
  /** The 1-based source number the article cites. */
  n: number;
  title: string;
  /** Paragraphs of the page when it was read, else the feed summary as one paragraph. */
  paragraphs: readonly string[];
}

export interface Passage {
  source: number;
  /** Position within its source, from 0. */
  index: number;
  text: string;
}

const MAX_PASSAGE_WORDS = 120;

export function splitPassages(source: SourceText): Passage[] {
  const passages: Passage[] = [];
  let current: string[] = [];
  let words = 0;
  const flush = () => {
    if (current.length) passages.push({ source: source.n, index: passages.length, text: current.join(' ') });
    current = [];
    words = 0;
  };
  for (const paragraph of source.paragraphs) {
    for (const piece of piecesOf(paragraph)) {
      const size = piece.split(' ').length;
      if (words > 0 && words + size > MAX_PASSAGE_WORDS) flush();
      current.push(piece);
      words += size;
    }
    // A paragraph of some length ends its passage; short ones (a heading, a one-liner) join the next.
    if (words >= MAX_PASSAGE_WORDS / 3) flush();
  }
  flush();
  return passages;
}

/** A long paragraph is cut between sentences, so no passage is much longer than the limit. */
function piecesOf(paragraph: string): string[] {
  if (paragraph.split(' ').length <= MAX_PASSAGE_WORDS) return [paragraph];
  return paragraph.split(/(?<=[.!?])\s+(?=\S)/);
}

export function choosePassages(topicLabel: string, sources: readonly SourceText[], maxTokens: number): Passage[] {
  const all = sources.flatMap((source) => splitPassages(source));
  const terms = termsOf(topicLabel);
  const titleTerms = new Map(sources.map((source) => [source.n, termsOf(source.title)]));
  // Rarer terms tell more: inverse document frequency over the topic's own passages.
  const documents = all.map((passage) => new Set(termsOf(passage.text)));
  const idf = (term: string) => Math.log(1 + all.length / (1 + documents.filter((words) => words.has(term)).length));
  const scored = all.map((passage, position) => {
    const words = documents[position]!;
    let score = 0;
    for (const term of terms) if (words.has(term)) score += 2 * idf(term);
    for (const term of titleTerms.get(passage.source) ?? []) if (words.has(term)) score += idf(term) / 2;
    // The opening of a page usually says what it is about.
    if (passage.index === 0) score += 0.5;
    return { passage, score, tokens: estimateTokens(passage.text) };
  });

  const chosen = new Set<Passage>();
  let used = 0;
  const take = (entry: (typeof scored)[number]) => {
    if (chosen.has(entry.passage) || used + entry.tokens > maxTokens) return;
    chosen.add(entry.passage);
    used += entry.tokens;
  };
  const byScore = [...scored].sort((a, b) => b.score - a.score || a.passage.source - b.passage.source || a.passage.index - b.passage.index);
  for (const source of sources) {
    const best = byScore.find((entry) => entry.passage.source === source.n);
    if (best) take(best);
  }
  for (const entry of byScore) take(entry);
  return all.filter((passage) => chosen.has(passage));
}

function termsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .normalize('NFKC')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length > 2 && !STOP_WORDS.has(word))
        // Plural and singular count as one term ("fees" / "fee").
        .map((word) => (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word)),
    ),
  ];
}
