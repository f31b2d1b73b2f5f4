import type { ParsedFeed, RawEntry } from './parse-feed.ts';

/**
 * JSON Feed 1.0 and 1.1 (jsonfeed.org): plain JSON, read field by field. An item's address is
 * `url`, else `external_url`, else its first attachment's `url` (a podcast episode); its date `date_published`, else `date_modified`; its text `summary`,
 * else `content_text`, else `content_html`.
 */
export function readJsonFeed(text: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const feed = (data ?? {}) as { version?: unknown; title?: unknown; home_page_url?: unknown; items?: unknown };
  if (typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(feed.items)) {
    throw new Error('JSON that is not a JSON Feed (no jsonfeed.org version or items)');
  }
  return {
    format: 'json',
    title: string(feed.title) ?? '',
    link: string(feed.home_page_url),
    entries: feed.items.map((raw): RawEntry => {
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      return {
        title: string(item.title),
        link: string(item.url) ?? string(item.external_url) ?? attachmentOf(item),
        // JSON Feed 1.0 allowed numbers as ids.
        id: string(item.id) ?? (typeof item.id === 'number' ? String(item.id) : undefined),
        date: string(item.date_published) ?? string(item.date_modified),
        summary: string(item.summary) ?? string(item.content_text) ?? string(item.content_html),
      };
    }),
  };
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The address of the item's first attachment that has one. */
function attachmentOf(item: Record<string, unknown>): string | undefined {
  if (!Array.isArray(item.attachments)) return undefined;
  for (const attachment of item.attachments) {
    const url = attachment && typeof attachment === 'object' ? string((attachment as Record<string, unknown>).url) : undefined;
    if (url) return url;
  }
  return undefined;
}
