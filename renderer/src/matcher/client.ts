import type { PrefilterGuard } from '../../../wasm/loader/guard';
import type { FromWorker, MatchResult, ToWorker } from './protocol';

export type MatcherState =
  | {
      readonly kind: 'loading';
      readonly chunksDone: number;
      readonly chunksTotal: number;
      readonly records: number;
    }
  | {
      readonly kind: 'ready';
      readonly templates: number;
      /** Enrolled customers (a customer may have several templates). */
      readonly records: number;
      readonly variant: string;
      readonly report: string;
    }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly message: string };

/**
 * UI-side handle on the matcher worker. The UI sends a probe and gets back only
 * {templateId, score, runnerUpScore}; it never receives a template.
 */
export class MatcherClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: MatchResult) => void; reject: (e: Error) => void }
  >();
  private readonly stepUps = new Map<
    number,
    { resolve: (ok: boolean) => void; reject: (e: Error) => void }
  >();
  state: MatcherState = { kind: 'loading', chunksDone: 0, chunksTotal: 0, records: 0 };

  constructor(private readonly onState: (s: MatcherState) => void = () => {}) {
    this.worker = new Worker(new URL('./matcher.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
  }

  load(store: string, terminalId: string, cloudKey: JsonWebKey): void {
    this.setState({ kind: 'loading', chunksDone: 0, chunksTotal: 0, records: 0 });
    this.send({ type: 'load', store, terminalId, cloudKey });
  }

  /**
   * Identifies a probe. `guard` (prefilterGuardFor: the store policy at this gallery size) lets
   * the worker answer a large gallery from the guarded pre-filter; without it every row is scored.
   */
  match(probe: Int8Array, guard?: PrefilterGuard): Promise<MatchResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Transfer a copy: the caller's buffer is not detached, the worker wipes its own.
      const copy = probe.slice();
      this.send({ type: 'match', id, probe: copy, ...(guard ? { guard } : {}) }, [copy.buffer]);
    });
  }

  /**
   * Step-up in the worker: do these four digits match the record's salted hash? Resolves true or
   * false (false also while the record is locked after too many wrong tries); the hash never
   * leaves the worker.
   */
  checkStepUp(templateId: string, digits: string): Promise<boolean> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.stepUps.set(id, { resolve, reject });
      this.send({ type: 'stepUp', id, templateId, digits });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private setState(s: MatcherState): void {
    this.state = s;
    this.onState(s);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'progress')
      this.setState({
        kind: 'loading',
        chunksDone: m.chunksDone,
        chunksTotal: m.chunksTotal,
        records: m.records,
      });
    else if (m.type === 'ready')
      this.setState({
        kind: 'ready',
        templates: m.templates,
        records: m.records,
        variant: m.variant,
        report: m.report,
      });
    else if (m.type === 'unavailable')
      this.setState({ kind: 'unavailable', reason: m.reason, message: m.message });
    else if (m.type === 'stepUpResult' || (m.type === 'error' && this.stepUps.has(m.id))) {
      const s = this.stepUps.get(m.id);
      this.stepUps.delete(m.id);
      if (m.type === 'stepUpResult') s?.resolve(m.ok);
      else s?.reject(new Error(m.message));
    } else {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'result')
        p.resolve({
          templateId: m.templateId,
          score: m.score,
          runnerUpScore: m.runnerUpScore,
          shopper: m.shopper,
          exact: m.exact,
        });
      else p.reject(new Error(m.message));
    }
  }
}
