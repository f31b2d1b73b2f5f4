import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
import { buildSite, failureReason, type BuildResult } from '../../pipeline/site-build/build-site.ts';

/**
 * Builds the fixture niche (test/fixtures/site) with the real Astro, in a child process, and
 * checks the HTML it wrote. The fixture has one published article (with a StakePort affiliate
 * link), one draft and one dated after the config's clock.
 */

const fixture = new URL('../fixtures/site/', import.meta.url).pathname;
const BUILD_TIMEOUT = 180_000;

const published = 'liquid-staking-discounts-explained';
const draft = 'restaking-points-programs';
const future = 'layer-two-sequencer-fees';
/** Written by the tests: untrusted markup in the body, and a link to a cloakable program. */
const hostile = 'validator-keys-hostile-markup';

/**
 * An article whose body tries every trick a feed or a model could smuggle in. It is otherwise
 * valid, so it is published, and shares the `staking` tag with the fixture's article (a hub).
 */
const HOSTILE_ARTICLE = `---
title: Validator key hygiene for solo stakers, and the traps to avoid
description: How solo stakers keep validator and withdrawal keys apart, why a hardware wallet helps, and which shortcuts cost people their stake.
publishedAt: 2026-10-29T07:00:00Z
tags: [staking, security]
sources:
  - title: Liquid staking tokens drift below peg during exit queue spike
    url: https://staking-notes.example/2026/10/lst-discount
  - title: Validator exit queue reaches a six-month high
    url: https://defi-ledger.example/news/exit-queue-high
affiliates: [ledgerly]
generator: human
---

Keep the withdrawal key offline, for example on a [hardware wallet](https://shop.ledgerly.example/?ref=yieldfieldnotes).

<script>window.pwned = 'script-ran'</script>

<img src="x" onerror="window.pwned='onerror-ran'">

A [harmless looking link](javascript:window.pwned='link-ran') and an ![image](javascript:alert-image).

<iframe src="https://evil.example/frame"></iframe>

<a href="https://evil.example/" onclick="window.pwned='onclick-ran'">raw anchor</a> and <svg onload="window.pwned='svg-ran'"></svg>

Deep links stay direct: [Ledgerly shop](https://shop.ledgerly.example/wallets?ref=yieldfieldnotes).
`;

