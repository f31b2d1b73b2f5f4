import type { IssueContent } from './issue-content.ts';

/**
 * The issue as markdown, for services that take markdown (Buttondown, Ghost) and for people who
 * paste. Link texts and titles are escaped so an article title cannot open markdown syntax.
 */
export function renderIssueMarkdown(content: IssueContent): string {
  const parts: string[] = [
    `# ${escapeMarkdown(content.subject)}`,
    `*Issue ${content.number} · ${content.date} · [View in browser](${content.webUrl})*`,
    content.intro,
  ];
  if (content.disclosure) {
    const notices = content.programNotices.map((notice) => `> **${escapeMarkdown(notice.name)}:** ${escapeMarkdown(notice.text)}`);
    parts.push([`> ${escapeMarkdown(content.disclosure)}`, ...notices].join('\n>\n'));
  }
  for (const item of content.items) {
    const lines = [`## [${escapeMarkdown(item.title)}](${item.url})`, '', escapeMarkdown(item.description)];
    if (item.affiliates.length > 0) {
      const links = item.affiliates.map((program) => `[${escapeMarkdown(program.name)}](${program.url})`).join(', ');
      lines.push('', `Tools mentioned: ${links}.`);
    }
    parts.push(lines.join('\n'));
  }
  if (content.riskDisclaimer) parts.push(`*${escapeMarkdown(content.riskDisclaimer)}*`);
  parts.push(`[${escapeMarkdown(content.siteTitle)}](${content.siteUrl}) · [Unsubscribe](${content.unsubscribeUrl})`);
  return `${parts.join('\n\n')}\n`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (character) => `\\${character}`);
}
