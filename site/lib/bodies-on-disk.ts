/**
 * Keeps each article's rendered HTML in one pack file beside Astro's data store, not inside it.
 *
 * Why: Astro embeds the whole data store in the build as one JavaScript module (the JSON as a
 * string literal, parsed again when pages are generated), so every byte in the store is held
 * several times over during `astro build`. The rendered bodies are ~85 % of it. Measured on
 * 10,000 articles (test/bench/README.md): the build's peak memory fell from ~2.6 GB to ~1.3 GB
 * with the bodies out of the store. The raw-frontmatter copy in the render metadata goes too
 * (pages use the validated `data`).
 *
 * Why one pack and not a file per article: creating 10,000 small files cost ~8 s of the content
 * sync here, and opening them again ~as much while pages were generated. The pack is written
 * sequentially, and a page reads its body with one positioned read.
 *
 * The bodies are still rendered during content sync by Astro's own Markdown pipeline (with the
 * site's safety plugin) and cached with the store: the pack is indexed by the entry's content
 * digest, so an unchanged article is not rendered again — its body is copied from the previous
 * pack. Each sync writes a new pack under a new name, then renames the index that points to it
 * into place: a build killed at any moment leaves the previous pack and index intact. An entry
 * whose body cannot be found (a cache cleaned by hand) is dropped from the store before loading,
 * so the loader renders it again.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { writeFileAtomic } from '../../pipeline/lib/atomic-write.ts';

const FOLDER = 'nichepress-article-bodies';
const INDEX = 'index.json';

/** digest → [byte offset, byte length] in the pack named by `pack` (same folder). */
interface PackIndex {
  pack: string;
  bodies: Record<string, [number, number]>;
}

/** An entry of the content layer's store (Astro exports the store, not its entry type). */
type DataEntry = Parameters<LoaderContext['store']['set']>[0];
type Rendered = NonNullable<DataEntry['rendered']>;

/** The pack index an entry's body is in, if its body was moved out of the store. */
function indexFileOf(entry: Pick<DataEntry, 'rendered'>): string | undefined {
  const file = entry.rendered?.metadata?.bodyIndex;
  return typeof file === 'string' ? file : undefined;
}

function readIndex(file: string): PackIndex | undefined {
  try {
    const index = JSON.parse(readFileSync(file, 'utf8')) as PackIndex;
    return existsSync(join(file, '..', index.pack)) ? index : undefined;
  } catch {
    return undefined;
  }
}

export function bodiesOnDisk(loader: Loader): Loader {
  return {
    ...loader,
    load: async (context: LoaderContext) => {
      const folder = join(fileURLToPath(context.config.cacheDir), FOLDER);
      const indexFile = join(folder, INDEX);
      await mkdir(folder, { recursive: true });
      const previous = readIndex(indexFile);
      for (const entry of context.store.values()) {
        if (indexFileOf(entry) !== undefined && !previous?.bodies[String(entry.digest)]) context.store.delete(entry.id);
      }

      const pack = `bodies-${Date.now().toString(36)}-${process.pid}.pack`;
      const next: PackIndex = { pack, bodies: {} };
      const fd = openSync(join(folder, pack), 'w');
      let offset = 0;
      const append = (digest: string, bytes: Buffer) => {
        writeSync(fd, bytes);
        next.bodies[digest] = [offset, bytes.length];
        offset += bytes.length;
      };
      try {
        await loader.load({
          ...context,
          store: {
            ...context.store,
            set: (entry) => {
              const html = entry.rendered?.html;
              if (!html || entry.digest === undefined) return context.store.set(entry);
              const digest = String(entry.digest);
              if (!next.bodies[digest]) append(digest, Buffer.from(html, 'utf8'));
              const rendered: Rendered = { html: '', metadata: { bodyIndex: indexFile } };
              return context.store.set({ ...entry, rendered });
            },
          },
        });
        // Unchanged entries were not rendered again: their bodies come from the previous pack.
        if (previous) {
          const old = openSync(join(folder, previous.pack), 'r');
          try {
            for (const entry of context.store.values()) {
              const digest = String(entry.digest);
              const place = previous.bodies[digest];
              if (indexFileOf(entry) === undefined || next.bodies[digest] || !place) continue;
              const bytes = Buffer.alloc(place[1]);
              readSync(old, bytes, 0, place[1], place[0]);
              append(digest, bytes);
            }
          } finally {
            closeSync(old);
          }
        }
      } finally {
        closeSync(fd);
      }
      await writeFileAtomic(indexFile, JSON.stringify(next));
      // Older packs (and any left by a killed build) are no longer referenced. A pack still open
      // elsewhere (a dev server on Windows) is left for the next sync.
      for (const name of readdirSync(folder)) {
        if (name === INDEX || name === pack) continue;
        try {
          rmSync(join(folder, name), { force: true });
        } catch {
          // Removed next time.
        }
      }
    },
  };
}

/** Open packs of this build, by index file: each page reads its body with one positioned read. */
const openPacks = new Map<string, { fd: number; index: PackIndex }>();

function packFor(indexFile: string): { fd: number; index: PackIndex } {
  let open = openPacks.get(indexFile);
  if (!open) {
    const index = readIndex(indexFile);
    if (!index) throw new Error(`The rendered article bodies at ${indexFile} are missing; delete ${join(indexFile, '..', '..')} and build again.`);
    open = { fd: openSync(join(indexFile, '..', basename(index.pack)), 'r'), index };
    openPacks.set(indexFile, open);
  }
  return open;
}

/** The rendered body of an entry, from the pack (or from the store, for entries rendered before). */
export function renderedBody(entry: Pick<DataEntry, 'rendered' | 'filePath' | 'id' | 'digest'>): string {
  const inline = entry.rendered?.html;
  if (inline) return inline;
  const indexFile = indexFileOf(entry);
  if (indexFile === undefined) {
    // An empty article body renders to nothing; no rendering at all means Markdown failed.
    if (entry.rendered) return '';
    throw new Error(`The body of ${entry.filePath ?? entry.id} could not be rendered; see the Markdown error above.`);
  }
  let { fd, index } = packFor(indexFile);
  let place = index.bodies[String(entry.digest)];
  if (!place) {
    // A later sync (the dev server) wrote a new pack: open that one.
    closeSync(fd);
    openPacks.delete(indexFile);
    ({ fd, index } = packFor(indexFile));
    place = index.bodies[String(entry.digest)];
  }
  if (!place) throw new Error(`The rendered body of ${entry.filePath ?? entry.id} is missing; delete ${join(indexFile, '..', '..')} and build again.`);
  const bytes = Buffer.alloc(place[1]);
  readSync(fd, bytes, 0, place[1], place[0]);
  return bytes.toString('utf8');
}
