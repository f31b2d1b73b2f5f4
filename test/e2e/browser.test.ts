import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, PACKAGE_ROOT, runCli } from '../helpers/cli.ts';
import { serveStatic } from '../helpers/static-server.ts';

/**
 * The built sample site in a real headless Chromium (Debian's, driven by playwright-core).
 * .ci/run installs chromium when missing; on a developer machine without it this file is skipped
 * with a message, but in CI (CI=true) a missing browser is a failure, never a silent skip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}; .ci/run installs Debian's chromium package.`);
if (!available) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const ARTIFACTS = join(PACKAGE_ROOT, 'test/artifacts');

describe.runIf(available)('the sample site in Chromium', () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const root = await copySampleNiche();
    const result = await runCli(['run', '--offline'], { cwd: root, timeoutMs: 300_000 });
    if (result.code !== 0) throw new Error(`nichepress run failed:\n${result.stdout}\n${result.stderr}`);
    site = await serveStatic(join(root, 'dist'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
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
});
