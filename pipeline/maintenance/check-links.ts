import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Archive } from '../archive/archive.ts';
import { displayPath } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import {
  AffiliateRedirectOffMerchant,
  AffiliateTagLost,
  InternalLinkBroken,
  LinkBroken,
  LinkCheckFailed,
  LinkUnknown,
} from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { describeHttpFailure, discard, headerValue, type ResponseHeaders } from '../lib/http-client.ts';
import { mapLimit } from '../lib/map-limit.ts';
import { markdownLinks } from '../validate/markdown-links.ts';
import { hostMatches, httpHost, programForUrl } from '../validate/rules/link-targets.ts';
import type { AffiliateProgram } from '../schema/affiliate.ts';

/**
 * `nichepress check-links`: real HTTP checks of the external links of the articles (body links,
 * listed sources, affiliate links), and a check of the internal links of the built site in dist/.
 * The articles come from the run's archive, read once like every stage's.
 *
 * Verdicts are ok / broken / unknown. Only a definite answer is "broken" (404, 410, other 4xx, a
 * host that does not resolve, a redirect loop); bot walls (403, 429, 503 — big merchants answer
 * robots that way) and timeouts are "unknown, retry later", because calling a live link broken
 * makes people delete good links. Affiliate links are followed hop by hop: the last host must be
 * the merchant and the tracking parameter must survive, or the sale is not credited.
 *
 * Politeness: at most `checkLinks.concurrency` requests at once and one request per
 * `perHostIntervalMs` to any host; HEAD first (cheap), GET when a server mishandles HEAD.
 * Verdicts are cached in <cacheDir>/link-check-cache.json for `cacheTtlHours`; unknown ones are
 * never cached so they are retried next time.
 */

export type Verdict = 'ok' | 'broken' | 'unknown';

export interface LinkResult {
  url: string;
  verdict: Verdict;
  status?: number;
  finalUrl?: string;
  reason: string;
  /** Where the URL appears (first occurrence). */
  file: string;
  line: number;
  column: number;
  program?: string;
  cached: boolean;
}

export interface CheckLinksResult {
  counts: Record<string, number>;
  findings: Finding[];
  details: { external: LinkResult[]; internal: { pages: number; links: number; broken: number } };
}

interface CacheEntry {
  verdict: Exclude<Verdict, 'unknown'>;
  status?: number;
  finalUrl?: string;
  reason: string;
  checkedAt: string;
}

interface Occurrence {
  url: string;
  file: string;
  line: number;
  column: number;
}

const CACHE_FILE = 'link-check-cache.json';

