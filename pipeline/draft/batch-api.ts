import { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { OpenAIClient } from './openai-client.ts';
import { transportError } from './openai-errors.ts';

/**
 * The few Batch API calls drafting needs, through the SDK (its retries, timeout and logger).
 * Errors are the SDK's own; the batch stage turns them into findings.
 */
export interface BatchApi {
  /** Uploads a JSONL of requests (`purpose: batch`); returns the file id. */
  upload(jsonl: string, name: string): Promise<string>;
  /** Creates the batch over an uploaded file, for chat completions within 24 hours. */
  create(inputFileId: string, metadata: Record<string, string>): Promise<Batch>;
  retrieve(id: string): Promise<Batch>;
  /** The batch whose metadata has `key: value`, among the most recent ones. */
  findByMetadata(key: string, value: string): Promise<Batch | undefined>;
  /** A file's text (an output or error file). */
  download(fileId: string): Promise<string>;
  /** A failed call in words, scrubbed of the key. */
  reason(error: unknown): string;
}

/** Batches listed when looking for one by its metadata: a submission is found within minutes of its creation. */
const MAX_LISTED = 200;

export function createBatchApi(client: OpenAIClient): BatchApi {
  const { sdk } = client;
  return {
    async upload(jsonl, name) {
      const file = await sdk.files.create({ file: await toFile(Buffer.from(jsonl, 'utf8'), name, { type: 'application/jsonl' }), purpose: 'batch' });
      return file.id;
    },
    create(inputFileId, metadata) {
      return sdk.batches.create({ input_file_id: inputFileId, endpoint: '/v1/chat/completions', completion_window: '24h', metadata });
    },
    retrieve(id) {
      return sdk.batches.retrieve(id);
    },
    async findByMetadata(key, value) {
      let seen = 0;
      // Newest first: a submission interrupted a moment ago is at the top.
      for await (const batch of sdk.batches.list({ limit: 100 })) {
        if (batch.metadata?.[key] === value) return batch;
        if (++seen >= MAX_LISTED) break;
      }
      return undefined;
    },
    async download(fileId) {
      const response = await sdk.files.content(fileId);
      return response.text();
    },
    reason(error) {
      return transportError(error, client, client.scrub).message;
    },
  };
}
