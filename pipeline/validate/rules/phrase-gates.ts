/**
 * Cheap "does the body mention any of these phrases" checks that rules run before their costly
 * case-insensitive patterns, and those patterns run over the shared lower-cased body.
 */
import { MAX_PHRASE_LISTS, phraseScanner, type PhraseScanner } from './phrase-scanner.ts';
import { codeOf, inRanges, lowerOf, memoOf } from './markdown-scan.ts';
import type { ParsedArticle } from './rule.ts';

/**
 * True when the lower-cased body contains any of the phrases: the pattern behind them may match.
 * Every list a rule asks about joins one automaton (phrase-scanner.ts), so one pass
 * over each body answers them all; a list first seen later rebuilds it (that happens on the
 * first articles only).
 */
export function mentionsAny(article: ParsedArticle, phrases: readonly string[]): boolean {
  let bit = gateBits.get(phrases);
  if (bit === undefined) {
    // More lists than one automaton answers for (none of the rules here come close): search each phrase.
    if (gateLists.length === MAX_PHRASE_LISTS) return phrases.some((phrase) => lowerOf(article).includes(phrase));
    bit = gateLists.length;
    gateLists.push(phrases);
    gateBits.set(phrases, bit);
    gateScanner = undefined;
  }
  const entry = memoOf(article);
  if (entry.gates === undefined || entry.gateLists !== gateLists.length) {
    gateScanner ??= phraseScanner(gateLists);
    entry.gates = gateScanner.scan(lowerOf(article));
    entry.gateLists = gateLists.length;
  }
  return (entry.gates & (1 << bit)) !== 0;
}

const gateLists: Array<readonly string[]> = [];
const gateBits = new WeakMap<readonly string[], number>();
let gateScanner: PhraseScanner | undefined;

/** A case-insensitive pattern, also compiled lower-case without the `i` flag (see matchesIgnoringCase). */
export interface FoldedPattern {
  original: RegExp;
  lower: RegExp;
}

export function foldCase(pattern: RegExp): FoldedPattern {
  // Lower-casing the source must not turn \S, \W, \D or \B into their opposites.
  if (/\\[SWDB]/.test(pattern.source)) throw new Error(`foldCase: ${pattern} has an upper-case escape`);
  return { original: pattern, lower: new RegExp(pattern.source.toLowerCase(), pattern.flags.replace('i', '')) };
}

/**
 * Matches of a case-insensitive pattern outside code, with the text as written in the body.
 * Runs the lower-case pattern over the lower-cased body (shared by the rules): V8's `i` flag
 * disables its fast literal scans, which costs seconds over 10,000 articles. When lower-casing
 * changed the length (rare letters like "İ"), offsets would drift, so the `i` pattern runs instead.
 */
export function matchesIgnoringCase(article: ParsedArticle, pattern: FoldedPattern, code: Array<[number, number]> = codeOf(article)): Array<{ index: number; text: string }> {
  const lower = lowerOf(article);
  const [text, regex] = lower.length === article.body.length ? [lower, pattern.lower] : [article.body, pattern.original];
  const out: Array<{ index: number; text: string }> = [];
  for (const match of text.matchAll(regex)) {
    if (!inRanges(match.index, code)) out.push({ index: match.index, text: article.body.slice(match.index, match.index + match[0].length) });
  }
  return out;
}
