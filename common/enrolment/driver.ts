import type { EnrolmentRequest } from '../sync/enrolment';
import { saveEvent, type SaveAnswer } from './cloud-answer';
import { enrolStep, initialEnrolState } from './machine';
import type { EnrolCommand, EnrolEvent, EnrolHand, EnrolState, LaneCapture } from './types';

/**
 * Runs the enrolment flow (machine.ts) against its side effects, which sit behind ports: the card
 * terminal, the palm scanner and the store cloud. The renderer implements the ports with the host
 * contract and the lane's signed cloud client; tests use fakes. A device answer that arrives after
 * the flow moved on (a capture after Cancel, a card after another read began) is dropped.
 */
export type CardReadResult =
  | {
      readonly kind: 'saved';
      readonly setupRef: string;
      readonly brand: string;
      readonly last4: string;
    }
  | { readonly kind: 'failed'; readonly reason: 'declined' | 'unavailable' | 'cancelled' };

export type CaptureResult =
  | { readonly kind: 'captured'; readonly capture: LaneCapture }
  | {
      readonly kind: 'failed';
      /** `cancelled`: the flow cancelled it itself, nothing to report. */
      readonly problem: 'quality' | 'liveness' | 'device' | 'timeout' | 'cancelled';
    };

export interface EnrolPorts {
  readCard(setupId: string): Promise<CardReadResult>;
  cancelCard(setupId: string): Promise<void>;
  capture(hand: EnrolHand): Promise<CaptureResult>;
  cancelCapture(): Promise<void>;
  save(request: EnrolmentRequest): Promise<SaveAnswer>;
  /** A fresh id (the card setup's, the enrolment's). */
  newId(): string;
  /** Marks a moment of the flow (the shopper-time measurement reads them); optional. */
  mark?(name: 'start' | 'done'): void;
}

export class EnrolmentFlow {
  private current: EnrolState;
  private readonly listeners = new Set<(s: EnrolState) => void>();
  private cardSeq = 0;
  private captureSeq = 0;
  private cardId: string | null = null;
  /** The last request sent and its enrolment id: the same request again reuses the id. */
  private sent: { key: string; id: string } | null = null;

  constructor(
    private readonly ports: EnrolPorts,
    o: { online: boolean; country: string },
  ) {
    this.current = initialEnrolState(o);
    ports.mark?.('start');
  }

  get state(): EnrolState {
    return this.current;
  }

  subscribe(listener: (s: EnrolState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(event: EnrolEvent): void {
    const { state, commands } = enrolStep(this.current, event);
    const changed = state !== this.current;
    this.current = state;
    if (changed) {
      if (state.step === 'done') this.ports.mark?.('done');
      for (const l of this.listeners) l(state);
    }
    for (const c of commands) this.run(c);
  }

  private run(c: EnrolCommand): void {
    switch (c.type) {
      case 'read-card': {
        const seq = ++this.cardSeq;
        const id = this.ports.newId();
        this.cardId = id;
        void this.ports.readCard(id).then(
          (r) => seq === this.cardSeq && this.send(cardEvent(r)),
          () => seq === this.cardSeq && this.send({ type: 'CARD_FAILED', reason: 'unavailable' }),
        );
        return;
      }
      case 'cancel-card': {
        this.cardSeq++;
        if (this.cardId) void this.ports.cancelCard(this.cardId).catch(() => undefined);
        return;
      }
      case 'capture': {
        const seq = ++this.captureSeq;
        void this.ports.capture(c.hand).then(
          (r) => {
            if (seq !== this.captureSeq) return;
            if (r.kind === 'captured') this.send({ type: 'CAPTURED', capture: r.capture });
            else if (r.problem !== 'cancelled')
              this.send({ type: 'CAPTURE_FAILED', problem: r.problem });
          },
          () => seq === this.captureSeq && this.send({ type: 'CAPTURE_FAILED', problem: 'device' }),
        );
        return;
      }
      case 'cancel-capture': {
        this.captureSeq++;
        void this.ports.cancelCapture().catch(() => undefined);
        return;
      }
      case 'save': {
        const body = { ...c.request, onDuplicate: c.onDuplicate };
        const key = JSON.stringify(body);
        if (this.sent?.key !== key) this.sent = { key, id: this.ports.newId() };
        const request: EnrolmentRequest = {
          enrolmentId: this.sent.id,
          ...body,
          palms: body.palms.map((p) => ({ hand: p.hand, captures: [...p.captures] })),
        };
        void this.ports.save(request).then(
          (a) => this.send(saveEvent(a)),
          (e: unknown) =>
            this.send(
              saveEvent({
                kind: 'failed',
                reason: 'unreachable',
                message: e instanceof Error ? e.message : String(e),
              }),
            ),
        );
        return;
      }
    }
  }
}

function cardEvent(r: CardReadResult): EnrolEvent {
  return r.kind === 'saved'
    ? { type: 'CARD_READ', setupRef: r.setupRef, brand: r.brand, last4: r.last4 }
    : { type: 'CARD_FAILED', reason: r.reason };
}
