import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/config.ts';
import { recommendedPreset } from '../../pipeline/rules/preset.ts';
import { validateArticleText } from '../../pipeline/stages/validate.ts';
import { PACKAGE_ROOT } from '../helpers/cli.ts';

/**
 * remark-lint style: each rule's documented examples are its tests. For every rule in the preset,
 * test/fixtures/rules/<id with / as ->/ok.md must produce no finding of that rule, and not-ok.md
 * must produce at least one, at a real position inside the body.
 */
const config = parseConfig(await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8'), { root: PACKAGE_ROOT, configFile: join(PACKAGE_ROOT, 'content/niche.yaml') });

describe.each(recommendedPreset.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  const folder = join(PACKAGE_ROOT, 'test/fixtures/rules', id.replace('/', '-'));

  it('has a description and a default severity', () => {
    expect(rule.description.length).toBeGreaterThan(10);
    expect(['error', 'warning']).toContain(rule.severity);
  });

  it('accepts ok.md', async () => {
    const text = await readFile(join(folder, 'ok.md'), 'utf8');
    const { findings } = validateArticleText(text, 'ok.md', config, [rule]);
    expect(findings).toEqual([]);
  });

  it('flags not-ok.md at the offending line', async () => {
    const text = await readFile(join(folder, 'not-ok.md'), 'utf8');
    const { findings } = validateArticleText(text, 'not-ok.md', config, [rule]);
    expect(findings.length).toBeGreaterThan(0);
    const lines = text.split('\n');
    for (const finding of findings) {
      expect(finding.rule).toBe(id);
      expect(finding.severity).toBe(rule.severity);
      // The reported position must be on a body line that really holds the problem.
      const line = lines[(finding.line ?? 0) - 1] ?? '';
      expect(line.slice((finding.column ?? 1) - 1).length).toBeGreaterThan(0);
      expect(line).not.toBe('');
    }
  });

  it('can be switched off or downgraded in config', async () => {
    const text = await readFile(join(folder, 'not-ok.md'), 'utf8');
    const off = { ...config, validate: { rules: { [id]: 'off' as const } } };
    expect(validateArticleText(text, 'not-ok.md', off, [rule]).findings).toEqual([]);
    const warn = { ...config, validate: { rules: { [id]: 'warn' as const } } };
    const findings = validateArticleText(text, 'not-ok.md', warn, [rule]).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.severity === 'warning')).toBe(true);
  });
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

  it('turns invalid YAML into one finding instead of a crash', async () => {
    const text = await readFile(join(PACKAGE_ROOT, 'test/fixtures/validate/invalid-yaml.md'), 'utf8');
    const { findings } = validateArticleText(text, 'invalid.md', config);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'NP5001', file: 'invalid.md' });
    expect(findings[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports a file without frontmatter', () => {
    const { findings } = validateArticleText('# Just markdown\n', 'plain.md', config);
    expect(findings.map((finding) => finding.code)).toEqual(['NP5003']);
  });
});
