import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type ResolvedConfig } from '../../../pipeline/config/niche-config.ts';
import { defaultDetectLanguage } from '../../../pipeline/validate/language-detector.ts';
import { buildDuplicateArchive } from '../../../pipeline/validate/near-duplicates.ts';
import { recommendedPreset } from '../../../pipeline/validate/rules/preset.ts';
import { qualityLanguageMismatch } from '../../../pipeline/validate/rules/quality-language-mismatch.ts';
import type { RuleContext } from '../../../pipeline/validate/rules/rule.ts';
import { validateArticleText, validatePaths } from '../../../pipeline/validate/validate.ts';
import { generateCorpus } from '../../bench/generate-corpus.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';

/**
 * remark-lint style: each rule's documented examples are its tests. For every rule in the preset,
 * test/fixtures/rules/<id with / as ->/ok.md must produce no finding of that rule, and not-ok.md
 * must produce at least one, at a real position inside the body.
 */
const config = parseConfig(await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8'), { root: PACKAGE_ROOT, configFile: join(PACKAGE_ROOT, 'content/niche.yaml') });

const withRules = (rules: ResolvedConfig['validate']['rules']): ResolvedConfig => ({ ...config, validate: { ...config.validate, rules } });

/**
 * The context a fixture is checked in: the real language detector (when installed) and, for
 * near-duplicates, an archive made of the fixture itself plus the folder's archive*.md files.
 */
async function contextFor(folder: string, file: string, text: string): Promise<RuleContext> {
  const entries = [{ file, body: text, publishedAt: 2 }];
  for (const name of (await readdir(folder)).filter((entry) => /^archive.*\.md$/.test(entry))) {
    entries.push({ file: name, body: await readFile(join(folder, name), 'utf8'), publishedAt: 1 });
  }
  return { detectLanguage: defaultDetectLanguage, archive: buildDuplicateArchive(entries, config.validate.duplicateThreshold) };
}

describe.each(recommendedPreset.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  const folder = join(PACKAGE_ROOT, 'test/fixtures/rules', id.replace('/', '-'));

  it('has its module and both fixtures', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'pipeline/validate/rules', `${id.replace('/', '-')}.ts`))).toBe(true);
    expect(existsSync(join(folder, 'not-ok.lines'))).toBe(true);
    expect(existsSync(join(folder, 'ok.md')) && existsSync(join(folder, 'not-ok.md'))).toBe(true);
  });

  it('has a description, a version and a default severity', () => {
    expect(rule.description.length).toBeGreaterThan(10);
    expect(rule.version).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning']).toContain(rule.severity);
  });

  const examples = (prefix: 'ok' | 'not-ok') => readdirSync(folder).filter((name) => new RegExp(`^${prefix}(-[a-z]+)?\\.md$`).test(name));

  it.each(examples('ok'))('accepts %s', async (name) => {
    const text = await readFile(join(folder, name), 'utf8');
    const { findings } = validateArticleText(text, name, config, [rule], await contextFor(folder, name, text));
    expect(findings).toEqual([]);
  });

  // Without tinyld installed the language rule's detector signal is missing; its script and
  // function-word signals (all the not-ok examples use) do not need it.
  it.each(examples('not-ok'))('flags %s on the lines its .lines file names, within one line', async (name) => {
    const text = await readFile(join(folder, name), 'utf8');
    const { findings } = validateArticleText(text, name, config, [rule], await contextFor(folder, name, text));
    expect(findings.length).toBeGreaterThan(0);
    const expected = (await readFile(join(folder, name.replace(/\.md$/, '.lines')), 'utf8')).split('\n').filter(Boolean).map(Number);
    const lines = text.split('\n');
    for (const finding of findings) {
      expect(finding.rule).toBe(id);
      expect(finding.severity).toBe(rule.severity);
      expect(lines[(finding.line ?? 0) - 1]?.trim(), `${name}:${finding.line} points at a blank line`).not.toBe('');
      expect(expected.some((line) => Math.abs(line - (finding.line ?? 0)) <= 1), `${name}:${finding.line} ${finding.message} is on no expected line`).toBe(true);
    }
    // …and every defect the fixture plants is found.
    for (const line of expected) expect(findings.some((finding) => Math.abs((finding.line ?? 0) - line) <= 1), `nothing found at ${name}:${line}`).toBe(true);
  });

  it('can be switched off or downgraded in config', async () => {
    const text = await readFile(join(folder, 'not-ok.md'), 'utf8');
    const context = await contextFor(folder, 'not-ok.md', text);
    expect(validateArticleText(text, 'not-ok.md', withRules({ [id]: 'off' }), [rule], context).findings).toEqual([]);
    const findings = validateArticleText(text, 'not-ok.md', withRules({ [id]: 'warn' }), [rule], context).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.severity === 'warning')).toBe(true);
    const error = validateArticleText(text, 'not-ok.md', withRules({ [id]: 'error' }), [rule], context).findings;
    expect(error.every((finding) => finding.severity === 'error')).toBe(true);
  });
});

