import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeUrl, sanitizeMarkdown } from '../../../pipeline/lib/sanitize-markdown.ts';

describe('sanitizeMarkdown', () => {
  const allowed = 'https://defiledger.example/report';
  it('keeps only allowed http(s) links and never a dangerous scheme', () => {
    const link = fc.oneof(
      fc.constant(allowed),
      fc.webUrl(),
      fc.constantFrom('javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', 'vbscript:x', '/about/'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }).map((text) => text.replace(/[[\]()\\<>]/g, '') || 'x'), link), { maxLength: 6 }), (links) => {
        const markdown = links.map(([label, url]) => `See [${label}](${url}).`).join('\n');
        const result = sanitizeMarkdown(markdown, (url) => url === allowed || url.startsWith('/'));
        for (const match of result.markdown.matchAll(/\]\(([^)\s]*)\)/g)) {
          const url = match[1]!;
          expect(isSafeUrl(url)).toBe(true);
          expect(url === allowed || url.startsWith('/')).toBe(true);
        }
        expect(result.markdown.toLowerCase()).not.toMatch(/\]\((javascript|data|vbscript):/);
      }),
      { numRuns: 1000 },
    );
  });
});
