import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { doIUseEmail } from 'doiuse-email';
import { describe, expect, it } from 'vitest';
import { renderedSampleIssue } from '../../helpers/newsletter-niche.ts';

/**
 * The rendered email against the caniemail data (doiuse-email) for Gmail, Outlook and Apple
 * Mail. Every HTML element, attribute and CSS feature the email uses must be supported by all
 * of them, except the few listed here — each a deliberate progressive enhancement whose
 * fallback is fine, with the reason. Anything else is a rendering bug to fix in
 * pipeline/newsletter/render-email-html.ts, not a line to add here.
 */
const CLIENTS = ['gmail.*', 'outlook.*', 'apple-mail.*'];

const ACCEPTED: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  {
    pattern: /^`@media` is not supported by `(gmail\.mobile-webmail|outlook\.windows|outlook\.windows-mail)`$/,
    why: 'the phone layout is an enhancement: without the media query these clients show the 600 px table, the desktop layout',
  },
  {
    pattern: /^`<body> element` is not supported by `outlook\.(ios|android)`$/,
    why: 'these apps drop <body> and its styles; the wrapper table repeats the background colour, so nothing is lost',
  },
  {
    pattern: /^`display:none` is not supported by `gmail\.mobile-webmail`$/,
    why: 'the preheader is also 1 px text in the background colour, so where display:none is dropped it stays invisible',
  },
  {
    pattern: /^`role attribute` is not supported by `outlook\.windows-mail`$/,
    why: 'role="presentation" only helps screen readers; where it is ignored the tables still lay out the same',
  },
];

describe('email.html against caniemail (Gmail, Outlook, Apple Mail)', () => {
  it('uses nothing those clients would break on', async () => {
    const { folder } = await renderedSampleIssue();
    const html = await readFile(join(folder, 'email.html'), 'utf8');
    const result = doIUseEmail(html, { emailClients: CLIENTS });
    const problems = 'errors' in result && Array.isArray(result.errors) ? (result.errors as string[]) : [];
    const unexpected = problems.filter((problem) => !ACCEPTED.some((accepted) => accepted.pattern.test(problem)));
    expect(unexpected, `caniemail reports:\n${problems.join('\n')}`).toEqual([]);
    expect(result.success || unexpected.length === 0).toBe(true);
  });

  it('the check itself catches what breaks (a control: a layout on flex and a <form>)', () => {
    const broken = '<!doctype html><html><head><style>.row{display:flex;}</style></head><body><div class="row"><form><input></form></div></body></html>';
    const result = doIUseEmail(broken, { emailClients: CLIENTS });
    expect(result.success).toBe(false);
  });
});
