import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load, type CheerioAPI } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMime, type ParsedMessage } from '../../helpers/parse-mime.ts';
import { renderedSampleIssue } from '../../helpers/newsletter-niche.ts';

/**
 * The rendered issue, parsed — not snapshotted: inlined styles, links and their UTM tags,
 * disclosure placement, the text part's links, the .eml headers and the size limit.
 * Needs `juice` (the inliner) and `cheerio` (the parser).
 */
const SITE = 'https://yieldfieldnotes.example';
const PLACEHOLDER = '{{unsubscribe_url}}';

let html: string;
let text: string;
let markdown: string;
let eml: string;
let $: CheerioAPI;
let findings: { severity: string; code?: string; message: string }[];

beforeAll(async () => {
  const issue = await renderedSampleIssue();
  findings = issue.findings;
  html = await readFile(join(issue.folder, 'email.html'), 'utf8');
  text = await readFile(join(issue.folder, 'email.txt'), 'utf8');
  markdown = await readFile(join(issue.folder, 'issue.md'), 'utf8');
  eml = await readFile(join(issue.folder, 'issue.eml'), 'utf8');
  $ = load(html);
});

const hrefs = () => $('a[href]').map((_index, element) => $(element).attr('href')!).get();

describe('email.html', () => {
  it('renders without findings', () => {
    expect(findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('has every style inlined: no stylesheet left but the phone media query', () => {
    const blocks = $('style').map((_index, element) => $(element).text().trim()).get();
    for (const block of blocks) expect(block).toMatch(/^@media[^{]+\{[\s\S]*\}$/);
    expect(blocks.length).toBe(1);
    for (const selector of ['h1', 'h2', '.intro', '.item', '.disclosure', '.footer', '.topbar']) {
      const element = $(selector).first();
      expect(element.length, selector).toBe(1);
      expect(element.attr('style'), selector).toMatch(/font-family|padding|border/);
    }
    expect($('h1').attr('style')).toContain('font-size: 26px');
  });

  it('is a table layout, 600 px wide, with no script and no external CSS', () => {
    expect($('table[role="presentation"]').length).toBeGreaterThanOrEqual(3);
    expect($('table.container').attr('width')).toBe('600');
    expect($('script').length).toBe(0);
    expect($('link[rel="stylesheet"]').length).toBe(0);
    expect(html).not.toMatch(/@import/);
    expect($('[onclick], [onload], [onerror]').length).toBe(0);
  });

  it('stays under 90 KB', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(90 * 1024);
  });

  it('opens with a hidden preheader taken from the intro', () => {
    const preheader = $('body').children().first();
    expect(preheader.attr('style')).toMatch(/display:\s*none/);
    expect(preheader.text()).toContain('Three articles this time: “A research note about plain note”, “A research note about staking dashboards”');
  });

  it('links absolutely everywhere, with the unsubscribe placeholder left for the email service', () => {
    for (const href of hrefs()) {
      if (href === PLACEHOLDER) continue;
      expect(href).toMatch(/^https:\/\/[a-z0-9.-]+\//);
    }
    expect($('a').filter((_index, element) => $(element).text() === 'Unsubscribe').attr('href')).toBe(PLACEHOLDER);
    const view = $('a').filter((_index, element) => $(element).text() === 'View in browser');
    expect(view.attr('href')).toBe(`${SITE}/newsletter/0001/?utm_source=newsletter&utm_medium=email&utm_campaign=issue-1`);
  });

  it('tags own links with UTM parameters for this issue', () => {
    const own = hrefs().filter((href) => href.startsWith(SITE));
    expect(own.length).toBeGreaterThanOrEqual(7);
    for (const href of own) {
      const url = new URL(href);
      expect(url.searchParams.get('utm_source'), href).toBe('newsletter');
      expect(url.searchParams.get('utm_medium'), href).toBe('email');
      expect(url.searchParams.get('utm_campaign'), href).toBe('issue-1');
    }
    for (const slug of ['plain-note', 'staking-dashboards', 'tax-records']) expect(own.some((href) => href.includes(`/articles/${slug}/?`))).toBe(true);
  });

  it('keeps affiliate tracking parameters and an existing utm_source, and marks the links sponsored', () => {
    const sponsored = $('a[rel~="sponsored"]').map((_index, element) => $(element).attr('href')!).get();
    expect(sponsored).toHaveLength(2);
    const stakeport = new URL(sponsored.find((href) => href.includes('stakeport'))!);
    expect(stakeport.searchParams.get('aff')).toBe('yfn-001');
    expect(stakeport.searchParams.get('utm_campaign')).toBe('issue-1');
    const taxtrail = new URL(sponsored.find((href) => href.includes('taxtrail'))!);
    expect(taxtrail.searchParams.get('via')).toBe('yfn');
    expect(taxtrail.searchParams.getAll('utm_source')).toEqual(['yieldfieldnotes']);
    expect(html).toContain('StakePort pays us a referral fee');
  });

  it('shows the affiliate disclosure before the first affiliate link', () => {
    const all = $('*').toArray();
    const disclosure = all.findIndex((element) => $(element).is('.disclosure'));
    const firstSponsored = all.findIndex((element) => $(element).is('a[rel~="sponsored"]'));
    expect(disclosure).toBeGreaterThan(-1);
    expect(firstSponsored).toBeGreaterThan(disclosure);
    expect($('.disclosure').text()).toContain('affiliate links');
    // Each linked program's own words, in the same box, before any of its links.
    expect($('.disclosure').text()).toContain('TaxTrail crypto tax reports: TaxTrail pays us a commission when you buy a report');
    expect($('.disclosure').text()).toContain('StakePort staking dashboard: StakePort pays us a referral fee');
    expect($('.tools').text()).not.toContain('referral fee');
  });
});

describe('email.txt and issue.md', () => {
  it('the text part carries every link of the HTML part, each whole on its own line', () => {
    const lines = text.split('\n');
    for (const href of new Set(hrefs())) {
      expect(lines.some((line) => line.trim().endsWith(href)), href).toBe(true);
    }
  });

  it('the text part discloses before its first affiliate link', () => {
    const disclosure = text.indexOf('Disclosure: Some links');
    expect(disclosure).toBeGreaterThan(-1);
    expect(text.indexOf('stakeport.example')).toBeGreaterThan(disclosure);
    expect(text.indexOf('taxtrail.example')).toBeGreaterThan(disclosure);
    const programDisclosure = text.indexOf('TaxTrail crypto tax reports: TaxTrail pays us a commission');
    expect(programDisclosure).toBeGreaterThan(disclosure);
    expect(text.indexOf('taxtrail.example')).toBeGreaterThan(programDisclosure);
    expect(markdown).toContain('**TaxTrail crypto tax reports:** TaxTrail pays us a commission');
  });

  it('the markdown carries the same links', () => {
    for (const href of new Set(hrefs())) expect(markdown).toContain(`](${href})`);
    expect(markdown.indexOf('> Some links')).toBeLessThan(markdown.indexOf('stakeport.example'));
  });
});

describe('issue.eml', () => {
  let message: ParsedMessage;
  beforeAll(() => {
    message = parseMime(eml);
  });

  it('is multipart/alternative: text first, HTML last, both the rendered files', () => {
    expect(message.headers.get('mime-version')).toBe('1.0');
    expect(message.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(message.parts.map((part) => part.headers.get('content-type'))).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
    expect(message.parts[0]!.body).toBe(text);
    expect(message.parts[1]!.body).toBe(html);
  });

  it('has one-click unsubscribe headers (RFC 2369, RFC 8058) and the sender, subject and date', () => {
    expect(message.headers.get('list-unsubscribe')).toBe(`<${PLACEHOLDER}>`);
    expect(message.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(message.headers.get('list-id')).toBe('Yield Field Notes <newsletter.yieldfieldnotes.example>');
    expect(message.headers.get('from')).toBe('"Yield Field Notes" <newsletter@yieldfieldnotes.example>');
    // Unscored articles: the newest leads, and gives the subject.
    expect(message.headers.get('subject')).toBe('A research note about plain note, and 2 more');
    expect(message.headers.get('date')).toBe('Sun, 01 Nov 2026 09:00:00 +0000');
    expect(message.headers.get('message-id')).toMatch(/^<issue-1\.[0-9a-f]{12}@yieldfieldnotes\.example>$/);
  });
});
