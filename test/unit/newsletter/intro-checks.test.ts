import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedArticle } from '../../../pipeline/archive/archive.ts';
import type { ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { checkIntro } from '../../../pipeline/newsletter/intro-checks.ts';
import { articlesOf, newsletterNiche } from '../../helpers/newsletter-niche.ts';

/**
 * The checks a model's intro must pass before an issue uses it, as examples: each not-ok answer
 * names the rule it breaks; the ok answers are what a careful writer sends.
 */
let articles: LoadedArticle[];
let config: ResolvedConfig;

beforeAll(async () => {
  const niche = await newsletterNiche();
  await niche.addArticle('exit-queue', {
    title: 'Validator exit queue: what the sources say',
    description: 'What DeFi Ledger and Staking Notes report on the validator exit queue, quoted and linked.',
    topic: { key: 'validator exit queue', label: 'Validator exit queue', score: 7.1 },
    keyTakeaways: ['DeFi Ledger: “The exit queue reached 18 days, the longest since March.” [1]', 'Staking Notes: “How long is too long for an exit?” [2]'],
    sources: [
      { title: 'Exit waits', url: 'https://defi-ledger.example/exit', publisher: 'DeFi Ledger' },
      { title: 'Queue notes', url: 'https://staking-notes.example/queue', publisher: 'Staking Notes' },
    ],
  });
  await niche.addArticle('blob-fees', { title: 'Blob fees: what the sources say', topic: { key: 'blob fees', label: 'Blob fees', score: 5.2 } });
  articles = await articlesOf(niche.context);
  config = niche.config;
});

const OK = 'This issue leads with the validator exit queue, which DeFi Ledger reports reached 18 days, the longest since March. It also covers blob fees. Both matter to anyone who may need their staked funds back soon.';

describe('checkIntro', () => {
  it('accepts a plain, sourced paragraph and returns it as it is', () => {
    expect(checkIntro(OK, articles, config)).toEqual({ ok: true, text: OK });
  });

  it('drops emphasis marks and hidden characters, which change no word', () => {
    const answer = `This issue leads with the **validator exit queue**,\u202e which DeFi Ledger reports reached 18 days.\u200b It also covers _blob fees_.`;
    expect(checkIntro(answer, articles, config)).toEqual({
      ok: true,
      text: 'This issue leads with the validator exit queue, which DeFi Ledger reports reached 18 days. It also covers blob fees.',
    });
  });

  it.each([
    ['a markdown link', 'This issue covers the exit queue. See [the site](https://evil.example/x) for more on blob fees and the rest.', /contains a link/],
    ['a bare URL', 'This issue covers the exit queue and blob fees. More at https://evil.example/y for readers.', /contains a link/],
    ['a javascript: URL', 'This issue covers the exit queue and blob fees. javascript:alert(1) is where the rest is.', /contains a link/],
    ['HTML', 'This issue covers the exit queue and <b>blob fees</b> for readers of the site.', /contains HTML/],
    ['a heading', '# Issue\n\nThis issue covers the exit queue and blob fees for readers.', /not one plain paragraph/],
    ['two paragraphs', 'This issue covers the exit queue.\n\nIt also covers blob fees for readers.', /not one plain paragraph/],
    ['a question to the reader', 'This issue covers the exit queue and blob fees. Do you need your staked funds back soon?', /asks the reader a question/],
    ['an exclamation mark', 'This issue covers the exit queue and blob fees. It is a busy week for stakers!', /exclamation mark/],
    ['hype', 'This game-changing issue covers the exit queue and blob fees, a must-read for stakers.', /hype or words the site avoids \("game-changing", "must-read"\)/],
    ['a word the niche avoids', 'This issue covers the exit queue and blob fees, and we delve into both for stakers.', /"delve"/],
    ['a promise', 'This issue covers the exit queue and blob fees, and how to earn guaranteed returns while you wait.', /makes a promise/],
    ['assistant residue', 'Sure! Here is the summary. This issue covers the exit queue and blob fees for stakers.', /talks to the requester/],
    ['a figure no article states', 'This issue covers the exit queue, which DeFi Ledger says reached 45 days, and blob fees.', /states what no article of the issue does \(figure "45"\)/],
    ['a name no article states', 'This issue covers the exit queue and blob fees, which Vitalik Buterin called a problem.', /name "Vitalik Buterin"/],
    ['too many sentences', 'This issue covers the exit queue. It is long. It also covers blob fees. Both are covered. Sources are listed. Read on.', /too long \(6 sentences/],
    ['too many words', `This issue covers the exit queue and blob fees ${'and much more besides '.repeat(25)}for stakers.`, /too long/],
    ['an empty answer', '   \u200b ', /empty or too short/],
  ])('refuses %s', (_what, answer, problem) => {
    const checked = checkIntro(answer, articles, config);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems.join('; ')).toMatch(problem);
  });

  it('lets a quotation ask a question or exclaim: those are the source\'s words', () => {
    const answer = 'This issue covers the exit queue and blob fees. Staking Notes asks: “How long is too long for an exit?”';
    expect(checkIntro(answer, articles, config).ok).toBe(true);
  });

  it('lets the site and its newsletter name themselves', () => {
    const answer = 'This issue of the Field Letter from Yield Field Notes leads with the exit queue. It also covers blob fees.';
    expect(checkIntro(answer, articles, config)).toMatchObject({ ok: false, problems: [expect.stringContaining('name "Field Letter"')] });
    const named = { ...config, newsletter: { ...config.newsletter, title: 'Field Letter' } };
    expect(checkIntro(answer, articles, named).ok).toBe(true);
  });

  it('checks promise language only where the niche turns the rule on', () => {
    const answer = 'This issue covers the exit queue and blob fees, and a yield you cannot lose while you wait.';
    expect(checkIntro(answer, articles, config)).toMatchObject({ ok: false, problems: [expect.stringMatching(/makes a promise/)] });
    const neutral = { ...config, validate: { ...config.validate, rules: { ...config.validate.rules, 'compliance/no-promises': 'off' as const } } };
    expect(checkIntro(answer, articles, neutral).ok).toBe(true);
  });
});
