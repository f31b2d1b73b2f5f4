import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMimeMessage, quotedPrintable } from '../../../pipeline/newsletter/mime-message.ts';
import { parseMime } from '../../helpers/parse-mime.ts';

const base = {
  from: 'Yield Field Notes <newsletter@yieldfieldnotes.example>',
  subject: 'Yield Field Notes #3: Restaking’s risks — explained',
  date: new Date('2026-11-01T09:00:00Z'),
  messageId: 'issue-3.abc@yieldfieldnotes.example',
  headers: [
    ['List-Unsubscribe', '<{{unsubscribe_url}}>, <mailto:unsubscribe@yieldfieldnotes.example>'],
    ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
  ] as Array<[string, string]>,
  text: 'Hello —\nhttps://yieldfieldnotes.example/articles/a/?utm_source=newsletter&utm_medium=email&utm_campaign=issue-3\n',
  html: `<p style="color: #111;">${'Café crème — 利率 '.repeat(20)}</p>\n`,
};

describe('buildMimeMessage', () => {
  it('writes a multipart/alternative message a strict reader decodes back to the inputs', () => {
    const message = parseMime(buildMimeMessage(base));
    expect(message.headers.get('subject')).toBe(base.subject);
    expect(message.headers.get('from')).toBe('"Yield Field Notes" <newsletter@yieldfieldnotes.example>');
    expect(message.headers.get('date')).toBe('Sun, 01 Nov 2026 09:00:00 +0000');
    expect(message.headers.get('message-id')).toBe('<issue-3.abc@yieldfieldnotes.example>');
    expect(message.headers.get('mime-version')).toBe('1.0');
    expect(message.headers.get('content-type')).toMatch(/^multipart\/alternative; boundary="/);
    expect(message.headers.get('list-unsubscribe')).toBe('<{{unsubscribe_url}}>, <mailto:unsubscribe@yieldfieldnotes.example>');
    expect(message.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(message.parts.map((part) => part.headers.get('content-type'))).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
    expect(message.parts[0]!.body).toBe(base.text);
    expect(message.parts[1]!.body).toBe(base.html);
  });

  it('keeps header lines short and refuses header injection from a value', () => {
    const raw = buildMimeMessage({ ...base, subject: 'Hi\r\nBcc: victim@example.com' });
    const message = parseMime(raw);
    expect(message.headerNames.map((name) => name.toLowerCase())).not.toContain('bcc');
    expect(message.headers.get('subject')).toBe('Hi Bcc: victim@example.com');
    const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
    for (const line of headerBlock.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('quoted-printable round-trips any text, with lines within 76 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const normalized = text.replace(/\r\n|\r/g, '\n');
        const raw = buildMimeMessage({ ...base, text: normalized, html: '<p>x</p>' });
        expect(parseMime(raw).parts[0]!.body).toBe(normalized);
      }),
      { numRuns: 300 },
    );
    expect(quotedPrintable('trailing space ')).toBe('trailing space=20');
    expect(quotedPrintable('a=b')).toBe('a=3Db');
  });
});
