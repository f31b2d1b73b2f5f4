/**
 * Wraps a content loader so entries whose frontmatter says `draft: true` never enter the
 * collection: they are not validated against the schema and not stored.
 *
 * Why: the write stage keeps an article that failed validation as a draft (with its findings in
 * `validation:`), and such a draft may not satisfy the schema. Drafts are never published, so one
 * of them must not fail the whole site build; `nichepress validate` is what reports them.
 */
import type { Loader, LoaderContext } from 'astro/loaders';

const isDraft = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { draft?: unknown }).draft === true;

export function skipDrafts(loader: Loader): Loader {
  return {
    ...loader,
    load: (context: LoaderContext) =>
      loader.load({
        ...context,
        parseData: (async (props) => (isDraft(props.data) ? props.data : context.parseData(props))) as LoaderContext['parseData'],
        store: {
          ...context.store,
          set: (entry) => {
            if (isDraft(entry.data)) {
              // A published article turned back into a draft leaves the collection.
              context.store.delete(entry.id);
              return false;
            }
            return context.store.set(entry);
          },
        },
      }),
  };
}
