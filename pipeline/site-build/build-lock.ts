import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireRunLock } from '../maintenance/run-lock.ts';
import { isProcessAlive } from '../maintenance/process-alive.ts';

/**
 * One site build at a time from this package. Astro runs with the package as its root, so every
 * niche's build writes the same generated `.astro/` folder (and its prerender bundle): two builds
 * at once would break each other even when their projects' run locks are different files.
 *
 * The lock is the run lock's mechanism (exclusive create, owner pid/host/boot id, takeover of a
 * lock whose owner died) on a file of its own in `.astro/`; unlike a project's run lock, which
 * refuses at once, a build waits its turn.
 */
export const BUILD_LOCK_FILE = join(fileURLToPath(new URL('../../', import.meta.url)), '.astro', 'nichepress-build.lock.json');

const POLL_MS = 250;
const MAX_WAIT_MS = 30 * 60_000;

export interface BuildLock {
  release: () => Promise<void>;
  /** For a process exit handler, where nothing async runs any more. */
  releaseSync: () => void;
}

export async function waitForBuildLock(options: { signal?: AbortSignal | undefined; log?: (line: string) => void; file?: string }): Promise<BuildLock> {
  const file = options.file ?? BUILD_LOCK_FILE;
  const deadline = Date.now() + MAX_WAIT_MS;
  let told = false;
  for (;;) {
    if (options.signal?.aborted) throw new Error('the build was cancelled');
    const lock = await acquireRunLock(file, { pid: process.pid, host: hostname(), command: 'build', now: new Date(), isAlive: isProcessAlive });
    if (lock.acquired) return { release: lock.release, releaseSync: lock.releaseSync };
    if (Date.now() > deadline) {
      throw new Error(`another site build (pid ${lock.owner?.pid ?? 'unknown'}) has held ${file} for over ${MAX_WAIT_MS / 60_000} minutes; delete it if no build is running`);
    }
    if (!told) {
      options.log?.('Waiting for another site build to finish…');
      told = true;
    }
    await delay(POLL_MS, options.signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(new Error('the build was cancelled'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('the build was cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolvePromise();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
