import { describe, expect, it } from 'vitest';
import type { EnrolmentRequest } from '../sync/enrolment';
import type { SaveAnswer } from './cloud-answer';
import { CAPTURES_PER_PALM } from './captures';
import { EnrolmentFlow, type CaptureResult, type CardReadResult, type EnrolPorts } from './driver';
import { laneCapture } from './testing';

/** Ports whose answers the test hands out one by one, recording every call. */
function fakePorts() {
  const calls: string[] = [];
  const cards: ((r: CardReadResult) => void)[] = [];
  const captures: ((r: CaptureResult) => void)[] = [];
  const saves: { request: EnrolmentRequest; answer: (a: SaveAnswer) => void }[] = [];
  let id = 0;
  const ports: EnrolPorts = {
    readCard: (setupId) => {
      calls.push(`readCard ${setupId}`);
      return new Promise((r) => cards.push(r));
    },
    cancelCard: async (setupId) => void calls.push(`cancelCard ${setupId}`),
    capture: (hand) => {
      calls.push(`capture ${hand}`);
      return new Promise((r) => captures.push(r));
    },
    cancelCapture: async () => void calls.push('cancelCapture'),
    save: (request) => {
      calls.push('save');
      return new Promise((answer) => saves.push({ request, answer }));
    },
    newId: () => `id-${String(++id).padStart(8, '0')}`,
    mark: (name) => void calls.push(`mark ${name}`),
  };
  return { ports, calls, cards, captures, saves };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

async function toPalms(f: ReturnType<typeof fakePorts>, flow: EnrolmentFlow) {
  flow.send({ type: 'CONSENT', at: '2026-12-01T12:00:00.000Z' });
  f.cards.shift()!({ kind: 'saved', setupRef: 'seti_emu_x', brand: 'Visa', last4: '4242' });
  await tick();
  flow.send({ type: 'PHONE', raw: '+1 201 555 0123' });
}
async function capturePalm(f: ReturnType<typeof fakePorts>, identity: number) {
  for (let k = 0; k < CAPTURES_PER_PALM; k++) {
    f.captures.shift()!({ kind: 'captured', capture: laneCapture(identity, { seed: k + 1 }) });
    await tick();
  }
}

describe('enrolment driver', () => {
  it('runs card, captures and save through the ports, and marks start and done', async () => {
    const f = fakePorts();
    const flow = new EnrolmentFlow(f.ports, { online: true, country: 'US' });
    await toPalms(f, flow);
    flow.send({ type: 'START_PALM', hand: 'left' });
    await capturePalm(f, 17);
    flow.send({ type: 'FINISH' });
    expect(f.saves).toHaveLength(1);
    const req = f.saves[0]!.request;
    expect(req).toMatchObject({ cardSetupRef: 'seti_emu_x', phone: '+12015550123' });
    expect(req.onDuplicate).toEqual({ kind: 'ask' });
    expect(req.palms[0]!.captures).toHaveLength(CAPTURES_PER_PALM);
    f.saves[0]!.answer({ kind: 'saved', customerRef: 'cus_abc', updated: false });
    await tick();
    expect(flow.state.step).toBe('done');
    expect(f.calls[0]).toBe('mark start');
    expect(f.calls.at(-1)).toBe('mark done');
  });

  it('a retry after the cloud went away reuses the enrolment id; an update gets a new one', async () => {
    const f = fakePorts();
    const flow = new EnrolmentFlow(f.ports, { online: true, country: 'US' });
    await toPalms(f, flow);
    flow.send({ type: 'START_PALM', hand: 'left' });
    await capturePalm(f, 17);
    flow.send({ type: 'FINISH' });
    f.saves[0]!.answer({ kind: 'failed', reason: 'unreachable', message: 'no answer' });
    await tick();
    expect(flow.state).toMatchObject({ step: 'palms', problem: 'cloud-unreachable' });
    flow.send({ type: 'FINISH' });
    expect(f.saves[1]!.request.enrolmentId).toBe(f.saves[0]!.request.enrolmentId);
    f.saves[1]!.answer({ kind: 'duplicate', customerRef: 'cus_old' });
    await tick();
    expect(flow.state).toMatchObject({ step: 'duplicate', duplicate: { customerRef: 'cus_old' } });
    flow.send({ type: 'UPDATE_EXISTING', confirmLast4: '0123' });
    expect(f.saves[2]!.request.enrolmentId).not.toBe(f.saves[0]!.request.enrolmentId);
    expect(f.saves[2]!.request.onDuplicate).toEqual({ kind: 'update', confirmLast4: '0123' });
  });

  it('a rejected save port (a thrown error) is the cloud unreachable, never a crash', async () => {
    const f = fakePorts();
    f.ports.save = () => Promise.reject(new Error('socket hang up'));
    const flow = new EnrolmentFlow(f.ports, { online: true, country: 'US' });
    await toPalms(f, flow);
    flow.send({ type: 'START_PALM', hand: 'left' });
    await capturePalm(f, 17);
    flow.send({ type: 'FINISH' });
    await tick();
    expect(flow.state).toMatchObject({ step: 'palms', problem: 'cloud-unreachable' });
  });

  it('after Cancel a late capture or card answer changes nothing', async () => {
    const f = fakePorts();
    const flow = new EnrolmentFlow(f.ports, { online: true, country: 'US' });
    await toPalms(f, flow);
    flow.send({ type: 'START_PALM', hand: 'left' });
    flow.send({ type: 'CANCEL' });
    expect(f.calls).toContain('cancelCapture');
    f.captures.shift()!({ kind: 'captured', capture: laneCapture(17) });
    await tick();
    expect(flow.state).toMatchObject({ step: 'cancelled', palms: [{ good: [] }] });

    const g = fakePorts();
    const flow2 = new EnrolmentFlow(g.ports, { online: true, country: 'US' });
    flow2.send({ type: 'CONSENT', at: '2026-12-01T12:00:00.000Z' });
    flow2.send({ type: 'CANCEL' });
    expect(g.calls).toContain('cancelCard id-00000001');
    g.cards.shift()!({ kind: 'saved', setupRef: 'seti_emu_x', brand: 'Visa', last4: '4242' });
    await tick();
    expect(flow2.state).toMatchObject({ step: 'cancelled', card: null });
  });

  it('device failures become the flow’s messages; a cancelled capture reports nothing', async () => {
    const f = fakePorts();
    const flow = new EnrolmentFlow(f.ports, { online: true, country: 'US' });
    await toPalms(f, flow);
    flow.send({ type: 'START_PALM', hand: 'left' });
    f.captures.shift()!({ kind: 'failed', problem: 'liveness' });
    await tick();
    // The refused hand is still over the scanner: nothing is asked of it until the cashier resumes.
    expect(flow.state).toMatchObject({ problem: 'capture-liveness', current: null });
    expect(f.captures).toHaveLength(0);
    flow.send({ type: 'START_PALM', hand: 'left' });
    f.captures.shift()!({ kind: 'failed', problem: 'cancelled' });
    await tick();
    expect(flow.state.palms[0]!.tries).toBe(1);
  });
});