export async function checkLinks(context: Context, archive: Archive, options: { noCache?: boolean } = {}): Promise<CheckLinksResult> {
  const { config } = context;
  const findings: Finding[] = [];
  const counts: Record<string, number> = { links: 0, ok: 0, broken: 0, unknown: 0, cached: 0, internalLinks: 0, internalBroken: 0 };

  // ── external ────────────────────────────────────────────────────────────────────────────────
  const occurrences = externalLinks(context, archive);
  const unique = new Map<string, Occurrence>();
  for (const occurrence of occurrences) if (!unique.has(occurrence.url)) unique.set(occurrence.url, occurrence);
  counts.links = unique.size;
  const external: LinkResult[] = [];

  if (context.offline) {
    if (unique.size > 0) findings.push(findingFrom(LinkCheckFailed, ['external links are not checked with --offline'], { severity: 'info' }));
  } else {
    const cacheFile = join(config.resolved.cacheDir, CACHE_FILE);
    const cache: Record<string, CacheEntry> = options.noCache ? {} : await readCache(cacheFile);
    const ttlMs = config.checkLinks.cacheTtlHours * 3_600_000;
    const checker = new LinkChecker(context);
    const results = await mapLimit([...unique.values()], config.checkLinks.concurrency, async (occurrence): Promise<LinkResult> => {
      const program = programForUrl(occurrence.url, config.affiliates);
      const hit = cache[occurrence.url];
      const base = { url: occurrence.url, file: occurrence.file, line: occurrence.line, column: occurrence.column, ...(program ? { program: program.id } : {}) };
      if (hit && context.now.getTime() - Date.parse(hit.checkedAt) < ttlMs) return { ...base, ...withoutTime(hit), cached: true };
      const outcome = await checker.check(occurrence.url, program);
      if (outcome.verdict !== 'unknown') {
        const entry: CacheEntry = { verdict: outcome.verdict, reason: outcome.reason, checkedAt: context.now.toISOString() };
        if (outcome.status !== undefined) entry.status = outcome.status;
        if (outcome.finalUrl !== undefined) entry.finalUrl = outcome.finalUrl;
        cache[occurrence.url] = entry;
      }
      return { ...base, ...outcome, cached: false };
    });
    if (!context.dryRun) await writeFileAtomic(cacheFile, `${JSON.stringify(pruned(cache, context.now.getTime(), ttlMs), null, 1)}\n`);
    external.push(...results);
    for (const result of results) {
      counts[result.verdict]!++;
      if (result.cached) counts.cached!++;
      const where = { file: result.file, line: result.line, column: result.column, subject: result.url };
      if (result.verdict === 'broken') findings.push(findingFrom(LinkBroken, [result.url, result.reason], where));
      else if (result.verdict === 'unknown') findings.push(findingFrom(LinkUnknown, [result.url, result.reason], { ...where, severity: 'warning' }));
      else if (result.program && result.finalUrl) {
        const program = config.affiliates.find((candidate) => candidate.id === result.program)!;
        findings.push(...affiliateFindings(result, program, where));
      }
    }
  }

  // ── internal (the built site) ──────────────────────────────────────────────────────────────
  const internal = await checkInternal(context);
  counts.internalLinks = internal.links;
  counts.internalBroken = internal.broken.length;
  if (internal.pages === 0) {
    findings.push(findingFrom(LinkCheckFailed, [`no built site in ${displayPath(config.root, config.resolved.outDir)}, so internal links were not checked`], { severity: 'info' }));
  }
  findings.push(...internal.broken);

  return { counts, findings, details: { external, internal: { pages: internal.pages, links: internal.links, broken: internal.broken.length } } };
}

function withoutTime(entry: CacheEntry): Omit<CacheEntry, 'checkedAt'> {
  const { checkedAt: _checkedAt, ...rest } = entry;
  return rest;
}

/** The cache keeps only fresh entries, so it cannot grow without bound. */
function pruned(cache: Record<string, CacheEntry>, now: number, ttlMs: number): Record<string, CacheEntry> {
  return Object.fromEntries(Object.entries(cache).filter(([, entry]) => now - Date.parse(entry.checkedAt) < ttlMs));
}

async function readCache(file: string): Promise<Record<string, CacheEntry>> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, CacheEntry>) : {};
  } catch {
    return {}; // missing or corrupt: the cache is disposable
  }
}

/** An affiliate link that resolved: it must land on the merchant with its tracking tag. */
function affiliateFindings(result: LinkResult, program: AffiliateProgram, where: Partial<Finding>): Finding[] {
  const finalUrl = result.finalUrl!;
  const host = httpHost(finalUrl);
  if (!host || !program.domains.some((domain) => hostMatches(host, domain))) {
    return [findingFrom(AffiliateRedirectOffMerchant, [result.url, finalUrl, program.name], where)];
  }
  const final = new URL(finalUrl);
  const start = new URL(result.url);
  for (const param of program.trackingParams) {
    if (start.searchParams.has(param) && !final.searchParams.has(param)) {
      return [findingFrom(AffiliateTagLost, [result.url, param, finalUrl], where)];
    }
  }
  return [];
}

// ── collecting the links ──────────────────────────────────────────────────────────────────────

/**
 * Every external link of the articles that are not drafts, where it first appears in its file.
 * Files are taken as read, schema or not: a link is worth checking even in an article whose
 * frontmatter validate rejects; only unreadable frontmatter (no parsed data) is skipped.
 */
