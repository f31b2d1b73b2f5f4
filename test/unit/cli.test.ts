import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySampleNiche, PACKAGE_ROOT, runCli } from '../helpers/cli.ts';

/** The CLI through its real entry point, in a child process, against a copy of the sample niche. */
describe('nichepress CLI', () => {
  let root: string;
  beforeAll(async () => {
    root = await copySampleNiche();
  });

  it('prints usage and exits 2 without a command', async () => {
    const result = await runCli([], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: nichepress <command>');
  });

  it('prints the version with --version and -v', async () => {
    const { version } = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag], { cwd: root });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('pins a Node that satisfies engines, and keeps installs free of false engine warnings', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
      engines: { node: string };
    };
    const pinned = manifest.devDependencies.node!;
    const [major, minor] = pinned.split('.').map(Number) as [number, number];
    const [needMajor, needMinor] = manifest.engines.node.replace('>=', '').split('.').map(Number) as [number, number];
    expect(major > needMajor || (major === needMajor && minor >= needMinor)).toBe(true);
    // npm checks engines against its own (system) Node; the project's .npmrc keeps installs to errors.
    expect(await readFile(join(PACKAGE_ROOT, '.npmrc'), 'utf8')).toMatch(/^loglevel=error$/m);
  });

  it('lists init and has --help for it', async () => {
    const usage = await runCli(['--help'], { cwd: root });
    expect(usage.stdout).toMatch(/^  init +Create a new niche/m);
    const help = await runCli(['init', '--help'], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nichepress init <dir> [--title <site title>] [--feed <url-or-file>]… [--language <code>] [--url <site url>] [--yes]');
  });

  it('rejects an unknown command with one line of error, the usage, and exit 2', async () => {
    const result = await runCli(['publish-everything'], { cwd: root });
    expect(result.code).toBe(2);
    const [first, second] = result.stderr.split('\n');
    expect(first).toBe('nichepress: Unknown command "publish-everything". (NP1004)');
    expect(second).toBe('');
    expect(result.stderr).toContain('Commands:');
    expect(result.stdout).toBe('');
  });

  it('rejects an unknown flag with exit 2', async () => {
    const result = await runCli(['validate', '--fast'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^nichepress validate: Unknown option '--fast'.*\(NP1005\)$/);
    expect(result.stderr).toContain('Usage: nichepress validate');
  });

  it.each(['run', 'ingest', 'trends', 'draft', 'validate', 'build', 'newsletter', 'schedule'])('has --help for %s', async (command) => {
    const result = await runCli([command, '--help'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: nichepress ${command}`);
    expect(result.stdout).toContain('--dry-run');
  });

  it('exits 2 with file, line and field on a bad config, never a stack trace', async () => {
    const bad = join(root, 'bad.yaml');
    const text = (await readFile(join(root, 'content/niche.yaml'), 'utf8')).replace('maxArticles: 6', 'maxArticles: -1');
    await writeFile(bad, text);
    const result = await runCli(['trends', '--config', 'bad.yaml'], { cwd: root });
    expect(result.code).toBe(2);
    const line = text.split('\n').findIndex((row) => row.includes('maxArticles: -1')) + 1;
    expect(result.stderr).toContain(`bad.yaml:${line}:3 draft.maxArticles:`);
    expect(result.stderr).toContain('(NP1003)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json prints only the JSON report on stdout, even for a config error', async () => {
    const result = await runCli(['validate', '--json', '--config', 'missing.yaml'], { cwd: root });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { ok: boolean; error: { code: string } };
    expect(report).toMatchObject({ ok: false, error: { code: 'NP1001' } });
  });

  it('validate exits 1 on broken frontmatter and names file, line and field', async () => {
    const folder = join(root, 'broken');
    await mkdir(folder, { recursive: true });
    await cp(join(PACKAGE_ROOT, 'test/fixtures/validate/broken-frontmatter.md'), join(folder, 'broken.md'));
    const result = await runCli(['validate', 'broken', '--json'], { cwd: root });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { stages: { findings: { file: string; line: number; message: string }[] }[] };
    const findings = report.stages[0]!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ file: 'broken/broken.md', line: 5, message: expect.stringMatching(/^generator: /) }));

    const human = await runCli(['validate', 'broken/broken.md'], { cwd: root });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^broken\/broken\.md$/m);
    expect(human.stdout).toMatch(/^  5:1 +error  generator: expected generator to be one of/m);
  });

  it('validate reports a frontmatter whose aliases would expand a billion-fold as findings, without expanding it', async () => {
    // Nine levels of nine aliases each: copied out in full it is 9^9 strings.
    const levels = ['tags: &l0 [a, a, a, a, a, a, a, a, a]'];
    for (let level = 1; level < 9; level++) levels.push(`level${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
    const folder = join(root, 'aliases');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'aliases.md'), `---\ntitle: Aliases\n${levels.join('\n')}\n---\n\nA body.\n`);
    const result = await runCli(['validate', 'aliases', '--json'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as { stages: { findings: { line: number; message: string }[] }[] }).stages[0]!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ line: 4, message: expect.stringMatching(/^level1: unknown key/) }));
    expect(findings).toContainEqual(expect.objectContaining({ line: 11, message: expect.stringMatching(/^level8: unknown key/) }));
  });

  it('validate exits 1 when a given path does not exist', async () => {
    const result = await runCli(['validate', 'nowhere.md'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing to validate at nowhere.md');
  });

  it('--dry-run writes nothing', async () => {
    const dry = await copySampleNiche();
    const result = await runCli(['ingest', '--dry-run'], { cwd: dry });
    expect(result.code).toBe(0);
    expect(await readdir(join(dry, 'content'))).not.toContain('state.json');
    expect(await readdir(dry)).not.toContain('.nichepress');
  });

  it('--offline skips remote feeds with a warning and goes on', async () => {
    const offline = await copySampleNiche();
    const result = await runCli(['ingest', '--offline', '--json', '--feed', 'https://feeds.example/rss', '--feed', 'content/feeds/yield-watch.atom'], { cwd: offline });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { stages: { details: { feeds: { location: string; ok: boolean; items: number; error?: { code: string } }[] } }[] };
    const feeds = report.stages[0]!.details.feeds;
    expect(feeds[0]).toMatchObject({ location: 'https://feeds.example/rss', ok: false, error: { code: 'NP2004' } });
    expect(feeds[1]).toMatchObject({ ok: true });
    expect(feeds[1]!.items).toBeGreaterThan(5);
  });
});
