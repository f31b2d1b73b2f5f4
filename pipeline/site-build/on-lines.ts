import type { Readable } from 'node:stream';

/** Calls `line` for every complete line a child's output stream writes, and for its unterminated tail at the end. */
export function onLines(stream: Readable, line: (text: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split(/\r?\n/);
    pending = parts.pop() ?? '';
    for (const part of parts) line(part);
  });
  stream.on('end', () => {
    if (pending) line(pending);
    pending = '';
  });
}
