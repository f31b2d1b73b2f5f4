import { codeOf, matchesAtHeadingLines, matchesOutsideCode } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * The page has one title: the frontmatter `title`, which the page renders as its only h1. The
 * body starts its sections at `##`.
 *
 * A second h1 confuses screen readers and search engines about what the page is; models often
 * repeat the title as `# Title` at the top of the body.
 *
 * ok:     ## Section
 * not-ok: # Another title
 */
export const structureSingleTitle: Rule = {
  id: 'structure/single-title',
  severity: 'error',
  description: 'The body has no h1 of its own.',
  check(article) {
    const code = codeOf(article);
    // The setext form (a line underlined with ===) is rare: its costlier pattern runs only when
    // a line starts with "=" (four searches for "\n=", "\n =", … instead of a regex over the body).
    const body = article.body;
    const setext = body.includes('\n=') || body.includes('\n =') || body.includes('\n  =') || body.includes('\n   =');
    const matches = setext
      ? matchesOutsideCode(body, /^ {0,3}#(?!#)[^\S\n]+\S[^\n]*$|^[^\s#>|-][^\n]*\n {0,3}=+[^\S\n]*$/gm, code)
      : matchesAtHeadingLines(article, H1, code);
    return matches.map((match) => ({
      message: 'A second title (h1) in the body: the page already shows the frontmatter title as its h1',
      hint: 'Make it a ## section heading, or remove it if it repeats the title.',
      offset: match.index,
    }));
  },
};

/** An ATX h1 line (sticky: tried at heading line starts only). */
const H1 = /^ {0,3}#(?!#)[^\S\n]+\S/my;
