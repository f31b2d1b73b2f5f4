import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Every file under `root`, as paths relative to it with forward slashes. */
export async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Wording that belongs to money niches. A niche without the finance preset must not show any of
 * it in what it writes: articles, newsletter, social posts, state.
 */
export const FINANCE_WORDING =
  /financ\w*|crypto\w*|\bdefi\b|decentrali[sz]ed|\bstak(e|ing)\b|stablecoin|smart[- ]contract|blockchain|\btokens?\b|\byields?\b|\binvest\w*|liquidity|protocols?\b|slashing|depeg\w*/gi;

/** Each finance word found in the files, with the file and the line it is on. */
export async function financeWordingIn(root: string, files: readonly string[], notOurs: readonly string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    let text = await readFile(join(root, file), 'utf8');
    for (const sentence of notOurs) text = text.split(sentence).join('');
    text.split('\n').forEach((line, index) => {
      for (const match of line.matchAll(FINANCE_WORDING)) found.push(`${file}:${index + 1}: ${match[0]}`);
    });
  }
  return found;
}
