import { describe, expect, it } from 'vitest';
import { AUTH_HEADERS, SERVER_TIME_HEADER } from '../../../common/sync/protocol';
import type { SyncError } from './client';
import { CloudClient, offsetFrom, type FetchLike, type Signer } from './client';

async function signer(): Promise<Signer> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  return { terminalId: 't-1', privateKey: pair.privateKey, clockOffsetMs: 0 };
}

/** A fetch that records what was sent and answers with `reply()`. */
function recording(reply: () => Response | Promise<Response>) {
  const sent: Record<string, string>[] = [];
  const f: FetchLike = async (_input, init) => {
    sent.push({ ...(init.headers as Record<string, string>) });
    return reply();
  };
  return { f, sent };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as SyncError,
  );

describe('CloudClient', () => {
  it('signs every attempt afresh: a new nonce and a current timestamp each call', async () => {
    const s = await signer();
    const { f, sent } = recording(() => new Response('{"cursor":"","more":false}'));
    const client = new CloudClient({ baseUrl: 'http://cloud', fetch: f });
    for (let i = 0; i < 5; i++) await client.pull(s, '');
    const nonces = sent.map((h) => h[AUTH_HEADERS.nonce]);
    expect(new Set(nonces).size).toBe(5);
    for (const h of sent) {
      expect(Math.abs(Number(h[AUTH_HEADERS.timestamp]) - Date.now())).toBeLessThan(5_000);
      expect(h[AUTH_HEADERS.signature]).toMatch(/^[A-Za-z0-9_-]{86}$/);
    }
  });

  it('learns the cloud’s clock from any answer, a refusal included, and signs with it', async () => {
    const s = await signer();
    const ahead = 20 * 60_000;
    let answerWith = 500;
    const { f, sent } = recording(
      () =>
        new Response('{"error":"INTERNAL","message":"x"}', {
          status: answerWith,
          headers: { [SERVER_TIME_HEADER]: String(Date.now() + ahead) },
        }),
    );
    const client = new CloudClient({ baseUrl: 'http://cloud', fetch: f });
    expect((await failure(client.pull(s, ''))).answer).toBe('server');
    expect(Math.abs(s.clockOffsetMs - ahead)).toBeLessThan(1_000);
    answerWith = 200;
    await client.pull(s, '').catch(() => undefined);
    expect(Math.abs(Number(sent[1]![AUTH_HEADERS.timestamp]) - (Date.now() + ahead))).toBeLessThan(
      2_000,
    );
  });

  it('falls back to the AUTH_EXPIRED body’s serverTime when the header is missing', async () => {
    const s = await signer();
    const behind = -45 * 60_000;
    const { f } = recording(
      () =>
        new Response(
          JSON.stringify({
            error: 'AUTH_EXPIRED',
            message: 'too far',
            serverTime: new Date(Date.now() + behind).toISOString(),
          }),
          { status: 401 },
        ),
    );
    const err = await failure(new CloudClient({ baseUrl: 'http://cloud', fetch: f }).pull(s, ''));
    expect(err.answer).toBe('clock');
    expect(Math.abs(s.clockOffsetMs - behind)).toBeLessThan(1_000);
  });

  it('classifies what cannot be read: a cut body, a gateway page, Retry-After', async () => {
    const s = await signer();
    const cut = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"lastMutation'));
            c.error(new TypeError('terminated'));
          },
        }),
      );
    const client = (reply: () => Response) =>
      new CloudClient({ baseUrl: 'http://cloud', fetch: recording(reply).f });
    expect((await failure(client(cut).push(s, []))).answer).toBe('network');
    const html = await failure(client(() => new Response('<html>portal</html>')).push(s, []));
    expect(html.answer).toBe('unreadable');
    const busy = await failure(
      client(
        () => new Response('<html>busy</html>', { status: 503, headers: { 'retry-after': '7' } }),
      ).push(s, []),
    );
    expect([busy.answer, busy.retryAfterMs]).toEqual(['busy', 7_000]);
    const replay = await failure(
      client(
        () =>
          new Response('{"error":"AUTH_REPLAYED","message":"This request was already received"}', {
            status: 401,
          }),
      ).push(s, []),
    );
    expect(replay.answer).toBe('replayed');
  });

  it('offsetFrom uses the midpoint of the round trip and ignores a bad header', () => {
    expect(offsetFrom('1700000001000', 1_700_000_000_000, 1_700_000_000_200)).toBe(900);
    expect(offsetFrom('soon', 0, 10)).toBeNull();
    expect(offsetFrom(null, 0, 10)).toBeNull();
  });
});
