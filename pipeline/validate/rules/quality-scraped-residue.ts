import { blocksOf } from './markdown-scan.ts';
import { type Rule } from './rule.ts';

/**
 * No leftovers of a web page's chrome captured with the text: comment forms ("Leave a reply",
 * "Your email address will not be published"), share buttons ("Share on Twitter", "Click to
 * share"), navigation ("Skip to content", "Previous post / Next post", breadcrumbs), "Related
 * posts", cookie banners and newsletter boxes.
 *
 * They come from scraped sources quoted wholesale, and they make a page look stolen.
 *
 * ok:     an article without page chrome
 * not-ok: a line "Share this: Twitter Facebook LinkedIn"
 */
export const qualityScrapedResidue: Rule = {
  id: 'quality/scraped-residue',
  severity: 'error',
  description: 'No scraped page chrome (comment forms, share buttons, navigation, related posts).',
  check(article) {
    const messages = [];
    for (const block of blocksOf(article)) {
      // Chrome lives in short lines of its own; a long paragraph mentioning "share" is prose.
      let offset = block.offset;
      for (const line of block.text.split('\n')) {
        const text = lineText(line);
        if (text.length > 0 && text.length <= 120) {
          const hit = residueOf(text);
          if (hit) messages.push({ message: `${hit[1]}: "${text.slice(0, 50)}"`, hint: 'Remove the leftover of the source page; keep only the article text.', offset });
        }
        offset += line.length + 1;
      }
    }
    return messages;
  },
};

export const RESIDUE: Array<[RegExp, string]> = [
  [/^(leave a (reply|comment)|post a comment|\d+ comments?|comments? \(\d+\)|your email address will not be published|required fields are marked|add a comment|join the discussion)\b/i, 'Comment form residue'],
  [/^(share (this|on|via)\b|click to share|tweet( this)?$|share$|pin it$|(share:?\s*)?(twitter|facebook|linkedin|reddit|whatsapp|telegram|email)(\s*[|,•·/]?\s*(twitter|facebook|linkedin|reddit|whatsapp|telegram|email|x)){2,})/i, 'Share buttons'],
  [/^(skip to (main )?content|main menu|toggle navigation|(home|menu)\s*[›»>/|]\s*\w|previous (post|article)\b|next (post|article)\b|« (previous|older)|(newer|older) posts?$|back to top$|read more$|continue reading\b)/i, 'Navigation residue'],
  [/^(related (posts|articles|stories|reading)|you (may|might) also like|recommended for you|more from\b|popular posts|trending now)\b/i, '"Related posts" residue'],
  [/^(we use cookies|accept (all )?cookies|subscribe to (our|the) newsletter|sign up for our newsletter|enter your email)\b/i, 'Cookie banner or newsletter box residue'],
];

/**
 * The first RESIDUE entry whose pattern matches, found with one regex instead of five: the
 * patterns (all anchored at the start, all case-insensitive) as alternatives in list order,
 * each in a named group. At the start of the text the engine tries them in that order, so the
 * alternative that matches is the first pattern that matches.
 */
export function residueOf(text: string): (typeof RESIDUE)[number] | undefined {
  const groups = ANY_RESIDUE.exec(text)?.groups;
  return groups ? RESIDUE.find((_, index) => groups[`r${index}`] !== undefined) : undefined;
}

if (RESIDUE.some(([pattern]) => pattern.flags !== 'i' || !pattern.source.startsWith('^'))) throw new Error('quality/scraped-residue: every pattern must be anchored (^) and have exactly the i flag');
const ANY_RESIDUE = new RegExp(`^(?:${RESIDUE.map(([pattern], index) => `(?<r${index}>${pattern.source.replace(/^\^/, '')})`).join('|')})`, 'i');

/**
 * `line.replace(/^[#>*\-+\s]+/, '').replace(/[*_]/g, '').trim()`, with the replacements made only
 * when there is something to replace (two regex calls per line add up over 10,000 articles).
 */
function lineText(line: string): string {
  // Only a line starting with a marker, an ASCII space or control, or a non-ASCII character
  // (which may be a space) has a prefix to strip.
  const first = line.charCodeAt(0);
  const marked = first <= 0x20 || first > 0x7e || first === 0x23 || first === 0x3e || first === 0x2a || first === 0x2d || first === 0x2b;
  let text = marked ? line.replace(/^[#>*\-+\s]+/, '') : line;
  if (text.includes('*') || text.includes('_')) text = text.replace(/[*_]/g, '');
  return text.trim();
}
