import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts';
import { BIN, PACKAGE_ROOT, copySampleNiche, runCli } from '../helpers/cli.ts';

const PROMISE = '\nThis strategy offers guaranteed returns to everyone who joins.\n';

async function makeDraft(root: string, slug: string, defect = ''): Promise<string> {
  const file = join(root, 'content/articles', `${slug}.md`);
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^draft: false$/m, 'draft: true') + defect);
  return file;
}

/** `nichepress desk --port 0` in its own process; resolves with the URL it prints. */
function startDesk(root: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'desk', '--port', '0'], { cwd: root, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: 'sk-desk-secret-never-shown' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr)?.[0];
      if (url) resolve({ url, child });
    });
    child.on('exit', (code) => reject(new Error(`desk exited ${code}: ${stderr}`)));
  });
}

describe.runIf(chromiumAvailable('desk browser test'))('the desk page in Chromium', { timeout: 120_000 }, () => {
  let root: string;
  let desk: { url: string; child: ChildProcess };
  let browser: Browser;
  let blob: string;

  beforeAll(async () => {
    root = await copySampleNiche();
    const run = await runCli(['run', '--offline', '--no-build'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    blob = await makeDraft(root, 'blob-fees', PROMISE);
    await makeDraft(root, 'lending-rate-caps');
    desk = await startDesk(root);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    desk?.child.kill('SIGTERM');
  });

  it('shows each draft rendered, with its findings marked where they point, and decides with the buttons', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(desk.url);
    expect(await page.locator('article.draft').count()).toBe(2);
    const draft = page.locator('#draft-blob-fees');
    // The finding is listed, and marked on the paragraph that holds the promise.
    await expect.poll(() => draft.locator('.findings li.error').innerText()).toMatch(/compliance\/no-promises .*guaranteed returns/);
    const marked = draft.locator('.body .finding.error');
    expect(await marked.count()).toBe(1);
    expect(await marked.innerText()).toMatch(/guaranteed returns to everyone who joins/);
    await mkdir(join(PACKAGE_ROOT, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: join(PACKAGE_ROOT, 'test/artifacts/desk-1280.png'), fullPage: false });

    // Approve while the error stands: refused, the file stays a draft.
    await draft.getByRole('button', { name: 'Approve and publish' }).click();
    await expect.poll(() => page.locator('.notice.refused').innerText()).toMatch(/still has 1 error-level finding/);
    expect(await readFile(blob, 'utf8')).toMatch(/^draft: true$/m);

    // The editor fixes the file; a reload shows it clean, and Approve publishes it.
    await writeFile(blob, (await readFile(blob, 'utf8')).replace(PROMISE, '\n'));
    await page.goto(desk.url);
    await expect.poll(() => page.locator('#draft-blob-fees .clean').innerText()).toMatch(/ready to publish/);
    await page.locator('#draft-blob-fees').getByRole('button', { name: 'Approve and publish' }).click();
    await expect.poll(() => page.locator('.notice.ok').innerText()).toMatch(/Published content\/articles\/blob-fees\.md/);
    expect(await readFile(blob, 'utf8')).not.toMatch(/^draft:/m);
    expect(await page.locator('article.draft').count()).toBe(1);

    // Reject the other: it leaves the desk and the articles folder.
    await page.locator('#draft-lending-rate-caps').getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.locator('.notice.ok').innerText()).toMatch(/Rejected lending-rate-caps/);
    expect(existsSync(join(root, 'content/articles/lending-rate-caps.md'))).toBe(false);
    expect(existsSync(join(root, 'content/rejected/lending-rate-caps.md'))).toBe(true);
    expect(await page.locator('.empty').innerText()).toMatch(/Nothing waits on the desk/);

    expect(await page.content()).not.toContain('sk-desk-secret');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('refuses a decision posted from another page or with a foreign token', async () => {
    const foreign = await fetch(new URL('/approve', desk.url), { method: 'POST', body: 'slug=blob-fees&token=guess', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(foreign.status).toBe(403);
    // A page on another name that resolves here (DNS rebinding) is not answered. fetch() cannot
    // set Host, so the request is made by node:http.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(desk.url);
      request({ host: url.hostname, port: url.port, path: '/', headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });
});
