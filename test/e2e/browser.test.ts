import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, PACKAGE_ROOT, runCli } from '../helpers/cli.ts';
import { serveStatic } from '../helpers/static-server.ts';

/**
 * The built sample site in a real headless Chromium (Debian's, driven by playwright-core).
 * .ci/run installs chromium when missing; on a developer machine without it this file is skipped
 * with a message, but in CI (CI=true) a missing browser is a failure, never a silent skip.
 */
const available = chromiumAvailable('browser tests');

const ARTIFACTS = join(PACKAGE_ROOT, 'test/artifacts');

// Browser steps take a second when idle and far longer on a loaded machine: a generous limit, not a timed assertion.
describe.runIf(available)('the sample site in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };
  /** An article with an affiliate link: the page with the most on it (notice, links, form). */
  let affiliateArticle: string;

  beforeAll(async () => {
    const root = await copySampleNiche();
    // Two articles per search bundle: the sample's six are split over three, as a large site's
    // are (site/lib/pagefind-shards.ts), so the searches below go through the merged index.
    const result = await runCli(['run', '--offline'], { cwd: root, timeoutMs: 300_000, env: { NICHEPRESS_SEARCH_SHARD_SIZE: '2' } });
    if (result.code !== 0) throw new Error(`nichepress run failed:\n${result.stdout}\n${result.stderr}`);
    site = await serveStatic(join(root, 'dist'));
    const articles = await readdir(join(root, 'content/articles'));
    const withAffiliate = [];
    for (const name of articles) if (/^affiliates:(?!\s*\[\])/m.test(await readFile(join(root, 'content/articles', name), 'utf8'))) withAffiliate.push(name);
    affiliateArticle = (withAffiliate[0] ?? articles[0]!).replace(/\.md$/, '');
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 320_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('opens the home page, follows a link to an article, and shows the disclosure before the first affiliate link', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/`);
    await expect(page.title()).resolves.toContain('Yield Field Notes');
    const links = page.locator('main a[href^="/articles/"]');
    expect(await links.count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });

    // Open each article until one with an affiliate link: its disclosure must come first.
    const hrefs = await links.evaluateAll((anchors) => [...new Set(anchors.map((anchor) => anchor.getAttribute('href')!))]);
    let checkedAffiliate = false;
    for (const href of hrefs) {
      await page.goto(`${site.url}${href}`);
      await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
      const order = await page.evaluate(() => {
        const disclosure = [...document.querySelectorAll('main *')].find((element) => /affiliate links/i.test(element.textContent ?? '') && element.children.length < 4);
        const affiliate = document.querySelector('main a[rel~="sponsored"]');
        if (!affiliate) return 'no-affiliate';
        if (!disclosure) return 'missing-disclosure';
        return disclosure.compareDocumentPosition(affiliate) & Node.DOCUMENT_POSITION_FOLLOWING ? 'disclosure-first' : 'link-first';
      });
      expect(['no-affiliate', 'disclosure-first']).toContain(order);
      if (order === 'disclosure-first' && !checkedAffiliate) {
        checkedAffiliate = true;
        await page.screenshot({ path: join(ARTIFACTS, 'article-with-affiliate.png'), fullPage: true });
      }
    }
    expect(checkedAffiliate).toBe(true);
    await page.close();
  });

  it('clicks through from the home page like a reader', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/`);
    const first = page.locator('main a[href^="/articles/"]').first();
    const title = (await first.textContent())?.trim();
    await first.click();
    await page.waitForURL(/\/articles\/[a-z0-9-]+\/$/);
    expect((await page.locator('h1').first().textContent())?.trim()).toBe(title);
    await expect(page.locator('main').getByText('not financial advice').count()).resolves.toBeGreaterThan(0);
    await page.close();
  });

  it('searches with Pagefind from the header form and opens a result', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(site.url)) external.push(request.url());
    });
    await page.goto(`${site.url}/`);
    // A word from the newest article's title: it must find that article.
    const title = (await page.locator('main a[href^="/articles/"]').first().textContent())!.trim();
    const word = title.split(/\s+/).filter((candidate) => /^[a-z]{6,}$/i.test(candidate))[0]!;
    await page.locator('#site-search').fill(word);
    await page.locator('#site-search').press('Enter');
    await page.waitForURL(/\/search\/\?q=/);
    const results = page.locator('.pagefind-ui__result-link');
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });
    const href = await results.first().getAttribute('href');
    expect(href).toMatch(/^\/articles\/[a-z0-9-]+\/$/);
    await results.first().click();
    await page.waitForURL(`${site.url}${href}`);
    await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
    // A word every article has finds articles from every bundle, not only the first one's two.
    await page.goto(`${site.url}/search/?q=sources`);
    // The message settles once every bundle has answered; wait for it rather than read it once.
    await page.locator('.pagefind-ui__message', { hasText: /^6 results for sources$/ }).waitFor({ timeout: 30_000 });
    // Results render one by one after the message (each loads its fragment): wait for a third.
    await results.nth(2).waitFor({ timeout: 30_000 });
    // Search is served by the site itself: nothing from the network.
    expect(external).toEqual([]);
    await page.close();
  });

  it('toggles the dark theme, says which theme is on, remembers it across pages, and follows the system setting by default', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.goto(`${site.url}/`);
    const light = await background();
    expect(light).toBe('rgb(251, 250, 247)');
    const toggle = page.locator('#theme-toggle');
    // The switch names the theme in use (visible text) and what a click does (its label).
    await expect(toggle.innerText()).resolves.toBe('Light');
    await expect(toggle.getAttribute('aria-label')).resolves.toBe('Light theme on: switch to dark');
    await toggle.click();
    await expect(toggle.innerText()).resolves.toBe('Dark');
    await expect(toggle.getAttribute('aria-label')).resolves.toBe('Dark theme on: switch to light');
    expect(await background()).toBe('rgb(15, 21, 36)');
    await page.screenshot({ path: join(ARTIFACTS, 'home-dark.png'), fullPage: true });

    // Another page starts dark: the stored choice is applied in <head>, before first paint.
    await page.locator('main a[href^="/articles/"]').first().click();
    await page.waitForURL(/\/articles\//);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).toBe('rgb(15, 21, 36)');
    await expect(toggle.innerText()).resolves.toBe('Dark');
    await page.screenshot({ path: join(ARTIFACTS, 'article-dark.png'), fullPage: true });
    await toggle.click();
    expect(await background()).toBe(light);
    await context.close();

    // Without a stored choice, a reader whose system is dark gets the dark theme.
    const darkContext = await browser.newContext({ colorScheme: 'dark' });
    const darkPage = await darkContext.newPage();
    await darkPage.goto(`${site.url}/`);
    expect(await darkPage.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(15, 21, 36)');
    await expect(darkPage.locator('#theme-toggle').innerText()).resolves.toBe('Dark');
    await darkContext.close();
  });

  // Every kind of page at a phone's width and a laptop's: it must fit (no horizontal scrolling)
  // and log no errors. The screenshots are kept in test/artifacts/ for a person to look at.
  it('fits every kind of page at 390 and 1280 pixels wide, with no console errors', async () => {
    const discover = await browser.newPage();
    await discover.goto(`${site.url}/topics/`);
    const topic = await discover.locator('main a[href^="/topics/"]').first().getAttribute('href');
    await discover.close();
    expect(topic).toMatch(/^\/topics\/[a-z0-9-]+\/$/);
    const pages: Array<[name: string, path: string]> = [
      ['home', '/'],
      ['article', `/articles/${affiliateArticle}/`],
      ['topic', topic!],
      ['search', '/search/?q=sources'],
      ['newsletter', '/newsletter/'],
      ['trends', '/trends/'],
      ['404', '/no-such-page/'],
    ];
    const checked: string[] = [];
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      for (const [name, path] of pages) {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        page.on('console', (message) => {
          // The 404 page is served with status 404, which Chromium logs for the document itself.
          if (message.type() === 'error' && !(name === '404' && /status of 404/.test(message.text()))) errors.push(message.text());
        });
        const response = await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
        expect(response?.status(), path).toBe(name === '404' ? 404 : 200);
        if (name === 'search') await page.locator('.pagefind-ui__result-link').nth(2).waitFor({ timeout: 30_000 });
        // Lazy card images below the fold load once scrolled to; the full-page shot shows them.
        await page.evaluate(() => Promise.all([...document.images].map((image) => ((image.loading = 'eager'), image.decode().catch(() => undefined)))));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${width}px scrolls sideways`).toBe(0);
        expect(await page.locator('h1').count(), `${name} has one h1`).toBe(1);
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
        expect(errors, `${name} at ${width}px`).toEqual([]);
        checked.push(`${name}@${width}`);
        await page.close();
      }
      await context.close();
    }
    expect(checked).toHaveLength(14);
  });
});
