import { isAbsolute, relative, resolve } from 'node:path';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { PrivateOutputDeployed } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';

/**
 * Where a publisher-only output (the email files, the social post queue) is written: its
 * configured folder, resolved against the project root — unless that folder is inside the
 * deployed site folder, where it would be published with the site. Then nothing may be written,
 * and the finding says why.
 */
export function privateOutputDir(config: ResolvedConfig, setting: string, folder: string): { dir: string } | { finding: Finding } {
  const dir = resolve(config.root, folder);
  const rel = relative(resolve(config.resolved.outDir), dir);
  const inside = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  if (!inside) return { dir };
  return { finding: findingFrom(PrivateOutputDeployed, [setting, folder, displayPath(config.root, config.resolved.outDir)]) };
}
