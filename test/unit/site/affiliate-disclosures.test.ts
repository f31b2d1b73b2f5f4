import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../pipeline/config/niche-config.ts';
import { linkedPrograms, programNotice } from '../../../site/lib/affiliate-disclosures.ts';

const programs = configSchema.shape.affiliates.parse([
  { id: 'wallet', name: 'Wallet', domains: ['shop.wallet.example'], url: 'https://shop.wallet.example/?ref=x', trackingParams: ['ref'], cloak: true, disclosure: 'Wallet pays us for sales through our links.' },
  { id: 'tax', name: 'Tax', domains: ['tax.example'], url: 'https://tax.example/?via=x', trackingParams: ['via'], statement: 'Tax pays a referral fee.' },
  { id: 'plain', name: 'Plain', domains: ['plain.example'], url: 'https://plain.example/?a=x', trackingParams: ['a'] },
]);

describe('linked programs', () => {
  it('finds listed programs, unlisted ones linked by domain or through /go/, in registry order', () => {
    expect(linkedPrograms(['plain'], '<p>No links.</p>', programs).map((program) => program.id)).toEqual(['plain']);
    expect(linkedPrograms([], '<a href="https://sub.tax.example/x?via=x&amp;y=1">t</a>', programs).map((program) => program.id)).toEqual(['tax']);
    expect(linkedPrograms(['tax'], '<a href="/go/wallet/" rel="sponsored">w</a>', programs).map((program) => program.id)).toEqual(['wallet', 'tax']);
    expect(linkedPrograms([], '<a href="https://elsewhere.example/">e</a>', programs)).toEqual([]);
  });

  it("gives a program's own disclosure and statement, or nothing when it has neither", () => {
    expect(programNotice(programs[0]!)).toBe('Wallet pays us for sales through our links.');
    expect(programNotice({ disclosure: 'We earn a commission here.', statement: 'Required statement.' })).toBe('We earn a commission here. Required statement.');
    expect(programNotice(programs[2]!)).toBeUndefined();
  });
});
