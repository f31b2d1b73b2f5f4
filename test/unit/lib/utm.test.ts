import { describe, expect, it } from 'vitest';
import { withUtm } from '../../../pipeline/lib/utm.ts';

const tags = { source: 'newsletter', medium: 'email', campaign: 'issue-7' };

describe('withUtm', () => {
  it('adds source, medium and campaign', () => {
    const url = new URL(withUtm('https://site.example/articles/a/', tags));
    expect(Object.fromEntries(url.searchParams)).toEqual({ utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'issue-7' });
  });

  it('never overwrites a UTM parameter already present', () => {
    const url = new URL(withUtm('https://taxtrail.example/?via=yfn&utm_source=yieldfieldnotes', tags));
    expect(url.searchParams.getAll('utm_source')).toEqual(['yieldfieldnotes']);
    expect(url.searchParams.get('utm_campaign')).toBe('issue-7');
  });

  it('keeps affiliate tracking parameters byte for byte, in place, and the fragment', () => {
    const tagged = withUtm('https://shop.example/p?ref=a/b%2Fc&aff=x+y#top', tags);
    expect(tagged).toBe('https://shop.example/p?ref=a/b%2Fc&aff=x+y&utm_source=newsletter&utm_medium=email&utm_campaign=issue-7#top');
  });

  it('leaves merge tags and mailto links alone', () => {
    expect(withUtm('{{unsubscribe_url}}', tags)).toBe('{{unsubscribe_url}}');
    expect(withUtm('mailto:a@b.example', tags)).toBe('mailto:a@b.example');
  });

  it('encodes tag values', () => {
    expect(withUtm('https://s.example/', { ...tags, campaign: 'issue 7&x' })).toContain('utm_campaign=issue%207%26x');
  });
});
