import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/cli.ts';
import { renderedSampleIssue } from '../helpers/newsletter-niche.ts';

/**
 * The rendered email.html in Debian's Chromium at a desktop client's width (600 px) and a
 * phone's (375 px), screenshots kept in test/artifacts/. Skipped without Chromium locally;
 * in CI (CI=true) a missing browser fails, as in browser.test.ts.
 */
const available = chromiumAvailable('email browser tests');

const ARTIFACTS = join(PACKAGE_ROOT, 'test/artifacts');

describe.runIf(available)('email.html in Chromium', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    const { folder } = await renderedSampleIssue();
    file = pathToFileURL(join(folder, 'email.html')).href;
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [600, 375]) {
    it(`lays out at ${width} px without horizontal scrolling, and is screenshotted`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      // Nothing in an email may load from the network.
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(file);
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        container: (document.querySelector('table.container') as HTMLElement).getBoundingClientRect().width,
        preheaderVisible: (document.querySelector('.preheader') as HTMLElement).getBoundingClientRect().height > 0,
        headline: document.querySelector('h1')?.textContent ?? '',
      }));
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.container).toBe(width === 600 ? 600 : 375);
      expect(layout.preheaderVisible).toBe(false);
      expect(layout.headline).toBe('A research note about plain note, and 2 more');
      expect(requests).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `email-${width}.png`), fullPage: true });
      await page.close();
    });
  }
});
