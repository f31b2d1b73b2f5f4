import { codeOf, matchesAtHeadingLines } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * Heading levels go down one step at a time (## then ###, never ## then ####), starting at ##
 * under the page's h1 title.
 *
 * Skipped levels break the outline screen readers navigate by, and usually mean a section was
 * lost or pasted from elsewhere.
 *
 * ok:     ## A  ### B  ## C
 * not-ok: ## A  #### B
 */
export const structureHeadingIncrement: Rule = {
  id: 'structure/heading-increment',
  severity: 'error',
  description: 'Heading levels are not skipped.',
  check(article) {
    const code = codeOf(article);
    let previous = 1; // the page title
    const messages = [];
    for (const match of matchesAtHeadingLines(article, HEADING, code)) {
      const level = match[1]!.length;
      if (level > previous + 1) {
        messages.push({
          message: `Heading level ${level} follows level ${previous}: level ${previous + 1} is skipped`,
          hint: `Use ${'#'.repeat(previous + 1)} here, or add the missing level above it.`,
          offset: match.index,
        });
      }
      previous = level;
    }
    return messages;
  },
};

/** An ATX heading line (sticky: tried at heading line starts only). */
const HEADING = /^ {0,3}(#{1,6})[^\S\n]+\S/my;
