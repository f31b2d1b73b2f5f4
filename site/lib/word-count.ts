/**
 * Words in a rendered body, for the reading time: tags (and script/style elements) are not words;
 * a word starts with a letter or digit and goes on through letters, digits, apostrophes, dots
 * and hyphens ("don't", "4.1", "re-stake" are one word each).
 */
const SCRIPT_OR_STYLE = /<(script|style)[\s\S]*?<\/\1>/gi;
const TAG = /<[^>]+>/g;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

export function wordCount(html: string): number {
  return html.replace(SCRIPT_OR_STYLE, ' ').replace(TAG, ' ').match(WORD)?.length ?? 0;
}