describe('the preset', () => {
  it('has unique ids in area/what form', () => {
    const ids = recommendedPreset.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+\/[a-z-]+$/);
  });

  it('finds each defect at its own line in a not-ok fixture', async () => {
    const text = await readFile(join(PACKAGE_ROOT, 'test/fixtures/rules/quality-assistant-residue/not-ok.md'), 'utf8');
    const { findings } = validateArticleText(text, 'x.md', config, recommendedPreset.filter((rule) => rule.id === 'quality/assistant-residue'));
    const lines = text.split('\n');
    const at = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;
    const found = findings.map((finding) => `${finding.line} ${finding.message.split(':')[0]}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `${at('Certainly!')} Assistant preamble`,
        `${at('[INSERT RATE]')} Unfilled placeholder`,
        `${at('As an AI')} Self-reference as an AI`,
        `${at('As an AI')} Refusal`,
        `${at('part 2')} Teaser for a follow-up part that does not exist`,
        `${at('I hope this helps')} Assistant sign-off or request acknowledgement`,
      ]),
    );
  });

  it('accepts articles the bench corpus generator writes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-corpus-'));
    try {
      await generateCorpus({ count: 40, folder, seed: 7 });
      const result = await validatePaths({ ...config, root: folder }, [folder]);
      expect(result.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
      expect(result.files).toBe(40);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('quality/language-mismatch with a detector handed in', () => {
  // A stand-in detector with a known answer, so the rule's use of it (which sentences reach it,
  // how codes compare, where findings point) is tested without tinyld.
  const detect = (text: string) => (/\b(że|się|jest)\b/.test(text) ? 'pl' : 'en');
  const article = (lines: string[]) => `---\ntitle: Staking notes from the field\ndescription: A hand-written article about what staking rewards looked like this autumn, with notes.\npublishedAt: 2026-10-30\n---\n\n${lines.join('\n\n')}\n`;

  it('asks the detector about long sentences the other signals cannot place, and points at them', () => {
    const text = article(['Rewards fell in October as deposits moved back to plain staking.', 'Analitycy uważają, że kolejka wypłat jest dłuższa niż kiedykolwiek wcześniej w historii tego protokołu stakingowego.']);
    const { findings } = validateArticleText(text, 'x.md', config, [qualityLanguageMismatch], { detectLanguage: detect });
    expect(findings.map((finding) => [finding.line, finding.message.slice(0, 18)])).toEqual([[9, 'A sentence in "pl"']]);
  });

  it('compares primary subtags (en-GB is en), and finds foreign scripts and function words without a detector', async () => {
    const text = (await readFile(join(PACKAGE_ROOT, 'test/fixtures/rules/quality-language-mismatch/ok.md'), 'utf8')).replace('generator: openai', 'lang: en-GB\ngenerator: openai');
    expect(validateArticleText(text, 'x.md', config, [qualityLanguageMismatch], { detectLanguage: detect }).findings).toEqual([]);
    const mixed = await readFile(join(PACKAGE_ROOT, 'test/fixtures/rules/quality-language-mismatch/not-ok.md'), 'utf8');
    expect(validateArticleText(mixed, 'x.md', config, [qualityLanguageMismatch], {}).findings.length).toBe(7);
  });
});

describe('the validate cache', () => {
  it('reuses the findings of unchanged files, and checks changed files and changed options again', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-cache-'));
    try {
      const fixtures = join(PACKAGE_ROOT, 'test/fixtures/rules');
      await writeFile(join(folder, 'a.md'), await readFile(join(fixtures, 'quality-truncated/not-ok.md'), 'utf8'));
      // Long enough to be signed for near-duplicates, and with a finding of its own (a second title).
      await writeFile(join(folder, 'b.md'), `${await readFile(join(fixtures, 'quality-near-duplicate/not-ok.md'), 'utf8')}\n# A second title\n\nIt ends here.\n`);
      const project = { ...config, root: folder };
      const cacheFile = join(folder, '.nichepress/validate-cache.json');
      // A dry run reads the cache but writes none.
      const dry = await validatePaths(project, [folder], undefined, { cache: 'read' });
      expect(existsSync(cacheFile)).toBe(false);
      const cold = await validatePaths(project, [folder]);
      expect(cold).toEqual(dry);
      expect(cold.counts).toMatchObject({ files: 2, checked: 2, threads: 1 });
      expect(existsSync(cacheFile)).toBe(true);
      const again = await validatePaths(project, [folder]);
      expect(again.findings).toEqual(cold.findings);
      expect(again.counts).toMatchObject({ files: 2, checked: 0, threads: 0 });
      // The near-duplicate signatures are in the same cache (a.md is too short to sign).
      const signatures = Object.values(JSON.parse(await readFile(cacheFile, 'utf8')).files as Record<string, { signature: number[] | null }>).map((entry) => entry.signature?.length);
      expect(signatures).toEqual([undefined, 64]);
      // Proof the second run read the cache instead of the rules: a message edited in the cache comes back.
      const cache = JSON.parse(await readFile(cacheFile, 'utf8'));
      cache.files['a.md'].findings[0].message = 'from the cache';
      cache.files['b.md'].findings[0].message = 'from the cache';
      await writeFile(cacheFile, JSON.stringify(cache));
      const warm = await validatePaths(project, [folder]);
      expect(warm.findings.filter((finding) => finding.message === 'from the cache').map((finding) => finding.file)).toEqual(['a.md', 'b.md']);
      // A file touched but not changed keeps its entry: the content hash decides, not the time.
      await utimes(join(folder, 'a.md'), new Date(), new Date(Date.now() + 60_000));
      const touched = await validatePaths(project, [folder]);
      expect(touched.findings.filter((finding) => finding.message === 'from the cache').map((finding) => finding.file)).toEqual(['a.md', 'b.md']);
      // A changed file is checked again; the unchanged one still comes from the cache.
      await writeFile(join(folder, 'b.md'), (await readFile(join(folder, 'b.md'), 'utf8')) + '\nOne more sentence.\n');
      const changed = await validatePaths(project, [folder]);
      expect(changed.counts).toMatchObject({ checked: 1 });
      expect(changed.findings.filter((finding) => finding.message === 'from the cache').map((finding) => finding.file)).toEqual(['a.md']);
      // Another rule option is another cache key: everything is checked again.
      const stricter = await validatePaths({ ...project, validate: { ...project.validate, minWords: 400 } }, [folder]);
      expect(stricter.findings.filter((finding) => finding.message === 'from the cache')).toEqual([]);
      expect(stricter.findings.find((finding) => finding.rule === 'structure/min-length')?.message).toContain('at least 400');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('near-duplicates across a folder', () => {
  it('flags the newer copy only, and says which article it copies', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-dup-'));
    try {
      const fixtures = join(PACKAGE_ROOT, 'test/fixtures/rules/quality-near-duplicate');
      await writeFile(join(folder, 'original.md'), await readFile(join(fixtures, 'archive.md'), 'utf8'));
      await writeFile(join(folder, 'copy.md'), await readFile(join(fixtures, 'not-ok.md'), 'utf8'));
      await writeFile(join(folder, 'other.md'), await readFile(join(PACKAGE_ROOT, 'test/fixtures/rules/quality-scraped-residue/ok.md'), 'utf8'));
      const result = await validatePaths({ ...config, root: folder }, [folder]);
      const duplicates = result.findings.filter((finding) => finding.rule === 'quality/near-duplicate');
      expect(duplicates).toHaveLength(1);
      expect(duplicates[0]).toMatchObject({ file: 'copy.md', severity: 'error' });
      expect(duplicates[0]!.message).toContain('original.md');
      // Worker threads (used for large archives) find exactly the same, in the same order.
      const threaded = await validatePaths({ ...config, root: folder }, [folder], undefined, { workers: 2, cache: false });
      expect(threaded.counts).toMatchObject({ checked: 3, threads: 2 });
      expect(threaded.findings).toEqual(result.findings);
      // A stricter threshold than the copy's similarity lets it through.
      const strict = await validatePaths({ ...config, root: folder, validate: { ...config.validate, duplicateThreshold: 1 } }, [folder]);
      expect(strict.findings.filter((finding) => finding.rule === 'quality/near-duplicate')).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('validate in threads', () => {
  it('finds exactly what one thread finds, in the same order, on a folder with every kind of finding', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'np-threads-'));
    try {
      await generateCorpus({ count: 30, folder, seed: 3 });
      // Every fixture (ok, not-ok, archives, broken frontmatter) as an article of the folder,
      // so the threads meet schema errors, YAML errors, each rule's findings and near-duplicates.
      const fixtures = join(PACKAGE_ROOT, 'test/fixtures');
      for (const entry of await readdir(fixtures, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.md') || !/rules|validate/.test(entry.parentPath)) continue;
        const name = `${entry.parentPath.slice(fixtures.length + 1).replace(/\W+/g, '-')}-${entry.name}`;
        await writeFile(join(folder, name), await readFile(join(entry.parentPath, entry.name), 'utf8'));
      }
      const projectConfig = { ...config, root: folder };
      // No cache: each run checks every file itself (a second run would otherwise only read the first one's results).
      const serial = await validatePaths(projectConfig, [folder], undefined, { workers: 1, cache: false });
      expect(serial.findings.filter((finding) => finding.rule === 'quality/near-duplicate').length).toBeGreaterThan(0);
      expect(new Set(serial.findings.map((finding) => finding.rule ?? finding.code)).size).toBeGreaterThan(20);
      for (const workers of [2, 3]) {
        const threaded = await validatePaths(projectConfig, [folder], undefined, { workers, cache: false });
        expect(threaded.findings).toEqual(serial.findings);
        expect(threaded.counts).toEqual({ ...serial.counts, threads: workers });
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('frontmatter validation', () => {
  it('points at the YAML line of each failing key and reports unknown keys', async () => {
    const text = await readFile(join(PACKAGE_ROOT, 'test/fixtures/validate/broken-frontmatter.md'), 'utf8');
    const { findings } = validateArticleText(text, 'broken.md', config, []);
    const byPath = Object.fromEntries(findings.map((finding) => [finding.message.split(':')[0], finding]));
    expect(byPath.title).toMatchObject({ line: 2, column: 1, code: 'NP5002' });
    expect(byPath.generator).toMatchObject({ line: 5, column: 1 });
    expect(byPath.tittle).toMatchObject({ line: 6, column: 1 });
    expect(byPath.tittle?.message).toContain('unknown key');
    expect(byPath['sources[0].url']).toMatchObject({ line: 9, column: 5 });
  });

  it('turns invalid YAML into one finding, at the line where the problem is', async () => {
    const text = await readFile(join(PACKAGE_ROOT, 'test/fixtures/validate/invalid-yaml.md'), 'utf8');
    const { findings } = validateArticleText(text, 'invalid.md', config);
    expect(findings).toHaveLength(1);
    // The quote opened on line 2 is never closed; the parser only notices at the end of the block.
    expect(findings[0]).toMatchObject({ code: 'NP5001', file: 'invalid.md', line: 2 });
    const third = validateArticleText('---\ntitle: Staking notes from the field\ndescription: "never closed\npublishedAt: 2026-10-30\ngenerator: human\n---\n\nBody.\n', 'x.md', config, []);
    expect(third.findings).toMatchObject([{ code: 'NP5001', line: 3 }]);
  });

  it('names an unclosed frontmatter block as such', () => {
    const { findings } = validateArticleText('---\ntitle: Staking notes\n\n## Body\n\nText.\n', 'open.md', config);
    expect(findings).toMatchObject([{ code: 'NP5012', line: 1 }]);
    // Also when a horizontal rule further down looks like the closing line.
    const ruled = validateArticleText('---\ntitle: Staking notes\n\n## Body\n\nText.\n\n---\n\nMore text.\n', 'ruled.md', config);
    expect(ruled.findings).toMatchObject([{ code: 'NP5012', line: 1 }]);
  });

  it('gives a tags string one clear type error, and treats a file without generator as a human article', () => {
    const text = '---\ntitle: Staking notes from the field\ndescription: A hand-written article about what staking rewards looked like this autumn, with notes.\npublishedAt: 2026-10-30\ntags: "staking, defi, restaking"\n---\n\nBody.\n';
    const { findings, article } = validateArticleText(text, 'x.md', config, []);
    expect(findings).toMatchObject([{ code: 'NP5002', line: 5 }]);
    expect(findings[0]!.message).toMatch(/^tags: expected tags as a list/);
    const human = validateArticleText(text.replace(/^tags:.*\n/m, ''), 'x.md', config, []);
    expect(human.findings).toEqual([]);
    expect(human.article?.frontmatter?.generator).toBe('human');
    expect(article?.frontmatter).toBeUndefined();
  });

  it('reports a file without frontmatter', () => {
    const { findings } = validateArticleText('# Just markdown\n', 'plain.md', config);
    expect(findings.map((finding) => finding.code)).toEqual(['NP5003']);
  });
});
