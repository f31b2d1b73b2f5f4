import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, copySampleNiche, runCli } from '../helpers/cli.ts';

/**
 * The archive is read once per run: in a steady `run` (nothing new) each article file is opened
 * at most three times in all processes together — the pipeline once, Astro's content loader once,
 * the search index once. Counted by the kernel (strace follows every child process), not by
 * instrumenting our own code. .ci/run installs strace when missing; without it, locally, the test
 * is skipped with a message, and in CI (CI=true) it fails.
 */
const STRACE = '/usr/bin/strace';

function straceAvailable(): boolean {
  const available = existsSync(STRACE);
  if (!available && process.env.CI) throw new Error(`strace not found at ${STRACE}; .ci/run installs Debian's strace package.`);
  if (!available) console.warn(`file-open count skipped: no strace at ${STRACE} (apt-get install strace)`);
  return available;
}

function traced(root: string, log: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(STRACE, ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', log, process.execPath, BIN, 'run', '--offline'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe.runIf(straceAvailable())('a steady run reads each article once per process', { timeout: 60_000 }, () => {
  let root: string;
  let opens: Map<string, number>;

  beforeAll(async () => {
    root = await copySampleNiche();
    const first = await runCli(['run', '--offline'], { cwd: root, timeoutMs: 300_000 });
    expect(first.code, first.stderr).toBe(0);
    const log = join(root, 'opens.log');
    expect(await traced(root, log)).toBe(0);
    const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => !line.includes('ENOENT'));
    const names = (await readdir(join(root, 'content/articles'))).filter((name) => name.endsWith('.md'));
    opens = new Map(names.map((name) => [name, lines.filter((line) => line.includes(`/content/articles/${name}"`)).length]));
  }, 320_000);

  it('opens every article file at least once and at most three times', () => {
    expect(opens.size).toBe(6);
    for (const [name, count] of opens) {
      expect(count, name).toBeGreaterThanOrEqual(1);
      expect(count, name).toBeLessThanOrEqual(3);
    }
  });
});