function externalLinks(context: Context, archive: Archive): Occurrence[] {
  const occurrences: Occurrence[] = [];
  for (const entry of archive.files) {
    const data = entry.data as { draft?: unknown; sources?: Array<{ url?: unknown }> } | undefined;
    if (!data || data.draft === true) continue;
    const { text } = entry;
    const file = displayPath(context.config.root, entry.file);
    // Parsed as the whole file, so link positions are lines of the file.
    for (const link of markdownLinks(text)) {
      if (!httpHost(link.url)) continue;
      occurrences.push({ url: link.url, file, line: link.line, column: link.column });
    }
    for (const source of Array.isArray(data.sources) ? data.sources : []) {
      if (typeof source?.url !== 'string' || !httpHost(source.url)) continue;
      const index = text.indexOf(source.url);
      const line = index >= 0 ? text.slice(0, index).split('\n').length : 1;
      occurrences.push({ url: source.url, file, line, column: index >= 0 ? index - text.lastIndexOf('\n', index - 1) : 1 });
    }
  }
  return occurrences;
}

// ── one URL over HTTP ─────────────────────────────────────────────────────────────────────────

interface Outcome {
  verdict: Verdict;
  status?: number;
  finalUrl?: string;
  reason: string;
}

const BOT_WALL = new Set([403, 429, 503]);
/** Statuses after which HEAD is retried as GET: servers that do not implement HEAD properly. */
const HEAD_UNSUPPORTED = new Set([400, 403, 404, 405, 406, 501]);

export class LinkChecker {
  private readonly nextSlot = new Map<string, number>();
  private readonly context: Context;

  constructor(context: Context) {
    this.context = context;
  }

  /** Follows redirects hop by hop (so each hop is throttled and the final URL is known). */
  async check(url: string, program?: AffiliateProgram): Promise<Outcome> {
    const { maxRedirects } = this.context.config.checkLinks;
    const seen = new Set<string>();
    let current = url;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      if (seen.has(current)) return { verdict: 'broken', reason: `redirect loop at ${current}` };
      seen.add(current);
      const response = await this.request(current);
      if ('error' in response) return response.error;
      const { status, location } = response;
      if (status >= 300 && status < 400 && location) {
        if (!URL.canParse(location, current)) return { verdict: 'broken', status, reason: `redirect to an invalid address "${location.slice(0, 80)}"` };
        current = new URL(location, current).href;
        continue;
      }
      const base = { status, ...(current !== url || program ? { finalUrl: current } : {}) };
      if (status >= 200 && status < 300) return { verdict: 'ok', ...base, reason: `HTTP ${status}` };
      if (BOT_WALL.has(status)) return { verdict: 'unknown', ...base, reason: `HTTP ${status} (a bot wall or rate limit)` };
      if (status >= 500) return { verdict: 'unknown', ...base, reason: `HTTP ${status} (server error)` };
      return { verdict: 'broken', ...base, reason: `HTTP ${status}` };
    }
    return { verdict: 'broken', reason: `more than ${maxRedirects} redirects` };
  }

  /** One URL: HEAD, GET when HEAD is mishandled, retries for timeouts, 429 and 5xx. */
  private async request(url: string): Promise<{ status: number; location: string | null } | { error: Outcome }> {
    let response = await this.attempt(url, 'HEAD');
    if (!('error' in response) && HEAD_UNSUPPORTED.has(response.status)) response = await this.attempt(url, 'GET');
    else if ('error' in response && response.error.verdict === 'unknown') response = await this.attempt(url, 'GET');
    return response;
  }

  private async attempt(url: string, method: 'HEAD' | 'GET'): Promise<{ status: number; location: string | null } | { error: Outcome }> {
    const { timeoutMs, retries, maxRetryAfterMs } = this.context.config.checkLinks;
    let last: { status: number; location: string | null } | { error: Outcome } = { error: { verdict: 'unknown', reason: 'not tried' } };
    for (let attempt = 0; attempt <= retries; attempt++) {
      await this.slot(url);
      let waitMs = 250 * 2 ** attempt;
      try {
        const { origin, pathname, search } = new URL(url);
        // The client never follows redirects itself: each hop is checked (and throttled) above.
        const response = await this.context.http.request({
          origin,
          path: `${pathname}${search}`,
          method,
          signal: AbortSignal.timeout(timeoutMs),
          headers: { 'user-agent': 'nichepress-check-links (+https://github.com/nichepress)', accept: '*/*' },
        });
        // The body is never needed.
        await discard(response.body);
        const headers = response.headers as ResponseHeaders;
        last = { status: response.statusCode, location: headerValue(headers, 'location') ?? null };
        const retryable = response.statusCode === 429 || response.statusCode >= 500;
        if (!retryable) return last;
        const after = retryAfterMs(headerValue(headers, 'retry-after') ?? null, Date.now());
        if (after !== undefined) {
          // A server that asks for a long pause gets its answer recorded as unknown instead.
          if (after > maxRetryAfterMs) return last;
          waitMs = after;
        }
      } catch (error) {
        const reason = describeHttpFailure(error, timeoutMs);
        last = { error: { verdict: reason.definite ? 'broken' : 'unknown', reason: reason.text } };
        if (reason.definite) return last;
      }
      if (attempt < retries) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    return last;
  }

  /** Waits for this host's next free slot: one request per perHostIntervalMs per host. */
  private async slot(url: string): Promise<void> {
    const host = httpHost(url) ?? url;
    const interval = this.context.config.checkLinks.perHostIntervalMs;
    const now = Date.now();
    const start = Math.max(now, this.nextSlot.get(host) ?? 0);
    this.nextSlot.set(host, start + interval);
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }
}

