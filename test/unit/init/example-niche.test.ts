import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, runCli, type CliResult } from '../../helpers/cli.ts';
import { filesUnder, financeWordingIn } from './written-files.ts';

/**
 * Sentences other parts of the pipeline still write into every niche. They are listed here by
 * their exact text, so the check below stays strict for everything else and fails as soon as a
 * new one appears; each entry goes when its source is made niche-neutral:
 * the extractive digest's method note (pipeline/draft/extractive-provider.ts) and the social
 * posts' closing line (pipeline/social/compose-posts.ts).
 */
/**
 * The second example niche (sites/home-espresso) as a network member: run offline from the
 * project root with --config, it writes only into its own folder, publishes articles that pass
 * its own validation, and writes no money-niche wording.
 */
describe('sites/home-espresso', () => {
  let root: string;
  let run: CliResult;
  const niche = 'sites/home-espresso';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nichepress-network-'));
    await cp(join(PACKAGE_ROOT, niche, 'niche.yaml'), join(root, niche, 'niche.yaml'));
    await cp(join(PACKAGE_ROOT, niche, 'feeds'), join(root, niche, 'feeds'), { recursive: true });
    run = await runCli(['run', '--offline', '--no-build', '--json', '--config', `${niche}/niche.yaml`], { cwd: root, timeoutMs: 120_000 });
  }, 150_000);

  it('runs offline end to end and publishes articles that pass its own validation', async () => {
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { stages: { stage: string; counts: Record<string, number> }[] };
    const count = (stage: string, key: string) => report.stages.find((entry) => entry.stage === stage)?.counts[key];
    expect(count('draft', 'written')).toBe(3);
    expect(count('draft', 'quarantined')).toBe(0);
    expect(count('validate', 'errors')).toBe(0);

    const validate = await runCli(['validate', '--config', `${niche}/niche.yaml`, '--json'], { cwd: root });
    expect(validate.code, validate.stdout).toBe(0);
    const articles = (await filesUnder(join(root, niche, 'articles'))).filter((file) => file.endsWith('.md'));
    expect(articles).toEqual(['flat-burr-grinders.md', 'flow-profiling.md', 'water-hardness.md']);
  });

  it('writes only inside its own folder', async () => {
    const written = await filesUnder(root);
    expect(written.filter((file) => !file.startsWith(`${niche}/`))).toEqual([]);
    const own = written.map((file) => file.slice(niche.length + 1));
    expect(own).toEqual(expect.arrayContaining(['state.json', 'newsletter/0001.md', 'social/0001.json', '.nichepress/outbox/newsletter/0001/issue.eml', '.nichepress/reports/last-run.json']));
  });

  it('writes no finance or crypto wording anywhere', async () => {
    // What the run wrote: everything but its inputs (the config, whose comments name the presets, and the feeds).
    const written = (await filesUnder(join(root, niche))).filter((file) => !file.startsWith('feeds/') && file !== 'niche.yaml');
    expect(written.length).toBeGreaterThan(10);
    expect(await financeWordingIn(join(root, niche), written)).toEqual([]);
  });

  it('the check itself finds finance wording where there is some', async () => {
    const sample = join(PACKAGE_ROOT, 'content');
    expect(await financeWordingIn(sample, ['niche.yaml'])).not.toEqual([]);
  });
});
