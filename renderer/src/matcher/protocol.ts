import type { ShardError } from '../../../common/shard/format';

/** Messages between the UI thread and the matcher worker. Templates never cross this line. */
export type ToWorker =
  | {
      readonly type: 'load';
      readonly store: string;
      readonly terminalId: string;
      readonly cloudKey: JsonWebKey;
    }
  | { readonly type: 'match'; readonly id: number; readonly probe: Int8Array };

export interface MatchReply {
  readonly templateId: string | null;
  readonly score: number;
  /** Best score of a different template; null when only one template is enrolled. */
  readonly runnerUpScore: number | null;
}

export type FromWorker =
  | {
      readonly type: 'progress';
      readonly chunksDone: number;
      readonly chunksTotal: number;
      readonly records: number;
    }
  | {
      readonly type: 'ready';
      readonly templates: number;
      readonly records: number;
      readonly variant: string;
      readonly report: string;
    }
  | {
      readonly type: 'unavailable';
      readonly reason: ShardError['reason'] | 'matcher';
      readonly message: string;
    }
  | ({ readonly type: 'result'; readonly id: number } & MatchReply)
  | { readonly type: 'error'; readonly id: number; readonly message: string };
