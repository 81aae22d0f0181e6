import { describe, expect, it } from 'vitest';
import type { HostDiagnostics } from '../../../common/host/contract';
import { INITIAL_STATE } from '../sync/state';
import { laneDiagnostics } from './diagnostics';

describe('the lane diagnostics export', () => {
  it('carries the queue depth, sync state and host part, and no personal data', () => {
    const host = {
      appVersion: '1.2.3',
      devices: { printer: { kind: 'emulator', model: 'x', state: 'fault' } },
    } as unknown as HostDiagnostics;
    const d = laneDiagnostics({
      host,
      sync: {
        ...INITIAL_STATE,
        phase: 'backoff',
        pending: 4,
        inFlight: 2,
        rejected: 1,
        lastError:
          'Sale for ana@example.com paid with 4242 4242 4242 4242 refused; code K7QM-2D9X-PLW4',
        cloudUrl: 'https://cloud.example/store?token=abcdefghijkl',
        storeName: 'Demo Market',
      },
      outboxPending: 99,
      profileId: 'kr',
      locale: 'ko-KR',
      laneCode: 'L01',
      buildMode: 'demo',
      userAgent: 'Chromium',
      palmPay: { state: 'ready', records: 2000 },
    });
    expect(d.queue).toMatchObject({ depth: 6, pending: 4, inFlight: 2, rejected: 1 });
    expect(d.sync).toMatchObject({ phase: 'backoff', cloudOrigin: 'https://cloud.example' });
    expect(d.host).toBe(host);
    const json = JSON.stringify(d);
    for (const secret of ['ana@', '4242', 'K7QM', 'abcdefghijkl', 'token='])
      expect(json, secret).not.toContain(secret);
  });

  it('counts the outbox itself when no sync engine runs, and reports a host that did not answer', () => {
    const d = laneDiagnostics({
      host: { error: 'The device host is not connected' },
      sync: null,
      outboxPending: 3,
      profileId: 'us',
      locale: 'en-US',
      laneCode: 'L02',
      buildMode: 'production',
      userAgent: 'x',
      palmPay: null,
    });
    expect(d.queue.depth).toBe(3);
    expect(d.host).toEqual({ error: 'The device host is not connected' });
  });
});
