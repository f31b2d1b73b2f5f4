import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DEFAULT_CONFIG_PATH, loadConfig } from './niche-config.ts';

/** One niche of a network, with its folders relative to the project root (forward slashes). */
export interface NicheEntry {
  /** `content` for the niche in content/, the folder name for sites/<name>/. */
  name: string;
  config: string;
  /** The folder whose changes a scheduled run commits (the config's folder). */
  folder: string;
  outDir: string;
  cacheDir: string;
  site: string;
}

/**
 * The niches of a project: content/niche.yaml (the sample, or a single-niche project) and every
 * sites/<name>/niche.yaml, each loaded with the run's own loader, so a broken config fails here
 * with its line rather than later in one job of the scheduled workflow.
 */
export async function listNiches(root: string): Promise<NicheEntry[]> {
  const configs: { name: string; config: string }[] = [];
  if (await isFile(join(root, DEFAULT_CONFIG_PATH))) configs.push({ name: 'content', config: DEFAULT_CONFIG_PATH });
  const sites = await readdir(join(root, 'sites'), { withFileTypes: true }).catch(() => []);
  for (const entry of sites.filter((site) => site.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const config = `sites/${entry.name}/niche.yaml`;
    if (await isFile(join(root, config))) configs.push({ name: entry.name, config });
  }
  const niches: NicheEntry[] = [];
  for (const { name, config } of configs) {
    const loaded = await loadConfig({ root, configPath: config });
    const shown = (path: string) => relative(root, path).split(sep).join('/') || '.';
    niches.push({
      name,
      config,
      folder: config.slice(0, config.lastIndexOf('/')),
      outDir: shown(loaded.resolved.outDir),
      cacheDir: shown(loaded.resolved.cacheDir),
      site: loaded.site.url,
    });
  }
  return niches;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
