import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../pipeline/cli.ts';
import { loadConfig } from '../../../pipeline/config/niche-config.ts';
import { PACKAGE_ROOT, runCli } from '../../helpers/cli.ts';
import { filesUnder, financeWordingIn } from './written-files.ts';

const FEEDS = join(PACKAGE_ROOT, 'sites/home-espresso/feeds');

/** A project folder holding three feed files, as a user starting a niche would have. */
async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'nichepress-init-'));
  await cp(FEEDS, join(root, 'downloads'), { recursive: true });
  return root;
}

const feedFlags = ['--feed', 'downloads/crema-lab.xml', '--feed', 'downloads/barista-notes.xml', '--feed', 'downloads/portafilter-post.xml'];

describe('nichepress init', () => {
  let root: string;
  beforeEach(async () => {
    root = await project();
  });

  it('writes a commented config and empty folders, and prints the next commands', async () => {
    const result = await runCli(['init', 'sites/crema', '--title', 'Crema Bench', '--url', 'https://cremabench.example', '--language', 'de', ...feedFlags, '--feed', 'https://www.example.org/feed.xml', '--yes'], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('npx nichepress run --config sites/crema/niche.yaml');
    expect(await filesUnder(join(root, 'sites/crema'))).toEqual(['.gitignore', 'niche.yaml']);
    for (const folder of ['articles', 'newsletter', 'social']) expect(await filesUnder(join(root, 'sites/crema', folder))).toEqual([]);

    const text = await readFile(join(root, 'sites/crema/niche.yaml'), 'utf8');
    expect(text).toMatch(/^# /);
    expect(text).toContain('# presets: [finance]');
    const config = await loadConfig({ root, configPath: 'sites/crema/niche.yaml' });
    expect(config.site).toMatchObject({ title: 'Crema Bench', url: 'https://cremabench.example', language: 'de', riskDisclaimer: '' });
    expect(config.presets).toEqual([]);
    // Feed files are written relative to the niche's folder, so the niche can move as a whole.
    expect(config.feeds.map((feed) => feed.url)).toEqual(['../../downloads/crema-lab.xml', '../../downloads/barista-notes.xml', '../../downloads/portafilter-post.xml', 'https://www.example.org/feed.xml']);
    expect(config.feeds[3]?.name).toBe('example.org');
    expect(config.root).toBe(join(root, 'sites/crema'));
    for (const path of Object.values(config.resolved)) expect(path.startsWith(join(root, 'sites/crema/'))).toBe(true);
  });

  it('refuses to overwrite an existing niche, with a code and exit 2', async () => {
    await mkdir(join(root, 'mine'), { recursive: true });
    await writeFile(join(root, 'mine/niche.yaml'), 'site: {}\n');
    const result = await runCli(['init', 'mine', '--title', 'Mine', ...feedFlags, '--yes'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nichepress: mine/niche.yaml already exists: init never overwrites a niche. (NP1008)');
    expect(await readFile(join(root, 'mine/niche.yaml'), 'utf8')).toBe('site: {}\n');
    expect(await filesUnder(join(root, 'mine'))).toEqual(['niche.yaml']);
  });

  it.each([
    [['init', 'x', '--yes'], 'at least one feed'],
    [['init', 'x', '--feed', 'downloads/missing.xml', '--yes'], 'The feed file downloads/missing.xml does not exist.'],
    [['init', 'x', ...feedFlags, '--url', 'cremabench.example', '--yes'], 'site.url: expected the site address as an http(s) URL'],
    [['init', '--yes', ...feedFlags], 'Name the folder for the new niche'],
  ])('explains what is missing and writes nothing: %j', async (args, message) => {
    const before = await filesUnder(root);
    const result = await runCli(args, { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/\(NP100[39]\)/);
    expect(await filesUnder(root)).toEqual(before);
  });

  it('asks at a terminal, with the flags as defaults', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main({
      argv: ['init', 'bench', '--language', 'en-GB'],
      env: {},
      cwd: root,
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
      isTTY: true,
      stdinIsTTY: true,
      stdin: Readable.from(['Crema Bench\n', 'downloads/crema-lab.xml\n', 'downloads/barista-notes.xml\n', '\n', '\n', 'https://cremabench.example\n']),
    });
    expect(code, stderr.join('')).toBe(0);
    expect(stderr.join('')).toContain('Site title [Bench]: ');
    expect(stderr.join('')).toContain('Language code [en-GB]: ');
    const config = await loadConfig({ root, configPath: 'bench/niche.yaml' });
    expect(config.site).toMatchObject({ title: 'Crema Bench', language: 'en-GB', url: 'https://cremabench.example' });
    expect(config.feeds.map((feed) => feed.name)).toEqual(['crema-lab', 'barista-notes']);
    expect(stdout.join('')).toContain('npx nichepress run --config bench/niche.yaml');
  });

  it('names the niche after the folder, also when it is the current one', async () => {
    const here = join(root, 'trail-running');
    await mkdir(here);
    const code = await main({ argv: ['init', '.', '--feed', '../downloads/crema-lab.xml', '--yes'], env: {}, cwd: here, stdout: () => {}, stderr: () => {}, isTTY: false });
    expect(code).toBe(0);
    const config = await loadConfig({ root: here, configPath: 'niche.yaml' });
    expect(config.site).toMatchObject({ title: 'Trail Running', url: 'https://trail-running.example' });
    expect(config.feeds[0]?.url).toBe('../downloads/crema-lab.xml');
  });

  it('asks nothing with --yes, even at a terminal', async () => {
    const stdin = Readable.from(['should not be read\n']);
    const code = await main({ argv: ['init', 'quiet', ...feedFlags, '--yes'], env: {}, cwd: root, stdout: () => {}, stderr: () => {}, isTTY: true, stdinIsTTY: true, stdin });
    expect(code).toBe(0);
    expect((await loadConfig({ root, configPath: 'quiet/niche.yaml' })).site.title).toBe('Quiet');
  });

  it('makes a niche that runs offline end to end and keeps everything it writes in its folder', async () => {
    const made = await runCli(['init', 'sites/crema', '--title', 'Crema Bench', ...feedFlags, '--yes'], { cwd: root });
    expect(made.code, made.stderr).toBe(0);
    // A fixed clock keeps the feeds' dates inside the history window whatever day the test runs.
    const file = join(root, 'sites/crema/niche.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}\nclock: 2026-11-20T09:00:00Z\n`);

    const run = await runCli(['run', '--offline', '--no-build', '--json', '--config', 'sites/crema/niche.yaml'], { cwd: root, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { stages: { stage: string; counts: Record<string, number> }[] };
    expect(report.stages.find((stage) => stage.stage === 'draft')?.counts).toMatchObject({ written: 3, quarantined: 0, failed: 0 });
    expect(report.stages.find((stage) => stage.stage === 'validate')?.counts).toMatchObject({ errors: 0 });

    const written = await filesUnder(root);
    expect(written.filter((path) => !path.startsWith('sites/crema/') && !path.startsWith('downloads/'))).toEqual([]);
    expect(written.filter((path) => path.startsWith('sites/crema/articles/'))).toHaveLength(3);
    const output = written.filter((path) => path.startsWith('sites/crema/') && path !== 'sites/crema/niche.yaml');
    const notYetNeutral = ['fast-moving protocols change terms often', 'Sourced research, not financial advice'];
    expect(await financeWordingIn(root, output, notYetNeutral)).toEqual([]);
  }, 150_000);
});
