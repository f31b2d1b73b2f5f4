/**
 * Makes the snapshots the sample niche ships (content/sources/): research reads the sample's
 * source pages (test/fixtures/research/sample-pages/) over loopback exactly as it reads the web,
 * and writes what it extracted. Run it after changing a sample page or the extraction:
 *
 *   npx node test/helpers/snapshot-sample-pages.ts
 *
 * test/unit/research/sample-snapshots.test.ts fails while the shipped snapshots differ from what
 * this would write.
 */
import { createResearcher } from '../../pipeline/research/research-sources.ts';
import { contextFor, sampleConfig } from './context.ts';
import { serveSamplePages } from './sample-pages.ts';

const pages = await serveSamplePages();
try {
  const config = await sampleConfig();
  // Written again from the pages, whatever snapshot is there now.
  const researcher = createResearcher(contextFor(config, { http: pages.http }), { resolveHost: pages.resolveHost, refresh: true });
  for (const topic of pages.topics) {
    const research = await researcher.research(topic);
    for (const source of research.sources) console.log(`${source.from === 'page' ? 'read' : `NOT READ (${source.reason}: ${source.detail})`}  ${source.item.url}`);
  }
} finally {
  await pages.close();
}
