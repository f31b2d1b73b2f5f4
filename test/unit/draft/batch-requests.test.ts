import { describe, expect, it } from 'vitest';
import { requestDigest } from '../../../pipeline/draft/batch-answers.ts';
import { customIdOf, digestOfCustomId, parseOutputFile, requestsJsonl } from '../../../pipeline/draft/batch-requests.ts';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'system' as const, content: 'Write.' }], temperature: 0.3 };

describe('Batch API file formats', () => {
  it('names each request by step and digest, within the 64 characters the API allows', () => {
    const id = customIdOf('research brief repair', body);
    expect(id).toMatch(/^research-brief-repair-[0-9a-f]{32}$/);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(digestOfCustomId(id)).toBe(requestDigest(body));
    // Key order does not change the request it names.
    expect(requestDigest({ temperature: 0.3, messages: body.messages, model: 'gpt-4o-mini' })).toBe(requestDigest(body));
    expect(digestOfCustomId('request-1')).toBeUndefined();
    const line = JSON.parse(requestsJsonl([{ customId: id, topic: 't', step: 'research brief repair', body }]).trim()) as object;
    expect(line).toEqual({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body });
  });

  it('reads answers and errors by custom_id, and counts lines that are not the documented shape', () => {
    const completion = { id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '{}' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5 } };
    const text = [
      JSON.stringify({ id: 'r1', custom_id: 'a', response: { status_code: 200, body: completion }, error: null }),
      JSON.stringify({ id: 'r2', custom_id: 'b', response: { status_code: 400, body: { error: { message: 'bad schema' } } }, error: null }),
      JSON.stringify({ id: 'r3', custom_id: 'c', response: null, error: { code: 'batch_expired', message: 'not processed in time' } }),
      // A 200 whose body is no completion is an error, never an answer.
      JSON.stringify({ id: 'r4', custom_id: 'd', response: { status_code: 200, body: { hello: 'world' } }, error: null }),
      'not json',
      JSON.stringify({ id: 'r5' }),
      '',
    ].join('\n');
    const { lines, unreadable } = parseOutputFile(text);
    expect(unreadable).toBe(2);
    expect(lines.map((line) => line.customId)).toEqual(['a', 'b', 'c', 'd']);
    expect(lines[0]).toMatchObject({ answer: { completion: { id: 'c1' } }, usage: { inputTokens: 10, outputTokens: 5 } });
    expect(lines[1]).toMatchObject({ answer: { error: { status: 400, message: 'bad schema' } }, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(lines[2]).toMatchObject({ answer: { error: { status: 500, message: 'not processed in time' } } });
    expect(lines[3]).toMatchObject({ answer: { error: { status: 500 } } });
  });
});
