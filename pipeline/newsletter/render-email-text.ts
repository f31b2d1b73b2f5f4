import type { IssueContent } from './issue-content.ts';

/**
 * The plain-text part: what text-only clients, screen readers in plain mode and spam filters
 * read. It carries every link of the HTML part, written out in full on a line of its own
 * (a URL broken across lines is not clickable), and the disclosure before the first affiliate
 * link, as in the HTML.
 */
export function renderEmailText(content: IssueContent): string {
  const lines: string[] = [
    `${content.siteTitle} · Issue ${content.number} · ${content.date}`,
    `View in browser: ${content.webUrl}`,
    '',
    content.subject,
    '-'.repeat(Math.min(content.subject.length, 72)),
    '',
    ...content.intro.split(/\n{2,}/).flatMap((paragraph) => [paragraph.replace(/\s*\n\s*/g, ' '), '']),
  ];
  if (content.disclosure) {
    lines.push(`Disclosure: ${content.disclosure}`);
    for (const notice of content.programNotices) lines.push(`${notice.name}: ${notice.text}`);
    lines.push('');
  }
  for (const item of content.items) {
    lines.push(`* ${item.title}`, `  ${item.description}`, `  ${item.url}`);
    if (item.affiliates.length > 0) {
      lines.push('  Tools mentioned:');
      for (const program of item.affiliates) lines.push(`  - ${program.name}: ${program.url}`);
    }
    lines.push('');
  }
  if (content.riskDisclaimer) lines.push(content.riskDisclaimer, '');
  lines.push(
    '--',
    `${content.siteTitle}: ${content.siteUrl}`,
    `Unsubscribe: ${content.unsubscribeUrl}`,
    '',
  );
  return lines.join('\n');
}
