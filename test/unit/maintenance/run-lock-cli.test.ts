import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../../pipeline/maintenance/run-lock.ts';
import { BIN, copySampleNiche, runCli } from '../../helpers/cli.ts';
import { isProcessAlive } from '../../../pipeline/maintenance/process-alive.ts';

// One writing process per project: the lock as the CLI uses it, and a clean stop on SIGTERM.

const isAlive = isProcessAlive;

describe('the run lock in the CLI', () => {
  it('makes a second writing process do nothing (exit 3, NP8011); read-only commands still run', async () => {
    const root = await copySampleNiche();
    // Held by a live process (this test): as if the scheduler were running a job.
    const lock = await acquireRunLock(join(root, '.nichepress/run.lock'), { pid: process.pid, host: hostname(), command: 'run', now: new Date(), isAlive });
    expect(lock.acquired).toBe(true);
    for (const command of ['run', 'ingest', 'draft', 'newsletter', 'social', 'build']) {
      const result = await runCli([command, '--offline'], { cwd: root });
      expect(result.code, `${command}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`\\.nichepress/run\\.lock is held by nichepress run \\(pid ${process.pid} on .+\\); nichepress ${command} did nothing\\. \\(NP8011\\)`));
    }
    const json = await runCli(['ingest', '--json'], { cwd: root });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 3, error: { code: 'NP8011' } });
    expect(existsSync(join(root, 'content/state.json'))).toBe(false);
    const scheduled = await runCli(['schedule', '--once', 'ingest'], { cwd: root });
    expect(scheduled.code).toBe(3);
    expect(scheduled.stderr).toMatch(/schedule: ingest is due but .+ is held by .+; skipped\. \(NP8013\)/);
    expect((await runCli(['validate'], { cwd: root })).code).toBe(0);
    expect((await runCli(['ingest', '--dry-run'], { cwd: root })).code).toBe(0);

    if (lock.acquired) await lock.release();
    expect((await runCli(['ingest'], { cwd: root })).code).toBe(0);
    expect(existsSync(join(root, 'content/state.json'))).toBe(true);
    expect(existsSync(join(root, '.nichepress/run.lock'))).toBe(false);
  }, 60_000);

  it('stops cleanly on SIGTERM: the item in hand finishes, the lock is released, exit 0, and a rerun completes', async () => {
    const root = await copySampleNiche();
    const child = spawn(process.execPath, [BIN, 'run', '--offline'], { cwd: root, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        // In the build (Astro is running): the longest stage, cancelled with its child process.
        if (/\[content\]|\[build\]|\[types\]/.test(stderr)) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 10);
      const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (exit) => {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve(exit);
      });
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('SIGTERM received');
    expect(stdout).toMatch(/SIGTERM received: the item in progress was finished or abandoned cleanly.*NP8012/);
    expect(existsSync(join(root, '.nichepress/run.lock'))).toBe(false);
    // The articles drafted before the signal are all there; the build left no staging folder.
    expect((await readdir(join(root, 'content/articles'))).length).toBeGreaterThanOrEqual(5);
    expect((await readdir(root)).filter((name) => name.startsWith('dist.'))).toEqual([]);
    const rerun = await runCli(['run', '--offline', '--no-build'], { cwd: root });
    expect(rerun.code, rerun.stderr).toBe(0);
  }, 90_000);
});
