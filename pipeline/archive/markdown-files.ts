import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every Markdown file under `folder` (subfolders too, dotfiles left out), as sorted absolute paths. */
export async function markdownFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.md$/i.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
