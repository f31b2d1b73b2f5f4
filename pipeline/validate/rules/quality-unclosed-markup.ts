import { blocksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * Code fences and emphasis are closed.
 *
 * An unclosed fence swallows the rest of the page into a code block; an unclosed `**` leaves
 * literal asterisks or bolds a whole paragraph. Both are classic marks of a truncated or
 * sloppily edited draft.
 *
 * ok:     **bold** and *italic*, and a closed fence
 * not-ok: **bold that never ends
 */
export const qualityUnclosedMarkup: Rule = {
  id: 'quality/unclosed-markup',
  severity: 'error',
  description: 'Code fences and emphasis markers are closed.',
  check(article) {
    const body = article.body;
    const messages = [];
    let open: { marker: string; offset: number } | undefined;
    // Fences are three backticks or tildes: without either, the line-by-line pattern is skipped.
    const fences = body.includes('```') || body.includes('~~~') ? body.matchAll(/^ {0,3}(`{3,}|~{3,})/gm) : [];
    for (const match of fences) {
      const marker = match[1]!;
      if (!open) open = { marker, offset: match.index };
      else if (marker[0] === open.marker[0] && marker.length >= open.marker.length) open = undefined;
    }
    if (open) {
      messages.push({ message: 'Code fence is never closed', hint: `Close it with ${open.marker} on its own line.`, offset: open.offset });
    }
    for (const block of blocksOf(article)) {
      if (!block.text.includes('*') && !block.text.includes('__')) continue;
      if (/^(```|~~~)/.test(block.text)) continue;
      // Inline code and link targets may hold asterisks and underscores legitimately.
      const text = block.text.replace(/`[^`\n]*`/g, (s) => ' '.repeat(s.length)).replace(/\]\([^)]*\)/g, (s) => ' '.repeat(s.length));
      for (const [marker, name] of [['**', 'Bold'], ['__', 'Bold']] as const) {
        const positions = [...text.matchAll(marker === '**' ? /\*\*/g : /(?<![\w_])__|__(?![\w_])/g)].map((m) => m.index);
        if (positions.length % 2 === 1) {
          messages.push({ message: `${name} marker ${marker} is never closed`, hint: `Close the ${marker} or remove it.`, offset: block.offset + positions[positions.length - 1]! });
        }
      }
      // Single * emphasis: list bullets and spaced arithmetic ("2 * 3") are not markers.
      const singles = [...text.replace(/\*\*/g, '  ').replace(/^(\s*)\*(?=\s)/gm, '$1 ').replace(/ \* /g, '   ').matchAll(/(?<!\\)\*/g)];
      if (singles.length % 2 === 1) {
        messages.push({ message: 'Emphasis marker * is never closed', hint: 'Close the * or remove it.', offset: block.offset + singles[singles.length - 1]!.index });
      }
    }
    return messages;
  },
};
