import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../../pipeline/maintenance/run-lock.ts';
import { waitForBuildLock } from '../../../pipeline/site-build/build-lock.ts';

const lockFile = async () => join(await mkdtemp(join(tmpdir(), 'nichepress-build-lock-')), '.astro', 'nichepress-build.lock.json');

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('build lock', () => {
  it('makes a second build wait until the first releases, and says so once', async () => {
    const file = await lockFile();
    const events: string[] = [];
    const first = await waitForBuildLock({ file });
    events.push('first acquired');
    const waiting: string[] = [];
    const second = waitForBuildLock({ file, log: (line) => waiting.push(line) }).then((lock) => {
      events.push('second acquired');
      return lock;
    });
    // Let the second waiter poll a few times while the first holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 600));
    events.push('first released');
    await first.release();
    const lock = await second;
    expect(events).toEqual(['first acquired', 'first released', 'second acquired']);
    expect(waiting).toEqual(['Waiting for another site build to finish…']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'build' });
    await lock.release();
  });

  it('takes over the lock of a build that died', async () => {
    const file = await lockFile();
    const crashed = await acquireRunLock(file, { pid: await deadPid(), host: hostname(), command: 'build', now: new Date(), isAlive: () => false });
    expect(crashed.acquired).toBe(true);
    const lock = await waitForBuildLock({ file });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('stops waiting when the build is cancelled', async () => {
    const file = await lockFile();
    const held = await waitForBuildLock({ file });
    const controller = new AbortController();
    const waiting = waitForBuildLock({ file, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toThrow('the build was cancelled');
    await held.release();
  });
});
