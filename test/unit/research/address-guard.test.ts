import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToPublicAddressesOnly, refusedAddress } from '../../../pipeline/research/address-guard.ts';
import { fetchPage, type PageFetcher } from '../../../pipeline/research/fetch-page.ts';
import { createHostSlots } from '../../../pipeline/research/host-slots.ts';
import { loopbackClient } from '../../helpers/loopback-http.ts';
import { startPageServer, type PageServer } from '../../helpers/page-server.ts';

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

// Where the connection is made: a name that resolves to a public address when the page is checked
// and to an internal one when the client connects (DNS rebinding). Two resolvers stand for the two
// answers; the client sends rebind.test's public address to the loopback server, so a request that
// got through would be seen there.
describe('refusing internal addresses as the connection is made', () => {
  let server: PageServer;
  beforeAll(async () => {
    server = await startPageServer({ '/page': { body: '<html><body><p>inside</p></body></html>' } });
  });
  afterAll(() => server.close());

  async function fetchWith(connectResolver: (host: string) => Promise<string[]>) {
    const routed = loopbackClient({ hosts: (host) => host === 'rebind.test', origin: server.url });
    const fetcher: PageFetcher = {
      http: routed.compose(connectToPublicAddressesOnly(connectResolver)),
      userAgent: 'nichepress-test',
      timeoutMs: 2_000,
      maxBytes: 10_000,
      allowPrivateHosts: false,
      slots: createHostSlots(2),
      resolveHost: resolveTo(['93.184.216.34']),
    };
    try {
      return await fetchPage('http://rebind.test/page', fetcher);
    } finally {
      await routed.close();
    }
  }

  it('sends the request to the public address it checked', async () => {
    const outcome = await fetchWith(resolveTo(['93.184.216.34']));
    expect(outcome).toMatchObject({ ok: true, status: 200, url: 'http://rebind.test/page' });
    expect(server.requests.map((request) => request.path)).toEqual(['/page']);
  });

  it('refuses the request when the name now resolves inside, and nothing is sent', async () => {
    const before = server.requests.length;
    const outcome = await fetchWith(resolveTo(['127.0.0.1']));
    expect(outcome).toMatchObject({ ok: false, reason: 'internal-address', detail: 'refused rebind.test: rebind.test resolves to 127.0.0.1, a loopback address' });
    expect(server.requests.length).toBe(before);
  });
});
