import { describe, expect, it } from 'vitest';
import { refusedAddress } from '../../../pipeline/research/address-guard.ts';

const resolveTo = (addresses: string[]) => async () => addresses;

describe('refusing internal addresses', () => {
  it.each([
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://10.0.0.7/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[fd00::1]/', 'uniqueLocal'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
  ])('refuses %s (%s)', async (url, range) => {
    const refusal = await refusedAddress(new URL(url));
    expect(refusal).toMatchObject({ internal: true });
    expect(refusal!.detail).toContain(range);
  });

  it('refuses a public-looking name when any address it resolves to is internal', async () => {
    expect(await refusedAddress(new URL('https://news.example/a'), resolveTo(['93.184.216.34', '10.0.0.1']))).toMatchObject({ internal: true });
    expect(await refusedAddress(new URL('https://news.example/a'), resolveTo(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']))).toBeUndefined();
  });

  it('tells a name that does not resolve from an internal one', async () => {
    const failing = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await refusedAddress(new URL('https://gone.example/'), failing)).toEqual({ internal: false, detail: 'gone.example does not resolve' });
  });
});
