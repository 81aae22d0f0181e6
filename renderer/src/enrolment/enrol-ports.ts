import type { CaptureResult, CardReadResult, EnrolPorts } from '../../../common/enrolment/driver';
import { HostError, type CardSetupOutcome, type TerminalHost } from '../../../common/host/contract';
import type { ShopperCloud } from './shopper-cloud';

/**
 * The enrolment flow's ports at a lane: the card terminal and the palm scanner through the host
 * contract, the store cloud through the lane's signed client. Host answers become the flow's own
 * results here, so the flow never sees a device error.
 */
export const CARD_WAIT_MS = 60_000;
export const CAPTURE_WAIT_MS = 20_000;

export function cardResult(o: CardSetupOutcome): CardReadResult {
  if (o.state === 'saved')
    return { kind: 'saved', setupRef: o.setupRef, brand: o.brand, last4: o.last4 };
  if (o.state === 'declined')
    return { kind: 'failed', reason: o.reason === 'processing_error' ? 'unavailable' : 'declined' };
  return { kind: 'failed', reason: 'cancelled' };
}

/** A scanner refusal (HostError code) → what the flow tells the cashier. */
export function captureFailure(e: unknown): CaptureResult {
  const code = e instanceof HostError ? e.code : '';
  if (code === 'LIVENESS_FAILED') return { kind: 'failed', problem: 'liveness' };
  if (code === 'QUALITY_TOO_LOW') return { kind: 'failed', problem: 'quality' };
  if (code === 'CAPTURE_TIMEOUT') return { kind: 'failed', problem: 'timeout' };
  if (code === 'CAPTURE_CANCELLED') return { kind: 'failed', problem: 'cancelled' };
  return { kind: 'failed', problem: 'device' };
}

export function laneEnrolPorts(host: TerminalHost, cloud: ShopperCloud): EnrolPorts {
  return {
    readCard: async (setupId) => {
      try {
        return cardResult(await host.card.setup({ setupId, timeoutMs: CARD_WAIT_MS }));
      } catch {
        return { kind: 'failed', reason: 'unavailable' };
      }
    },
    cancelCard: (setupId) => host.card.cancel({ paymentId: setupId }),
    capture: async () => {
      try {
        const c = await host.scanner.capture({ mode: 'enroll', timeoutMs: CAPTURE_WAIT_MS });
        return {
          kind: 'captured',
          capture: {
            template: Int8Array.from(c.template),
            quality: c.quality,
            liveness: c.liveness,
            signed: c.signed,
            scannerSerial: c.scannerSerial,
          },
        };
      } catch (e) {
        return captureFailure(e);
      }
    },
    cancelCapture: () => host.scanner.cancel(),
    save: (request) => cloud.enrol(request),
    newId: () => crypto.randomUUID(),
    mark: (name) => void performance.mark(`enrol:${name}`),
  };
}
