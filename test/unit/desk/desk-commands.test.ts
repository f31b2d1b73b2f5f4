import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';

interface Report {
  exitCode: number;
  stages: { stage: string; counts: Record<string, number>; findings: { severity: string; code?: string; rule?: string; line?: number }[]; details?: unknown }[];
}

const json = (stdout: string) => JSON.parse(stdout) as Report;
const PROMISE = '\nThis strategy offers guaranteed returns to everyone who joins.\n';

/** Turns a published article of the niche into a draft, optionally with an error-level defect appended. */
async function makeDraft(root: string, slug: string, defect = ''): Promise<string> {
  const file = join(root, 'content/articles', `${slug}.md`);
  const text = await readFile(file, 'utf8');
  expect(text).toMatch(/^draft: false$/m);
  await writeFile(file, text.replace(/^draft: false$/m, 'draft: true\nvalidation:\n  - "compliance/no-promises: kept for review"') + defect);
  return file;
}

describe('the editor\'s desk (drafts, approve, reject)', { timeout: 120_000 }, () => {
  let root: string;
  beforeEach(async () => {
    root = await copySampleNiche();
    const run = await runCli(['run', '--offline', '--no-build'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
  });

  it('lists the drafts with the findings they have now, and exits 0', async () => {
    await makeDraft(root, 'blob-fees', PROMISE);
    const listed = await runCli(['drafts', '--json'], { cwd: root });
    expect(listed.code, listed.stderr).toBe(0);
    const stage = json(listed.stdout).stages[0]!;
    expect(stage.counts).toMatchObject({ drafts: 1, errors: 1 });
    const [draft] = (stage.details as { drafts: { slug: string; reasons: string[]; findings: { rule?: string; line?: number }[] }[] }).drafts;
    expect(draft!.slug).toBe('blob-fees');
    expect(draft!.reasons).toEqual(['compliance/no-promises: kept for review']);
    const text = await readFile(join(root, 'content/articles/blob-fees.md'), 'utf8');
    expect(draft!.findings).toEqual([expect.objectContaining({ rule: 'compliance/no-promises', line: text.trimEnd().split('\n').length })]);

    const human = await runCli(['drafts'], { cwd: root });
    expect(human.stdout).toMatch(/blob-fees {2}Blob fees/);
    expect(human.stdout).toMatch(/error {2}Promise language: "guaranteed returns"/);
  });

  it('refuses to publish while an error remains, then publishes the fixed file', async () => {
    const file = await makeDraft(root, 'blob-fees', PROMISE);
    const before = await readFile(file, 'utf8');
    const refused = await runCli(['approve', 'blob-fees', '--json'], { cwd: root });
    expect(refused.code).toBe(1);
    expect(json(refused.stdout).stages[0]!.findings.map((finding) => finding.code ?? finding.rule)).toEqual(['NP6103', 'compliance/no-promises']);
    expect(await readFile(file, 'utf8')).toBe(before);

    await writeFile(file, before.replace(PROMISE, '\n'));
    const approved = await runCli(['approve', 'blob-fees'], { cwd: root });
    expect(approved.code, approved.stdout).toBe(0);
    const published = await readFile(file, 'utf8');
    expect(published).not.toMatch(/^draft:|^validation:/m);
    // Dated by the run's clock (the sample fixes it), and otherwise the file as the editor left it.
    expect(published).toMatch(/^publishedAt: 2026-11-01T09:00:00.000Z$/m);
    expect(published.split('\n').length).toBe(before.replace(PROMISE, '\n').split('\n').length - 3);
    const state = JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')) as { topics: Record<string, { status: string }> };
    expect(state.topics['blob fees']!.status).toBe('published');
  });

  it('rejects a draft for good: the file is kept aside and its topic is not drafted again', async () => {
    await makeDraft(root, 'lending-rate-caps');
    const rejected = await runCli(['reject', 'lending-rate-caps'], { cwd: root });
    expect(rejected.code, rejected.stdout).toBe(0);
    expect(existsSync(join(root, 'content/articles/lending-rate-caps.md'))).toBe(false);
    expect(await readFile(join(root, 'content/rejected/lending-rate-caps.md'), 'utf8')).toMatch(/^draft: true$/m);
    const state = JSON.parse(await readFile(join(root, 'content/state.json'), 'utf8')) as { topics: Record<string, { status: string }> };
    expect(state.topics['lending rate caps']!.status).toBe('rejected');

    // Its stories stay covered: no topic comes back under another label.
    const again = await runCli(['run', '--offline', '--no-build', '--json'], { cwd: root });
    expect(again.code, again.stderr).toBe(0);
    expect(json(again.stdout).stages.find((stage) => stage.stage === 'draft')!.counts).toMatchObject({ topics: 0, written: 0 });
  });

  it('keeps a run green while drafts with errors wait on the desk, and says they wait', async () => {
    await makeDraft(root, 'blob-fees', PROMISE);
    const run = await runCli(['run', '--offline', '--no-build', '--json'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const validate = json(run.stdout).stages.find((stage) => stage.stage === 'validate')!;
    expect(validate.counts).toMatchObject({ files: 5, errors: 0 });
    expect(validate.findings.map((finding) => finding.code)).toEqual(['NP6104']);
    // `nichepress validate` still checks every file, drafts included.
    expect((await runCli(['validate'], { cwd: root })).code).toBe(1);
  });

  it('says what is wrong with the slug, the file or the usage', async () => {
    const missing = await runCli(['approve', 'no-such-article', '--json'], { cwd: root });
    expect(missing.code).toBe(1);
    expect(json(missing.stdout).stages[0]!.findings[0]!.code).toBe('NP6101');
    const published = await runCli(['reject', 'blob-fees', '--json'], { cwd: root });
    expect(published.code).toBe(1);
    expect(json(published.stdout).stages[0]!.findings[0]!.code).toBe('NP6102');
    const usage = await runCli(['approve'], { cwd: root });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/expected exactly one draft slug/);
  });
});
