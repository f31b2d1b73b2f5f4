import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers (and a run killed at any moment) see either the old content or
 * the new one, never half of it: write a temp file, fsync it, rename it over the target (atomic
 * on POSIX within one file system), then fsync the folder so the rename itself survives a power
 * cut.
 *
 * The temp file goes in `options.tempDir` when given (the CLI's scratch folder,
 * `.nichepress/tmp/`), so a run killed mid-write leaves no stray file among the user's content —
 * only in the scratch folder, which the next run empties under its lock. When that folder is on
 * another file system (rename fails with EXDEV), the temp file goes next to the target instead.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { tempDir?: string } = {}): Promise<void> {
  const folder = dirname(file);
  await mkdir(folder, { recursive: true });
  if (options.tempDir) {
    await mkdir(options.tempDir, { recursive: true });
    try {
      await writeThenRename(join(options.tempDir, tempName(file)), file, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await writeThenRename(join(folder, tempName(file)), file, data);
    }
  } else {
    await writeThenRename(join(folder, tempName(file)), file, data);
  }
  await syncFolder(folder);
}

/**
 * Like writeFileAtomic, but leaves the file alone when it already holds exactly `data`: a quiet
 * run changes no mtime, so git, rsync and the static host see nothing to do.
 */
export async function writeFileIfChanged(file: string, data: string | Uint8Array, options: { tempDir?: string } = {}): Promise<boolean> {
  const current = await readFile(file).catch(() => undefined);
  if (current && current.equals(typeof data === 'string' ? Buffer.from(data) : data)) return false;
  await writeFileAtomic(file, data, options);
  return true;
}

function tempName(file: string): string {
  return `.${basename(file)}.tmp-${randomBytes(6).toString('hex')}`;
}

async function writeThenRename(temp: string, file: string, data: string | Uint8Array): Promise<void> {
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}
