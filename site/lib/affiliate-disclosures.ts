/**
 * Which affiliate programs a page links to, so each one's own disclosure and statement can be
 * shown wherever its links appear. A program counts when the article lists it, and also when the
 * body links to one of its domains or to its /go/<id>/ redirect without listing it: better a
 * disclosure too many than one missing.
 */
import type { AffiliateProgram } from '../../pipeline/schema/affiliate.ts';
import { isAffiliateHost } from './markdown-safety.ts';

const HREF = /\shref="([^"]*)"/g;
const GO_PATH = /^\/go\/([a-z0-9-]+)\/?/;

/** The programs `listed` names or the rendered `html` links to, in the registry's order. */
export function linkedPrograms(listed: readonly string[], html: string, programs: readonly AffiliateProgram[]): AffiliateProgram[] {
  const ids = new Set(listed);
  for (const match of html.matchAll(HREF)) {
    // Every program already found: the rest of the body cannot add one.
    if (programs.every((program) => ids.has(program.id))) break;
    const href = match[1]!.replaceAll('&amp;', '&');
    const go = GO_PATH.exec(href);
    if (go) {
      ids.add(go[1]!);
      continue;
    }
    const host = URL.parse(href)?.hostname;
    if (!host) continue;
    for (const program of programs) if (!ids.has(program.id) && isAffiliateHost(host, program.domains)) ids.add(program.id);
  }
  return programs.filter((program) => ids.has(program.id));
}

/** A program's own words, as shown beside its links: its disclosure, then its statement. */
export function programNotice(program: Pick<AffiliateProgram, 'disclosure' | 'statement'>): string | undefined {
  const parts = [program.disclosure, program.statement].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' ') : undefined;
}
