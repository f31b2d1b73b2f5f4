import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../pipeline/config/niche-config.ts';
import { NichepressError } from '../../../pipeline/errors/nichepress-error.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';

const sample = await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8');
const root = '/project';
const configFile = '/project/content/niche.yaml';

function errorOf(text: string): NichepressError {
  try {
    parseConfig(text, { root, configFile });
  } catch (error) {
    if (error instanceof NichepressError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('accepts the bundled sample and fills in defaults', () => {
    const config = parseConfig(sample, { root, configFile });
    expect(config.feeds).toHaveLength(4);
    expect(config.affiliates.map((program) => program.id)).toEqual(['ledgerly', 'stakeport', 'taxtrail']);
    expect(config.draft.timeoutMs).toBe(120_000);
    expect(config.resolved.articles).toBe('/project/content/articles');
    expect(config.clock?.toISOString()).toBe('2026-11-01T09:00:00.000Z');
  });

  it('names file, line, column and field for a bad feed URL (NP1003)', () => {
    const text = sample.replace('url: content/feeds/staking-notes.xml', 'url: ftp://feeds.example/staking.xml');
    const error = errorOf(text);
    const line = text.split('\n').findIndex((row) => row.includes('ftp://')) + 1;
    expect(error.code).toBe('NP1003');
    expect(error.format()).toBe(`content/niche.yaml:${line}:5 feeds[2].url: expected an http(s) URL or a file path (NP1003)`);
    expect(error.hint).toMatch(/content\/niche\.yaml/);
  });

  it('reports an unknown key at the key itself, not silently dropped', () => {
    const text = sample.replace('  minSources: 2', '  minSource: 2');
    const error = errorOf(text);
    const line = text.split('\n').findIndex((row) => row.includes('minSource:')) + 1;
    expect(error.location).toEqual({ file: 'content/niche.yaml', line, column: 3 });
    expect(error.message).toContain('trends.minSource: unknown key "minSource"');
  });

  it('reports a wrong type with the field path and no zod dump', () => {
    const error = errorOf(sample.replace('maxArticles: 6', 'maxArticles: many'));
    expect(error.message).toMatch(/^draft\.maxArticles: /);
    expect(error.message).not.toMatch(/"code"|invalid_type|\{/);
  });

  it('accepts a PNG social card and refuses another kind of file at its line', () => {
    expect(parseConfig(sample, { root, configFile }).site.ogImage).toBe('content/og-card.png');
    const text = sample.replace('ogImage: content/og-card.png', 'ogImage: content/og-card.jpg');
    const line = text.split('\n').findIndex((row) => row.includes('og-card.jpg')) + 1;
    expect(errorOf(text).format()).toBe(`content/niche.yaml:${line}:3 site.ogImage: expected the path of a PNG file, like content/og-card.png (NP1003)`);
  });

  it('reports broken YAML with its position (NP1002)', () => {
    const error = errorOf('site:\n  title: "unterminated\nfeeds: []\n');
    expect(error.code).toBe('NP1002');
    expect(error.location?.file).toBe('content/niche.yaml');
    expect(error.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('says where it looked when the config file is missing (NP1001)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'nichepress-config-'));
    await expect(loadConfig({ root: empty })).rejects.toMatchObject({ code: 'NP1001', message: 'No config file at content/niche.yaml.' });
  });

  it('reads a config from another path given with --config', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'nichepress-config-'));
    await writeFile(join(folder, 'other.yaml'), sample);
    const config = await loadConfig({ root: folder, configPath: 'other.yaml' });
    expect(config.configFile).toBe(join(folder, 'other.yaml'));
  });
});

const NEUTRAL = `
site:
  title: Crema Bench
  description: Home espresso, tested and sourced.
  url: https://cremabench.example
  author: Crema Bench
  disclosure: Some links are affiliate links; we may earn a commission at no cost to you.
feeds:
  - name: Bench Notes
    url: feeds/bench-notes.xml
`;

describe('presets', () => {
  it('a niche without a preset needs no risk disclaimer and turns the money rules off', () => {
    const config = parseConfig(NEUTRAL, { root, configFile });
    expect(config.presets).toEqual([]);
    expect(config.site.riskDisclaimer).toBe('');
    expect(config.ymyl).toEqual({ enabled: false, riskSection: false, riskFirst: false, noPromises: false });
    expect(config.voice.financial).toBe(false);
    expect(config.validate.rules).toMatchObject({ 'compliance/ymyl-disclaimer': 'off', 'compliance/no-promises': 'off' });
  });

  it('the finance preset turns on what money topics need; the sample uses it', () => {
    const config = parseConfig(sample, { root, configFile });
    expect(config.presets).toEqual(['finance']);
    expect(config.ymyl).toEqual({ enabled: true, riskSection: true, riskFirst: true, noPromises: true, notice: 'Research, not financial advice.' });
    expect(config.voice.financial).toBe(true);
    expect(config.site.riskDisclaimer).toMatch(/not financial advice/);
    expect(config.validate.rules).toMatchObject({ 'compliance/ymyl-disclaimer': 'error', 'compliance/no-promises': 'error' });
  });

  it('`preset:` works like `presets:`, and the niche’s own settings win over the preset’s', () => {
    const disclaimer = '  author: Crema Bench\n  riskDisclaimer: Prices move; nothing here is advice about what to buy or sell.';
    const text = `preset: finance\n${NEUTRAL.replace('  author: Crema Bench', disclaimer)}`;
    const config = parseConfig(`${text}ymyl:\n  notice: Notes, not advice.\nvalidate:\n  rules:\n    compliance/no-promises: warn\n`, { root, configFile });
    expect(config.presets).toEqual(['finance']);
    expect(config.ymyl.notice).toBe('Notes, not advice.');
    expect(config.ymyl.riskFirst).toBe(true);
    expect(config.validate.rules['compliance/no-promises']).toBe('warn');
    expect(config.validate.rules['compliance/ymyl-disclaimer']).toBe('error');
  });

  it('requires the settings the preset needs, as path: message at the line of the section', () => {
    const text = `presets: [finance]\n${NEUTRAL}`;
    const error = errorOf(text);
    expect(error.code).toBe('NP1003');
    expect(error.message).toMatch(/^site\.riskDisclaimer: the finance preset needs a risk disclaimer/);
    const line = text.split('\n').findIndex((row) => row.startsWith('site:')) + 1;
    expect(error.location).toEqual({ file: 'content/niche.yaml', line, column: 1 });
  });

  it('names the presets there are when one is misspelt', () => {
    const text = `presets: [finanse]\n${NEUTRAL}`;
    expect(errorOf(text).format()).toBe('content/niche.yaml:1:11 presets[0]: expected a preset name: finance (NP1003)');
  });
});

describe('the niche root', () => {
  it('resolves every path against the config file’s folder with `root: .`', () => {
    const config = parseConfig(`root: .\n${NEUTRAL}paths:\n  articles: articles\n  state: state.json\n  outDir: dist\n  cacheDir: .nichepress\n`, {
      root: '/project',
      configFile: '/project/sites/crema/niche.yaml',
    });
    expect(config.root).toBe('/project/sites/crema');
    expect(config.resolved).toEqual({
      articles: '/project/sites/crema/articles',
      state: '/project/sites/crema/state.json',
      outDir: '/project/sites/crema/dist',
      cacheDir: '/project/sites/crema/.nichepress',
    });
  });

  it('keeps the sample’s paths relative to the project root when `root:` is left out', () => {
    const config = parseConfig(sample, { root, configFile });
    expect(config.root).toBe('/project');
    expect(config.resolved.state).toBe('/project/content/state.json');
    expect(config.resolved.outDir).toBe('/project/dist');
  });
});

describe('the risk-section switch', () => {
  it('voice.financial and ymyl.riskSection always agree; the niche’s own voice.financial wins', () => {
    const bySection = parseConfig(`${NEUTRAL}ymyl:\n  riskSection: true\n`, { root, configFile });
    expect([bySection.voice.financial, bySection.ymyl.riskSection]).toEqual([true, true]);
    const byVoice = parseConfig(`${NEUTRAL}voice:\n  financial: true\n`, { root, configFile });
    expect([byVoice.voice.financial, byVoice.ymyl.riskSection]).toEqual([true, true]);
    const off = parseConfig(sample.replace('  tone: sober', '  financial: false\n  tone: sober'), { root, configFile });
    expect([off.voice.financial, off.ymyl.riskSection, off.ymyl.enabled]).toEqual([false, false, true]);
  });
});
