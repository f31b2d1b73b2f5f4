import { parseFrontmatter } from '../archive/parse-frontmatter.ts';
import type { Finding } from '../errors/finding.ts';
import { escapeHtml } from '../newsletter/escape-html.ts';
import type { DeskDraft } from './desk-drafts.ts';
import { renderDraftBody } from './render-draft.ts';

export interface DeskPageInput {
  siteTitle: string;
  drafts: ReadonlyArray<DeskDraft & { text: string }>;
  /** The answer to the editor's last click, if any. */
  notice?: { ok: boolean; message: string; findings: Finding[] } | undefined;
  /** Proof that a form was served by this desk (no other page can post a decision). */
  token: string;
}

/**
 * The review page: each draft rendered, its findings listed and marked where they point, with
 * Approve and Reject buttons that post to the desk. No script: plain forms work in any browser.
 */
export function deskPage(input: DeskPageInput): string {
  const drafts = input.drafts.map((draft) => draftSection(draft, input.token)).join('\n');
  const empty = input.drafts.length === 0 ? '<p class="empty">Nothing waits on the desk.</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Desk · ${escapeHtml(input.siteTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Editor's desk</h1><p>${escapeHtml(input.siteTitle)} · ${input.drafts.length} ${input.drafts.length === 1 ? 'draft' : 'drafts'} waiting</p></header>
<main>
${input.notice ? noticeBlock(input.notice) : ''}
${empty}
${drafts}
</main>
</body>
</html>
`;
}

function noticeBlock(notice: NonNullable<DeskPageInput['notice']>): string {
  const findings = notice.findings.map((finding) => `<li>${findingText(finding)}</li>`).join('');
  return `<section class="notice ${notice.ok ? 'ok' : 'refused'}" role="status"><p>${escapeHtml(notice.message)}</p>${findings ? `<ul>${findings}</ul>` : ''}</section>`;
}

function draftSection(draft: DeskDraft & { text: string }, token: string): string {
  const body = parseFrontmatter(draft.text).content;
  const firstLine = draft.text.slice(0, draft.text.length - body.length).split('\n').length;
  const { html, placed } = renderDraftBody(body, firstLine, draft.findings, `finding-${draft.slug}`);
  const errors = draft.findings.filter((finding) => finding.severity === 'error').length;
  const listed = draft.findings.map((finding) => {
    const at = placed.get(finding);
    return `<li class="${finding.severity}">${findingText(finding)}${at ? ` <a href="#${escapeHtml(at)}">show</a>` : ''}</li>`;
  });
  const reasons = draft.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('');
  const form = (action: 'approve' | 'reject', label: string) =>
    `<form method="post" action="/${action}"><input type="hidden" name="slug" value="${escapeHtml(draft.slug)}"><input type="hidden" name="token" value="${token}"><button class="${action}" type="submit">${label}</button></form>`;
  return `<article class="draft" id="draft-${escapeHtml(draft.slug)}" data-slug="${escapeHtml(draft.slug)}">
<h2>${escapeHtml(draft.title)}</h2>
<p class="meta">${escapeHtml(draft.file)}${draft.topic ? ` · topic “${escapeHtml(draft.topic)}”` : ''} · ${errors} ${errors === 1 ? 'error' : 'errors'}, ${draft.findings.length - errors} other ${draft.findings.length - errors === 1 ? 'finding' : 'findings'}</p>
${reasons ? `<details><summary>Why it was kept a draft</summary><ul class="reasons">${reasons}</ul></details>` : ''}
${listed.length ? `<ul class="findings">${listed.join('')}</ul>` : '<p class="clean">No finding left: ready to publish.</p>'}
<div class="actions">${form('approve', 'Approve and publish')}${form('reject', 'Reject')}</div>
<div class="body">${html}</div>
</article>`;
}

function findingText(finding: Finding): string {
  const where = finding.line !== undefined ? `line ${finding.line}: ` : '';
  return `<code>${escapeHtml(finding.rule ?? finding.code ?? '')}</code> ${escapeHtml(where + finding.message)}`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fafaf7;--muted:#6b6b6b;--line:#ddd;--err:#b3261e;--warn:#8a5a00;--ok:#1e6b34}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#161616;--muted:#a0a0a0;--line:#333;--err:#ff8a80;--warn:#ffcc66;--ok:#7bd88f}}
body{margin:0;font:16px/1.55 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:52rem;margin:0 auto;padding:1rem 1.25rem}
header h1{margin:.5rem 0 0;font-size:1.6rem}header p{margin:.25rem 0;color:var(--muted)}
.draft{border-top:1px solid var(--line);padding:1.25rem 0}
.draft h2{margin:0 0 .25rem;font-size:1.3rem}.meta{margin:0;color:var(--muted);font-size:.9rem}
.actions{display:flex;gap:.5rem;margin:.75rem 0}.actions form{margin:0}
button{font:inherit;padding:.45rem .9rem;border-radius:.4rem;border:1px solid var(--line);cursor:pointer;background:transparent;color:var(--fg)}
button.approve{background:var(--ok);border-color:var(--ok);color:#fff}
.finding{outline:2px solid var(--warn);outline-offset:3px;border-radius:2px}.finding.error{outline-color:var(--err)}
.finding-note{display:block;font-size:.8rem;font-weight:600;color:var(--err)}.finding.warning .finding-note{color:var(--warn)}
.findings li.error{color:var(--err)}.findings li.warning{color:var(--warn)}
.notice{padding:.75rem 1rem;border-radius:.4rem;border:1px solid var(--line)}.notice.ok{border-color:var(--ok)}.notice.refused{border-color:var(--err)}
.body{overflow-wrap:anywhere}.body pre{overflow-x:auto}
`;