async function copyFixture(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(fixture, dir, { recursive: true });
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The records of a written Pagefind index (gzip files that start with `pagefind_dcd`). */
async function pagefindFragments(folder: string): Promise<Array<{ url: string; content: string }>> {
  const names = await readdir(join(folder, 'fragment'));
  return Promise.all(
    names.map(async (name) => JSON.parse(gunzipSync(await readFile(join(folder, 'fragment', name))).toString('utf8').replace(/^pagefind_dcd/, '')) as { url: string; content: string }),
  );
}

function articleLinks(html: string): string[] {
  return [...html.matchAll(/href="(\/articles\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('buildSite on the fixture niche', () => {
  let root: string;
  let config: ResolvedConfig;
  let result: BuildResult;
  const log: string[] = [];
  const page = (path: string) => readFile(join(config.resolved.outDir, path), 'utf8');

  beforeAll(async () => {
    root = await copyFixture('nichepress-site-');
    // A draft the pipeline kept aside because it failed validation: it must not break the build.
    await writeFile(
      join(root, 'content/articles/quarantined-draft.md'),
      '---\ntitle: Too short\ndescription: short\npublishedAt: 2026-10-01\ndraft: true\ngenerator: extractive\n---\n\nBody.\n',
    );
    await writeFile(join(root, `content/articles/${hostile}.md`), HOSTILE_ARTICLE);
    config = await loadConfig({ root });
    // One article per search bundle: the two articles are indexed as a large site's are, in shards.
    process.env.NICHEPRESS_SEARCH_SHARD_SIZE = '1';
    try {
      result = await buildSite(config, { log: (line) => log.push(line) });
    } finally {
      delete process.env.NICHEPRESS_SEARCH_SHARD_SIZE;
    }
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('succeeds and counts the pages it wrote', () => {
    expect(result.findings, log.join('\n')).toEqual([]);
    expect(result.ok).toBe(true);
    // home, about, affiliate disclosure, privacy, trends, search, the newsletter archive (no issue
    // yet), the archive, the topics index; one topic page (staking, the only tag with two
    // articles — single-article tags get no page); /go/ledgerly/ (the one program with cloak:
    // true); the two published articles. 404.html is not an index.html.
    expect(result.pages).toBe(9 + 1 + 1 + 2);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(config.resolved.outDir.startsWith(root)).toBe(true);
  });

  it('moves the staged site into place and cleans up', async () => {
    expect((await readdir(root)).filter((name) => name.startsWith('dist.'))).toEqual([]);
    expect(await exists(join(config.resolved.outDir, '.prerender'))).toBe(false);
  });

  it('lists only the published article on the home page', async () => {
    const html = await page('index.html');
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('<title>Yield Field Notes</title>');
    expect(html).toContain('<link rel="canonical" href="https://yieldfieldnotes.example/">');
    expect(articleLinks(html)).toEqual([`/articles/${hostile}/`, `/articles/${published}/`]);
    expect(html).toContain('Why liquid staking tokens trade below their peg');
    expect(html).toContain('datetime="2026-10-28T07:00:00.000Z"');
    expect(html).not.toContain('<script type="module"');
  });

  it('builds the published article with the disclosure before the first affiliate link', async () => {
    const html = await page(`articles/${published}/index.html`);
    const disclosure = html.indexOf('Some links on this page are affiliate links');
    const firstAffiliateLink = html.indexOf('href="https://stakeport.example/');
    expect(disclosure).toBeGreaterThan(-1);
    expect(firstAffiliateLink).toBeGreaterThan(-1);
    expect(disclosure).toBeLessThan(firstAffiliateLink);
    // The affiliate link is marked as paid; the program's own statement is shown.
    expect(html).toMatch(/<a href="https:\/\/stakeport\.example\/signup\?aff=yfn-001" rel="sponsored nofollow noopener">/);
    expect(html).toContain('StakePort pays us a referral fee for accounts opened through our links.');
  });

  it('shows the risk disclaimer, takeaways, FAQ, sources and provenance on the article', async () => {
    const html = await page(`articles/${published}/index.html`);
    expect(html).toContain('This is research, not financial advice.');
    expect(html).toContain('Key takeaways');
    expect(html).toContain('Is a discount the same as a loss?');
    expect(html).toMatch(/<a href="https:\/\/staking-notes\.example\/2026\/10\/lst-discount" rel="noopener">Liquid staking tokens drift below peg/);
    expect(html).toContain('Generated by the extractive digest (no language model)');
    expect(html).toContain('min read');
    expect(html).toContain(`<link rel="canonical" href="https://yieldfieldnotes.example/articles/${published}/">`);
    // The body's markdown was rendered (headings, lists).
    expect(html).toContain('<h2 id="where-the-discount-comes-from">Where the discount comes from</h2>');
    expect(html).toContain('<ol>');
  });

  it('builds no page for the draft or the future-dated article', async () => {
    expect(await exists(join(config.resolved.outDir, 'articles', draft))).toBe(false);
    expect(await exists(join(config.resolved.outDir, 'articles', future))).toBe(false);
    expect(await exists(join(config.resolved.outDir, 'articles', 'quarantined-draft'))).toBe(false);
    for (const file of ['index.html', 'about/index.html', 'affiliate-disclosure/index.html', '404.html']) {
      const html = await page(file);
      expect(html).not.toContain(draft);
      expect(html).not.toContain(future);
    }
  });

  it('renders untrusted markup without scripts, event handlers, iframes or javascript: URLs', async () => {
    const html = await page(`articles/${hostile}/index.html`);
    const $ = cheerio.load(html);
    const body = $('.prose');
    expect(body.text()).toContain('Keep the withdrawal key offline');
    expect(body.text()).toContain('harmless looking link');
    expect(body.find('script, iframe, svg, object, embed, style').length).toBe(0);
    for (const element of body.find('*').toArray()) {
      for (const name of Object.keys((element as { attribs?: Record<string, string> }).attribs ?? {})) expect(name).not.toMatch(/^on/i);
    }
    expect(body.html()).not.toMatch(/javascript:|pwned|evil\.example/i);
    // The only scripts on the page are our own: the theme scripts and the JSON-LD.
    const scripts = $('script').toArray().map((element) => $(element).attr('type') ?? $(element).html()!);
    expect(scripts).toEqual([expect.stringContaining('np-theme'), 'application/ld+json', expect.stringContaining('theme-toggle')]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toContain('javascript:');
  });

  it('sends the tracked link of a cloakable program through /go/<id>/, marked as paid', async () => {
    const $ = cheerio.load(await page(`articles/${hostile}/index.html`));
    const cloaked = $('.prose a[href="/go/ledgerly/"]');
    expect(cloaked.length).toBe(1);
    expect(cloaked.attr('rel')).toBe('sponsored nofollow noopener');
    // A deep link to another merchant page stays direct (the redirect only knows the base link).
    expect($('.prose a[href^="https://shop.ledgerly.example/wallets"]').attr('rel')).toBe('sponsored nofollow noopener');
    // The disclosure comes first.
    const text = $('main').html()!;
    expect(text.indexOf('Some links on this page are affiliate links')).toBeLessThan(text.indexOf('href="/go/ledgerly/"'));

    const go = await page('go/ledgerly/index.html');
    expect(go).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(go).toContain('<meta http-equiv="refresh" content="0; url=https://shop.ledgerly.example/?ref=yieldfieldnotes">');
    // Programs that forbid cloaking get no redirect page.
    expect(await exists(join(config.resolved.outDir, 'go/stakeport'))).toBe(false);
  });

  it('writes robots.txt that keeps crawlers out of /go/ and /trends/ and names the sitemap', async () => {
    const robots = await page('robots.txt');
    expect(robots.split('\n')).toEqual(expect.arrayContaining(['User-agent: *', 'Disallow: /go/', 'Disallow: /trends/', 'Sitemap: https://yieldfieldnotes.example/sitemap-index.xml']));
  });

  it('lists exactly the public pages in the sitemap: no draft, future article, /go/, /trends/, /search/ or 404', async () => {
    const index = cheerio.load(await page('sitemap-index.xml'), { xml: true });
    const sitemaps = index('sitemap > loc').toArray().map((element) => index(element).text());
    expect(sitemaps).toEqual(['https://yieldfieldnotes.example/sitemap-0.xml']);
    const $ = cheerio.load(await page('sitemap-0.xml'), { xml: true });
    const paths = $('url > loc').toArray().map((element) => new URL($(element).text()).pathname).sort();
    expect(paths).toEqual(
      [
        '/',
        '/about/',
        '/affiliate-disclosure/',
        '/archive/',
        `/articles/${published}/`,
        `/articles/${hostile}/`,
        '/newsletter/',
        '/privacy/',
        '/topics/',
        '/topics/staking/',
      ].sort(),
    );
    // Articles carry their last change (updatedAt, else publishedAt); other pages no date.
    const lastmod = Object.fromEntries($('url').toArray().map((element) => [new URL($(element).find('loc').text()).pathname, $(element).find('lastmod').text()]));
    expect(lastmod[`/articles/${published}/`]).toBe('2026-10-30T10:30:00.000Z');
    expect(lastmod[`/articles/${hostile}/`]).toBe('2026-10-29T07:00:00.000Z');
    expect(lastmod['/about/']).toBe('');
  });

  it('publishes an RSS feed of the published articles that a feed reader parses', async () => {
    const feed = await new Parser().parseString(await page('rss.xml'));
    expect(feed.title).toBe('Yield Field Notes');
    expect(feed.items.map((item) => item.link)).toEqual([
      `https://yieldfieldnotes.example/articles/${hostile}/`,
      `https://yieldfieldnotes.example/articles/${published}/`,
    ]);
    expect(feed.items[1]?.isoDate).toBe('2026-10-28T07:00:00.000Z');
    expect(feed.items[1]?.categories).toEqual(['liquid-staking', 'staking', 'risk']);
    expect(await page('index.html')).toContain('<link rel="alternate" type="application/rss+xml" title="Yield Field Notes" href="/rss.xml">');
  });

  it('gives the article Article, BreadcrumbList and FAQPage JSON-LD, and social cards', async () => {
    const $ = cheerio.load(await page(`articles/${published}/index.html`));
    const scripts = $('script[type="application/ld+json"]').toArray();
    expect(scripts).toHaveLength(1);
    const graph = JSON.parse($(scripts[0]).html()!) as Array<Record<string, unknown>>;
    expect(graph.map((node) => node['@type'])).toEqual(['Article', 'BreadcrumbList', 'FAQPage']);
    for (const node of graph) expect(node['@context']).toBe('https://schema.org');
    const [article, breadcrumbs, faq] = graph as [Record<string, unknown>, { itemListElement: Array<Record<string, unknown>> }, { mainEntity: Array<Record<string, unknown>> }];
    expect(article).toMatchObject({
      headline: 'Why liquid staking tokens trade below their peg, and what it costs you',
      datePublished: '2026-10-28T07:00:00.000Z',
      dateModified: '2026-10-30T10:30:00.000Z',
      mainEntityOfPage: `https://yieldfieldnotes.example/articles/${published}/`,
    });
    expect(article.image).toBe(`https://yieldfieldnotes.example/cards/${published}.png`);
    expect(breadcrumbs.itemListElement.map((item) => [item.position, item.item])).toEqual([
      [1, 'https://yieldfieldnotes.example/'],
      [2, 'https://yieldfieldnotes.example/topics/staking/'],
      [3, `https://yieldfieldnotes.example/articles/${published}/`],
    ]);
    expect(faq.mainEntity).toHaveLength(2);
    expect(faq.mainEntity[0]).toMatchObject({ '@type': 'Question', name: 'Is a discount the same as a loss?', acceptedAnswer: { '@type': 'Answer' } });
    // The article's own card was drawn: a 1200×630 PNG (IHDR width and height), described by its title.
    const image = $('meta[property="og:image"]').attr('content')!;
    expect(image).toBe(`https://yieldfieldnotes.example/cards/${published}.png`);
    const png = await readFile(join(config.resolved.outDir, new URL(image).pathname));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    expect($('meta[property="og:image:alt"]').attr('content')).toBe('Why liquid staking tokens trade below their peg, and what it costs you');
    // Cached by content for the next build: one card per published article.
    expect((await readdir(join(config.resolved.cacheDir, 'article-cards'))).filter((name) => name.endsWith('.png'))).toHaveLength(2);
    expect(log.join('\n')).toContain('2 article cards (2 drawn, 0 from the cache)');
    expect($('meta[name="twitter:card"]').attr('content')).toBe('summary_large_image');
    expect($('meta[property="og:type"]').attr('content')).toBe('article');
  });

  it('has no FAQPage JSON-LD on an article without a FAQ, and parseable JSON-LD on every page', async () => {
    const files = (await readdir(config.resolved.outDir, { recursive: true })).filter((file) => file.endsWith('.html'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const $ = cheerio.load(await page(file));
      for (const element of $('script[type="application/ld+json"]').toArray()) {
        const data = JSON.parse($(element).html()!) as unknown;
        for (const node of [data].flat() as Array<Record<string, unknown>>) {
          expect(node['@context'], file).toBe('https://schema.org');
          expect(typeof node['@type'], file).toBe('string');
        }
      }
    }
    const hostilePage = cheerio.load(await page(`articles/${hostile}/index.html`));
    const types = (JSON.parse(hostilePage('script[type="application/ld+json"]').html()!) as Array<{ '@type': string }>).map((node) => node['@type']);
    expect(types).toEqual(['Article', 'BreadcrumbList']);
  });

  it('builds one page per topic with several articles, none for single-article tags, and links related articles', async () => {
    const hub = cheerio.load(await page('topics/staking/index.html'));
    expect(hub('h1').text()).toBe('Staking');
    expect(articleLinks(hub('main').html()!)).toEqual([`/articles/${hostile}/`, `/articles/${published}/`]);
    // A tag with a single article gets no page at all, under either address.
    expect(await exists(join(config.resolved.outDir, 'topics/security'))).toBe(false);
    expect(await exists(join(config.resolved.outDir, 'tags'))).toBe(false);
    expect(await page('index.html')).toContain('href="/topics/staking/"');

    const article = cheerio.load(await page(`articles/${published}/index.html`));
    expect(article('.related a').toArray().map((element) => article(element).attr('href'))).toEqual([`/articles/${hostile}/`]);
    // Only the tag with a page is a link; the others are shown as plain labels.
    expect(article('.article-footer a[rel="tag"]').toArray().map((element) => article(element).attr('href'))).toEqual(['/topics/staking/']);
    expect(article('.article-footer .chip').toArray().map((element) => article(element).text().trim())).toEqual(['Liquid staking', 'Staking', 'Risk']);
  });

  it('shows each linked program\'s own disclosure with the site\'s, before the body, and on the disclosure page', async () => {
    const $ = cheerio.load(await page(`articles/${hostile}/index.html`));
    const notice = $('main .notice');
    expect(notice.length).toBe(1);
    expect(notice.find('[data-program="ledgerly"]').text()).toContain('Ledgerly pays us a commission on wallets');
    const html = $('main').html()!;
    expect(html.indexOf('Ledgerly pays us a commission')).toBeLessThan(html.indexOf('rel="sponsored'));
    // The StakePort article carries StakePort's statement, not Ledgerly's disclosure.
    const other = cheerio.load(await page(`articles/${published}/index.html`));
    expect(other('main .notice [data-program="stakeport"]').text()).toContain('StakePort pays us a referral fee');
    expect(other('main .notice').text()).not.toContain('Ledgerly pays us');
    const disclosurePage = cheerio.load(await page('affiliate-disclosure/index.html'));
    expect(disclosurePage('[data-program-disclosure="ledgerly"]').text()).toContain('Ledgerly pays us a commission');
    expect(disclosurePage('[data-program-statement="stakeport"]').text()).toContain('StakePort pays us a referral fee');
  });

  it('has no subscribe form and no money wording in the chrome when the niche configures neither', async () => {
    for (const path of ['index.html', `articles/${published}/index.html`, 'newsletter/index.html']) {
      const $ = cheerio.load(await page(path));
      expect($('form.subscribe, .subscribe form').length, path).toBe(0);
      expect($('header, footer').text(), path).not.toMatch(/financial|crypto|invest/i);
    }
  });

  it('writes a Pagefind index of the articles only, in shards, and a search page that loads it from the site', async () => {
    // Two bundles of one article each; the first lists the other for the search page to merge.
    expect(JSON.parse(await page('pagefind/nichepress-shards.json'))).toEqual({ bundles: ['/pagefind-2/'] });
    for (const bundle of ['pagefind', 'pagefind-2']) {
      const entry = JSON.parse(await page(`${bundle}/pagefind-entry.json`)) as { languages: Record<string, { page_count: number }> };
      expect(Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0)).toBe(1);
    }
    expect(await exists(join(config.resolved.outDir, 'pagefind/pagefind-ui.js'))).toBe(true);
    // Indexed from the sources while Astro rendered, and the URLs matched the pages built.
    expect(log.join('\n')).toContain('Pagefind indexed 2 articles (from their sources, during the build).');
    const fragments = [...(await pagefindFragments(join(config.resolved.outDir, 'pagefind'))), ...(await pagefindFragments(join(config.resolved.outDir, 'pagefind-2')))];
    expect(fragments.map((fragment) => fragment.url).sort()).toEqual([`/articles/${published}/`, `/articles/${hostile}/`]);
    const hostileText = fragments.find((fragment) => fragment.url.includes(hostile))!.content;
    expect(hostileText).toContain('raw anchor');
    expect(hostileText).not.toMatch(/[<>]|pwned|javascript:|onerror/);
    const search = await page('search/index.html');
    expect(search).toContain('<script src="/pagefind/pagefind-ui.js" defer></script>');
    expect(search).toContain('<link rel="stylesheet" href="/pagefind/pagefind-ui.css">');
    expect(search).toContain('<meta name="robots" content="noindex">');
    // Nothing loaded from the network: every script and stylesheet is served by the site.
    const $ = cheerio.load(search);
    const loaded = [...$('script[src]').toArray().map((element) => $(element).attr('src')!), ...$('link[rel="stylesheet"]').toArray().map((element) => $(element).attr('href')!)];
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    for (const url of loaded) expect(url).toMatch(/^\/(?!\/)/);
  });

  it('writes ads.txt without sellers and no ad slot while ads are off (the default)', async () => {
    expect(await page('ads.txt')).not.toMatch(/^[^#]/m);
    expect(await page(`articles/${published}/index.html`)).not.toContain('adsbygoogle');
  });

  it('builds the privacy page and links it from every page', async () => {
    expect(await page('privacy/index.html')).toContain('This site shows no ads.');
    expect(await page('index.html')).toContain('href="/privacy/"');
  });

  it('builds the 404, about and affiliate disclosure pages', async () => {
    expect(await page('404.html')).toContain('Page not found');
    expect(await page('about/index.html')).toContain('About Yield Field Notes');
    const disclosurePage = await page('affiliate-disclosure/index.html');
    expect(disclosurePage).toContain('StakePort staking dashboard');
    expect(disclosurePage).toContain('Ledgerly hardware wallet');
  });
});

describe('buildSite with ads, a social card, a subscribe form and a contact configured', () => {
  let root: string;
  let config: ResolvedConfig;
  let result: BuildResult;
  const page = (path: string) => readFile(join(config.resolved.outDir, path), 'utf8');

  beforeAll(async () => {
    root = await copyFixture('nichepress-site-ads-');
    const yaml = await readFile(join(root, 'content/niche.yaml'), 'utf8');
    const ads = [
      'ads:',
      '  enabled: true',
      '  client: ca-pub-1234567890123456',
      '  slots: { inArticle: "9876543210" }',
      '  afterParagraph: 2',
      '  adsTxt: ["exchange.example, 42, RESELLER"]',
      'newsletter:',
      '  subscribe:',
      '    action: https://buttondown.example/api/emails/embed-subscribe/yfn',
      '    hidden: { tag: site }',
      '',
    ].join('\n');
    // The niche's own social card, set in the same config.
    await cp(new URL('../../content/og-card.png', import.meta.url).pathname, join(root, 'content/card.png'));
    const withCard = yaml.replace(/^site:\n/m, 'site:\n  ogImage: content/card.png\n  contact: mailto:hello@yieldfieldnotes.example\n');
    await writeFile(join(root, 'content/niche.yaml'), `${withCard}\n${ads}`);
    config = await loadConfig({ root });
    result = await buildSite(config);
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('places one labelled ad after the second paragraph of the body, below the disclosure', async () => {
    expect(result.findings).toEqual([]);
    const $ = cheerio.load(await page(`articles/${published}/index.html`));
    const slot = $('.prose > .ad-slot');
    expect(slot.length).toBe(1);
    expect(slot.find('ins.adsbygoogle').attr('data-ad-client')).toBe('ca-pub-1234567890123456');
    expect(slot.find('ins.adsbygoogle').attr('data-ad-slot')).toBe('9876543210');
    expect(slot.prevAll('p').length).toBe(2);
    const html = $('main').html()!;
    expect(html.indexOf('Some links on this page are affiliate links')).toBeLessThan(html.indexOf('ad-slot'));
  });

  it('serves the configured social card as /og.png for the site\'s pages; articles keep their own card', async () => {
    const card = await readFile(join(config.resolved.outDir, 'og.png'));
    expect(card.equals(await readFile(join(root, 'content/card.png')))).toBe(true);
    for (const [path, image] of [
      ['index.html', 'https://yieldfieldnotes.example/og.png'],
      ['about/index.html', 'https://yieldfieldnotes.example/og.png'],
      [`articles/${published}/index.html`, `https://yieldfieldnotes.example/cards/${published}.png`],
    ] as const) {
      const $ = cheerio.load(await page(path));
      expect($('meta[property="og:image"]').attr('content'), path).toBe(image);
      expect([$('meta[property="og:image:width"]').attr('content'), $('meta[property="og:image:height"]').attr('content')]).toEqual(['1200', '630']);
      expect($('meta[name="twitter:image"]').attr('content')).toBe(image);
    }
  });

  it('puts the subscribe form on the home page, after each article and on /newsletter/, posting to the service', async () => {
    for (const path of ['index.html', `articles/${published}/index.html`, 'newsletter/index.html']) {
      const $ = cheerio.load(await page(path));
      const form = $('.subscribe form');
      expect(form.length, path).toBe(1);
      expect(form.attr('action')).toBe('https://buttondown.example/api/emails/embed-subscribe/yfn');
      expect(form.attr('method')).toBe('post');
      expect(form.find('input[type="email"]').attr('name')).toBe('email');
      expect(form.find('input[type="hidden"][name="tag"]').attr('value')).toBe('site');
      expect($(`label[for="${form.find('input[type="email"]').attr('id')}"]`).length).toBe(1);
    }
    const privacy = cheerio.load(await page('privacy/index.html'));
    expect(privacy('main').text()).toContain('buttondown.example');
    expect(privacy('main a[href="mailto:hello@yieldfieldnotes.example"]').length).toBe(1);
  });

  it('writes ads.txt from the config', async () => {
    expect((await page('ads.txt')).split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([
      'google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0',
      'exchange.example, 42, RESELLER',
    ]);
  });
});

describe('buildSite again: cached article bodies and the exact search path', () => {
  let root: string;
  let config: ResolvedConfig;
  const bodies = () => join(config.resolved.cacheDir, 'astro', 'nichepress-article-bodies');
  const prose = async () => cheerio.load(await readFile(join(config.resolved.outDir, `articles/${published}/index.html`), 'utf8'))('.prose').html()!;

  beforeAll(async () => {
    root = await copyFixture('nichepress-site-rebuild-');
    config = await loadConfig({ root });
  });

  afterAll(async () => {
    delete process.env.NICHEPRESS_SEARCH_INDEX;
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps rendered bodies out of the data store, renders them again when they are gone, and drops stale ones', async () => {
    const packed = async () => {
      const names = (await readdir(bodies())).sort();
      const index = JSON.parse(await readFile(join(bodies(), 'index.json'), 'utf8')) as { pack: string; bodies: Record<string, unknown> };
      return { names, index };
    };
    const firstLog: string[] = [];
    const first = await buildSite(config, { log: (line) => firstLog.push(line) });
    expect(first.findings).toEqual([]);
    expect(firstLog.join('\n')).toContain('1 article cards (1 drawn, 0 from the cache)');
    const firstProse = await prose();
    expect(firstProse).toContain('<h2');
    // One pack with a body per rendered article (the published and the future-dated one; the
    // draft is never rendered), and its index.
    const afterFirst = await packed();
    expect(afterFirst.names).toEqual([afterFirst.index.pack, 'index.json'].sort());
    expect(Object.keys(afterFirst.index.bodies)).toHaveLength(2);
    const store = await readFile(join(config.resolved.cacheDir, 'astro', 'data-store.json'), 'utf8');
    expect(store).not.toContain(firstProse.slice(0, 200));

    // The bodies are lost (a cache cleaned by hand); the data store still lists the entries.
    await rm(bodies(), { recursive: true });
    process.env.NICHEPRESS_SEARCH_INDEX = 'pages';
    const log: string[] = [];
    const second = await buildSite(config, { log: (line) => log.push(line) });
    delete process.env.NICHEPRESS_SEARCH_INDEX;
    expect(second.findings).toEqual([]);
    // The card of the unchanged article is not drawn again, and the rebuilt site still has it.
    expect(log.join('\n')).toContain('1 article cards (0 drawn, 1 from the cache)');
    expect((await readFile(join(config.resolved.outDir, `cards/${published}.png`))).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(await prose()).toBe(firstProse);
    expect(Object.keys((await packed()).index.bodies)).toHaveLength(2);
    expect(log.join('\n')).toContain('Indexing the built article pages instead of the sources');
    const entry = JSON.parse(await readFile(join(config.resolved.outDir, 'pagefind/pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    expect(Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0)).toBe(1);

    // An edited article gets its new body; the unchanged one is carried over; the old pack goes.
    const beforeEdit = await packed();
    const file = join(root, `content/articles/${published}.md`);
    await writeFile(file, `${await readFile(file, 'utf8')}\nA sentence added by hand after the first build.\n`);
    const third = await buildSite(config);
    expect(third.findings).toEqual([]);
    expect(await prose()).toContain('A sentence added by hand after the first build.');
    const afterEdit = await packed();
    expect(afterEdit.names).toEqual([afterEdit.index.pack, 'index.json'].sort());
    expect(afterEdit.index.pack).not.toBe(beforeEdit.index.pack);
    const kept = Object.keys(afterEdit.index.bodies).filter((digest) => digest in beforeEdit.index.bodies);
    expect([Object.keys(afterEdit.index.bodies).length, kept.length]).toEqual([2, 1]);

    // Nothing changed since: the search bundle is taken from the cache, not indexed again. The
    // staging folder a killed build left behind is cleaned up.
    const stale = join(config.resolved.cacheDir, 'astro', 'search-index-999999');
    await mkdir(join(stale, 'pagefind'), { recursive: true });
    const fourthLog: string[] = [];
    const fourth = await buildSite(config, { log: (line) => fourthLog.push(line) });
    expect(fourth.findings).toEqual([]);
    expect(fourthLog.join('\n')).toContain('Pagefind indexed 1 article (from their sources, during the build, 1 of 1 bundles unchanged since the last build).');
    expect(JSON.parse(await readFile(join(config.resolved.outDir, 'pagefind/pagefind-entry.json'), 'utf8'))).toMatchObject({ languages: { en: { page_count: 1 } } });
    expect(await exists(stale)).toBe(false);
  }, BUILD_TIMEOUT * 4);
});

describe('buildSite when an article is invalid', () => {
  let root: string;
  let result: BuildResult;

  beforeAll(async () => {
    root = await copyFixture('nichepress-site-broken-');
    await writeFile(
      join(root, 'content/articles/broken.md'),
      '---\ntitle: Too short\ndescription: Also far too short.\npublishedAt: 2026-10-01\ngenerator: extractive\n---\n\nBody.\n',
    );
    // The site a previous build left: a failed build must not destroy it.
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'dist/index.html'), '<p>previous site</p>');
    result = await buildSite(await loadConfig({ root }));
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('fails with one NP7001 finding that names the article and has no stack trace', () => {
    expect(result.ok).toBe(false);
    expect(result.pages).toBe(0);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding?.code).toBe('NP7001');
    expect(finding?.severity).toBe('error');
    expect(finding?.file).toBe('content/articles/broken.md');
    expect(finding?.message).toContain('title: the title is too short');
    expect(finding?.message).not.toMatch(/^\s*at\s/m);
  });

  it('leaves the previous site in place and no staging folder behind', async () => {
    expect(await readFile(join(root, 'dist/index.html'), 'utf8')).toBe('<p>previous site</p>');
    expect((await readdir(root)).filter((name) => name.startsWith('dist.'))).toEqual([]);
  });
});

describe('buildSite with a social card that is missing', () => {
  it('fails with one NP7001 finding that names the setting, the file and the fix', async () => {
    const root = await copyFixture('nichepress-site-card-');
    try {
      const yaml = await readFile(join(root, 'content/niche.yaml'), 'utf8');
      await writeFile(join(root, 'content/niche.yaml'), yaml.replace(/^site:\n/m, 'site:\n  ogImage: content/missing-card.png\n'));
      const result = await buildSite(await loadConfig({ root }));
      expect(result.ok).toBe(false);
      expect(result.findings).toHaveLength(1);
      expect(result.findings[0]?.code).toBe('NP7001');
      expect(result.findings[0]?.message).toContain('site.ogImage: content/missing-card.png was not found');
      expect(result.findings[0]?.message).toContain('remove the setting to use the default card');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, BUILD_TIMEOUT);
});

describe('failureReason', () => {
  it('keeps the message and its cause, and drops hints, locations and stack frames', () => {
    const reason = failureReason([
      '12:00:00 [content] Syncing content',
      '[GenerateContentTypesError] `astro sync` command failed to generate content collection types: boom',
      '  Hint:',
      '    Check your content config file for typos.',
      '  Location:',
      '    /x/node_modules/astro/dist/core/sync/index.js:256:11',
      '  Stack trace:',
      '    at syncContentCollections (file:///x/index.js:256:11)',
      '  Caused by:',
      '  Cannot find module foo',
      '    at fetchModule (file:///x/node.js:1:1)',
    ]);
    expect(reason).toBe(
      '[GenerateContentTypesError] `astro sync` command failed to generate content collection types: boom\nCaused by:\nCannot find module foo',
    );
  });

  it('falls back to the last lines of output', () => {
    expect(failureReason(['\u001b[31mSomething odd happened\u001b[39m', '    at x (y.js:1:1)'])).toBe('Something odd happened');
  });
});
