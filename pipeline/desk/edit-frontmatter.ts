import { parseDocument, type Document } from 'yaml';

const FRONTMATTER = /^\uFEFF?---[^\S\n]*\r?\n([\s\S]*?)^---[^\S\n]*\r?$/m;

/**
 * Changes an article's frontmatter as a YAML document — keys, order and comments the editor wrote
 * stay as they are — and returns the whole file. Throws when there is no frontmatter block or its
 * YAML does not parse (validation says where).
 */
export function editFrontmatter(text: string, edit: (document: Document) => void): string {
  const match = FRONTMATTER.exec(text);
  if (!match || match.index !== 0) throw new Error('the file has no frontmatter block');
  const document = parseDocument(match[1] ?? '');
  if (document.errors.length > 0) throw new Error(document.errors[0]!.message);
  edit(document);
  // lineWidth 0: long values stay on their line, as the editor or the pipeline wrote them.
  return `---\n${document.toString({ lineWidth: 0 })}---${text.slice(match[0].length)}`;
}
