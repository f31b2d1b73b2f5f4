import { readArchive } from '../../pipeline/archive/archive.ts';
import type { Context } from '../../pipeline/context.ts';
import type { DraftProvider } from '../../pipeline/draft/provider.ts';
import { draftValidateWrite } from '../../pipeline/run.ts';
import type { Topic } from '../../pipeline/schema/feed-item.ts';
import type { State } from '../../pipeline/state.ts';

/** The draft stage as `run` composes it (draft → validate → write), over the folder as it is on disk. */
export async function draftAndWrite(context: Context, state: State, topics: readonly Topic[], provider: DraftProvider) {
  return draftValidateWrite(context, state, await readArchive(context.config.resolved.articles), topics, provider);
}
