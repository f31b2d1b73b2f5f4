import { escapeHtml } from './escape-html.ts';
import type { IssueContent, IssueItem } from './issue-content.ts';

/**
 * The issue's email HTML *before* CSS inlining: a table layout (the one layout every client,
 * Outlook's Word engine included, lays out the same), styles in one <style> block that juice
 * inlines (see ../lib/inline-css.ts), and a media query juice keeps for phones.
 *
 * Only CSS that Gmail, Outlook and Apple Mail support (checked against caniemail in
 * test/newsletter/email-compat.test.ts): no max-width (Outlook ignores it; the 600 px
 * container is a width attribute, made fluid on phones by the media query), no border-radius,
 * no shorthand backgrounds, no web fonts, no images. No script, no external stylesheet.
 */

const STYLES = `
body { margin: 0; padding: 0; background-color: #f3f4f6; }
.wrapper { background-color: #f3f4f6; }
.outer { padding: 24px 12px; }
.container { background-color: #ffffff; }
.pad { padding: 0 32px; }
.topbar { padding: 12px 32px; font-family: Arial, Helvetica, sans-serif; font-size: 12px; line-height: 18px; color: #6b7280; background-color: #f9fafb; border-bottom: 1px solid #e5e7eb; }
.topbar a { color: #374151; text-decoration: underline; }
.masthead { padding: 24px 32px 0 32px; font-family: Arial, Helvetica, sans-serif; font-size: 13px; line-height: 20px; color: #6b7280; }
.masthead a { color: #111827; font-weight: bold; text-decoration: none; }
h1 { margin: 8px 0 16px 0; font-family: Georgia, 'Times New Roman', serif; font-size: 26px; line-height: 32px; font-weight: bold; color: #111827; }
.intro { margin: 0 0 16px 0; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 24px; color: #374151; }
.disclosure { padding: 12px 16px; font-family: Arial, Helvetica, sans-serif; font-size: 13px; line-height: 20px; color: #4b5563; background-color: #fffbeb; border-left: 4px solid #f59e0b; }
.item { padding: 20px 0; border-bottom: 1px solid #e5e7eb; }
h2 { margin: 0 0 8px 0; font-family: Georgia, 'Times New Roman', serif; font-size: 20px; line-height: 26px; font-weight: bold; }
h2 a { color: #1d4ed8; text-decoration: none; }
.description { margin: 0 0 8px 0; font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 22px; color: #374151; }
.more { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 20px; }
.more a { color: #1d4ed8; text-decoration: underline; }
.tools { margin: 8px 0 0 0; font-family: Arial, Helvetica, sans-serif; font-size: 13px; line-height: 20px; color: #4b5563; }
.tools a { color: #1d4ed8; text-decoration: underline; }
.risk { padding: 20px 0 0 0; font-family: Arial, Helvetica, sans-serif; font-size: 12px; line-height: 18px; color: #6b7280; }
.footer { padding: 16px 32px 28px 32px; font-family: Arial, Helvetica, sans-serif; font-size: 12px; line-height: 18px; color: #6b7280; }
.footer a { color: #374151; text-decoration: underline; }
@media only screen and (max-width: 620px) {
  .outer { padding: 0 !important; }
  .container { width: 100% !important; }
  .pad, .topbar, .masthead, .footer { padding-left: 16px !important; padding-right: 16px !important; }
  h1 { font-size: 22px !important; line-height: 28px !important; }
}
`;

/**
 * Hidden preview text. Padding it with zero-width non-joiners keeps clients from appending the
 * first words of the body ("View in browser…") to the inbox preview.
 */
function preheader(text: string): string {
  const filler = '&#8204;&nbsp;'.repeat(40);
  return `<div class="preheader" style="display: none; mso-hide: all; font-size: 1px; line-height: 1px; color: #f3f4f6;">${escapeHtml(text)}${filler}</div>`;
}

function item(entry: IssueItem): string {
  const tools =
    entry.affiliates.length === 0
      ? ''
      : `\n<p class="tools">Tools mentioned: ${entry.affiliates
          .map((program) => `<a href="${escapeHtml(program.url)}" rel="sponsored">${escapeHtml(program.name)}</a>`)
          .join(', ')}.${entry.affiliates
          .filter((program) => program.statement)
          .map((program) => ` ${escapeHtml(program.statement!)}`)
          .join('')}</p>`;
  return `<tr><td class="item">
<h2><a href="${escapeHtml(entry.url)}">${escapeHtml(entry.title)}</a></h2>
<p class="description">${escapeHtml(entry.description)}</p>
<p class="more"><a href="${escapeHtml(entry.url)}">Read the article and its sources</a></p>${tools}
</td></tr>`;
}

export function renderEmailTemplate(content: IssueContent): string {
  const disclosure = content.disclosure
    ? `<tr><td class="disclosure">${escapeHtml(content.disclosure)}</td></tr>\n<tr><td height="8" style="font-size: 8px; line-height: 8px;">&nbsp;</td></tr>\n`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(content.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">
<title>${escapeHtml(content.subject)}</title>
<style>${STYLES}</style>
</head>
<body>
${preheader(content.preheader)}
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td align="center" class="outer">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0">
<tr><td class="topbar">Issue ${content.number} · ${content.date} · <a href="${escapeHtml(content.webUrl)}">View in browser</a></td></tr>
<tr><td class="masthead"><a href="${escapeHtml(content.siteUrl)}">${escapeHtml(content.siteTitle)}</a></td></tr>
<tr><td class="pad">
<h1>${escapeHtml(content.subject)}</h1>
<p class="intro">${escapeHtml(content.intro).replace(/\n{2,}/g, '</p>\n<p class="intro">')}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${disclosure}${content.items.map(item).join('\n')}
<tr><td class="risk">${escapeHtml(content.riskDisclaimer)}</td></tr>
</table>
</td></tr>
<tr><td class="footer">You receive this because you subscribed to ${escapeHtml(content.siteTitle)}. <a href="${escapeHtml(content.unsubscribeUrl)}">Unsubscribe</a> · <a href="${escapeHtml(content.webUrl)}">Read it on the web</a></td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
