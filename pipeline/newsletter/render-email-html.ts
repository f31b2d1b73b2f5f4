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

/**
 * The site's type and colours (site/styles/global.css): the same system font stack — no web
 * fonts — the same navy masthead with its gold rule, the same link colour and notice box.
 */
const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const STYLES = `
body { margin: 0; padding: 0; background-color: #f2f0ea; }
.wrapper { background-color: #f2f0ea; }
.outer { padding: 24px 12px; }
.container { background-color: #ffffff; border: 1px solid #dedad0; }
.pad { padding: 0 32px; }
.topbar { padding: 10px 32px; font-family: ${SANS}; font-size: 12px; line-height: 18px; color: #c9cfdd; background-color: #14213d; }
.topbar a { color: #f8f7f2; text-decoration: underline; }
.masthead { padding: 16px 32px; font-family: ${SANS}; font-size: 18px; line-height: 24px; font-weight: bold; background-color: #14213d; border-top: 4px solid #f2b134; }
.masthead a { color: #f8f7f2; text-decoration: none; }
h1 { margin: 24px 0 12px 0; font-family: ${SANS}; font-size: 26px; line-height: 32px; font-weight: bold; color: #1c2333; }
.intro { margin: 0 0 16px 0; font-family: ${SANS}; font-size: 16px; line-height: 25px; color: #1c2333; }
.disclosure { padding: 10px 14px; font-family: ${SANS}; font-size: 13px; line-height: 20px; color: #1c2333; background-color: #fff8e6; border-left: 4px solid #e0a526; }
.disclosure p { margin: 0 0 6px 0; }
.item { padding: 20px 0; border-bottom: 1px solid #dedad0; }
h2 { margin: 0 0 8px 0; font-family: ${SANS}; font-size: 20px; line-height: 26px; font-weight: bold; }
h2 a { color: #1c2333; text-decoration: none; }
.description { margin: 0 0 8px 0; font-family: ${SANS}; font-size: 15px; line-height: 23px; color: #545d6e; }
.more { margin: 0; font-family: ${SANS}; font-size: 14px; line-height: 20px; font-weight: bold; }
.more a { color: #1b4b9a; text-decoration: underline; }
.tools { margin: 8px 0 0 0; font-family: ${SANS}; font-size: 13px; line-height: 20px; color: #545d6e; }
.tools a { color: #1b4b9a; text-decoration: underline; }
.risk { padding: 20px 0 0 0; font-family: ${SANS}; font-size: 12px; line-height: 18px; color: #545d6e; }
.footer { padding: 16px 32px 28px 32px; font-family: ${SANS}; font-size: 12px; line-height: 18px; color: #545d6e; background-color: #f2f0ea; }
.footer a { color: #1c2333; text-decoration: underline; }
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
  return `<div class="preheader" style="display: none; mso-hide: all; font-size: 1px; line-height: 1px; color: #f2f0ea;">${escapeHtml(text)}${filler}</div>`;
}

function item(entry: IssueItem): string {
  const tools =
    entry.affiliates.length === 0
      ? ''
      : `\n<p class="tools">Tools mentioned: ${entry.affiliates
          .map((program) => `<a href="${escapeHtml(program.url)}" rel="sponsored">${escapeHtml(program.name)}</a>`)
          .join(', ')}.</p>`;
  return `<tr><td class="item">
<h2><a href="${escapeHtml(entry.url)}">${escapeHtml(entry.title)}</a></h2>
<p class="description">${escapeHtml(entry.description)}</p>
<p class="more"><a href="${escapeHtml(entry.url)}">Read the article and its sources</a></p>${tools}
</td></tr>`;
}

export function renderEmailTemplate(content: IssueContent): string {
  const notices = content.programNotices.map((notice) => `<p><b>${escapeHtml(notice.name)}:</b> ${escapeHtml(notice.text)}</p>`).join('');
  const disclosure = content.disclosure
    ? `<tr><td class="disclosure"><p>${escapeHtml(content.disclosure)}</p>${notices}</td></tr>\n<tr><td height="8" style="font-size: 8px; line-height: 8px;">&nbsp;</td></tr>\n`
    : '';
  const risk = content.riskDisclaimer ? `\n<tr><td class="risk">${escapeHtml(content.riskDisclaimer)}</td></tr>` : '';
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
${disclosure}${content.items.map(item).join('\n')}${risk}
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
