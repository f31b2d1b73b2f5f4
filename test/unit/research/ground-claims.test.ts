import { describe, expect, it } from 'vitest';
import { claimsOf, indexSource, isStated } from '../../../pipeline/research/ground-claims.ts';

const source = indexSource(
  'Harbor Lending said on Oct. 27 that its reserve factor falls to 61.8 % of what it was. The treasury held $2.4 billion. ' +
    '"A smaller reserve is a real trade-off, and depositors should know it," said Priya Natarajan. Published 2026-10-30.',
);

const unsupported = (sentence: string) =>
  claimsOf(sentence)
    .filter((claim) => !isStated(claim, source))
    .map((claim) => `${claim.kind}: ${claim.text}`);

describe('grounding claims in a source', () => {
  it('finds figures, dates, names and quotations in a sentence', () => {
    const claims = claimsOf('On 27 October, Priya Natarajan of Harbor Lending said the fee is 8 % and "nothing else will change this year" [2].');
    expect(claims.map((claim) => claim.kind).sort()).toEqual(['date', 'figure', 'name', 'name', 'quotation']);
    expect(claims.find((claim) => claim.kind === 'figure')?.key).toBe('8%');
  });

  it('accepts ordinary rewriting of figures, amounts and dates', () => {
    expect(unsupported('The factor falls to 61.8 percent, says Harbor Lending [1].')).toEqual([]);
    expect(unsupported('The treasury held 2.4 billion dollars [1].')).toEqual([]);
    expect(unsupported('It held $2,400,000,000 at the time [1].')).toEqual([]);
    expect(unsupported('The change was announced on 27 October [1].')).toEqual([]);
    expect(unsupported('The change was announced on October 27th [1].')).toEqual([]);
    expect(unsupported('The report is dated Oct 30, 2026 [1].')).toEqual([]);
    expect(unsupported('Natarajan said: "a smaller reserve is a real trade-off and depositors should know it" [1].')).toEqual([]);
  });

  it('flags a figure, a name, a date or a quotation that the source does not state', () => {
    expect(unsupported('The factor falls to 62 percent [1].')).toEqual(['figure: 62 percent']);
    expect(unsupported('The treasury held $2.5 billion [1].')).toEqual(['figure: $2.5 billion']);
    expect(unsupported('Analyst Jordan Blake of Meridian Research called it bold [1].')).toEqual(['name: Analyst Jordan Blake', 'name: Meridian Research']);
    expect(unsupported('The vote closed on 28 October [1].')).toEqual(['date: 28 October']);
    expect(unsupported('Natarajan said "a smaller reserve is a risk worth taking" [1].')).toEqual(['quotation: a smaller reserve is a risk worth taking']);
  });

  it('reads a number joined to a word by a hyphen as part of a name, not as a figure', () => {
    expect(claimsOf('Fees on layer-2 networks and ERC-20 transfers rose [1].').filter((claim) => claim.kind === 'figure')).toEqual([]);
  });

  it('does not take sentence-initial words, months, weekdays or citation markers for claims', () => {
    expect(claimsOf('Depositors keep more of the interest from Monday in November [1] [[2]](https://a.example/).')).toEqual([]);
  });
});

describe('sentence starts', () => {
  it('treats the first word after a full stop as grammar, not a name, but keeps abbreviations like "Oct." or "Dr." inside a sentence', () => {
    expect(claimsOf('Two notes this week. See the site.')).toEqual([]);
    expect(claimsOf('The note cites Dr. Natarajan twice.').map((claim) => claim.text)).toEqual(['Dr Natarajan']);
  });
});