/** Retry-After as milliseconds: seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// ── internal links of dist/ ───────────────────────────────────────────────────────────────────

async function checkInternal(context: Context): Promise<{ pages: number; links: number; broken: Finding[] }> {
  const outDir = context.config.resolved.outDir;
  let names: string[];
  try {
    names = (await readdir(outDir, { recursive: true })).map((name) => name.split('\\').join('/'));
  } catch {
    return { pages: 0, links: 0, broken: [] };
  }
  const files = new Set(names);
  const pages = names.filter((name) => name.endsWith('.html'));
  const broken: Finding[] = [];
  let links = 0;
  const reported = new Set<string>();
  for (const page of pages) {
    const html = await readFile(join(outDir, page), 'utf8');
    const pagePath = `/${page}`;
    for (const match of html.matchAll(/\s(?:href|src)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
      const raw = (match[2] ?? match[3] ?? '').replaceAll('&amp;', '&');
      if (!raw || /^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(raw)) continue; // external, mailto:, data:, fragments
      // Merge tags of email services ({{unsubscribe_url}}, *|UNSUB|*, %%unsub%%) are filled in when the newsletter is sent.
      if (/\{\{.*\}\}|\*\|.*\|\*|%%.*%%/.test(raw)) continue;
      links++;
      let target: string;
      try {
        target = posix.normalize(decodeURIComponent(new URL(raw, `http://site${pagePath}`).pathname)).replace(/^\//, '');
      } catch {
        target = raw; // malformed escapes: reported as broken below
      }
      if (exists(files, target)) continue;
      const key = `${page} ${raw}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const line = html.slice(0, match.index).split('\n').length;
      const shown = displayPath(context.config.root, join(outDir, page));
      broken.push(findingFrom(InternalLinkBroken, [raw, `/${page}`], { file: shown, line, column: 1 }));
    }
  }
  return { pages: pages.length, links, broken };
}

/** A site path exists as a file, a folder with index.html, or a .html file. */
function exists(files: Set<string>, target: string): boolean {
  const path = target.replace(/\/$/, '');
  if (path === '') return files.has('index.html');
  return files.has(path) || files.has(`${path}/index.html`) || files.has(`${path}.html`);
}
