import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNiches } from '../../../pipeline/config/list-niches.ts';
import { copySampleNiche, PACKAGE_ROOT, runCli } from '../../helpers/cli.ts';

describe('the niches of a project', () => {
  it('lists content/ and every sites/<name>/ with a niche.yaml, with their folders', async () => {
    const root = await copySampleNiche();
    await cp(join(PACKAGE_ROOT, 'sites/home-espresso'), join(root, 'sites/home-espresso'), { recursive: true });
    await mkdir(join(root, 'sites/notes'), { recursive: true });
    await writeFile(join(root, 'sites/notes/README.md'), 'not a niche\n');
    expect(await listNiches(root)).toEqual([
      { name: 'content', config: 'content/niche.yaml', folder: 'content', outDir: 'dist', cacheDir: '.nichepress', site: 'https://yieldfieldnotes.example' },
      {
        name: 'home-espresso',
        config: 'sites/home-espresso/niche.yaml',
        folder: 'sites/home-espresso',
        outDir: 'sites/home-espresso/dist',
        cacheDir: 'sites/home-espresso/.nichepress',
        site: 'https://cremabench.example',
      },
    ]);

    const cli = await runCli(['niches', '--json'], { cwd: root });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(await listNiches(root));
  });

  it('fails on a broken niche config with its file and line, before any job starts', async () => {
    const root = await copySampleNiche();
    await mkdir(join(root, 'sites/broken'), { recursive: true });
    await writeFile(join(root, 'sites/broken/niche.yaml'), 'root: .\nsite:\n  title: Broken\n');
    const cli = await runCli(['niches', '--json'], { cwd: root });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^nichepress: sites\/broken\/niche\.yaml:\d+:\d+ /);
  });
});
