import type { ShardError, ShardRecord } from '../../../common/shard/format';
import type { PrefilterGuard } from '../../../wasm/loader/guard';

/** Messages between the UI thread and the matcher worker. Templates never cross this line. */
export type ToWorker =
  | {
      readonly type: 'load';
      readonly store: string;
      readonly terminalId: string;
      readonly cloudKey: JsonWebKey;
    }
  | {
      readonly type: 'match';
      readonly id: number;
      readonly probe: Int8Array;
      /**
       * The store policy's boundaries for this gallery size: when given, a large gallery is
       * searched with the guarded pre-filter (decision-preserving, see wasm/loader/guard.ts).
       */
      readonly guard?: PrefilterGuard;
    }
  | {
      /** Step-up: the last four phone digits against the record's salted hash (never leaves). */
      readonly type: 'stepUp';
      readonly id: number;
      readonly templateId: string;
      readonly digits: string;
    };

export interface MatchReply {
  readonly templateId: string | null;
  readonly score: number;
  /** Best score of a different template; null when only one template is enrolled. */
  readonly runnerUpScore: number | null;
}

/** What the lane may know of a matched shopper: shard record metadata, never a template. */
export interface ShopperInfo {
  readonly customerRef: string;
  readonly loyaltyId: string | null;
  readonly ageVerified: boolean;
  /** The shopper's own limits (minor units), for the lane's offline store-and-forward checks. */
  readonly limits: ShardRecord['limits'];
}

/** The worker's answer: the reply, who the best template belongs to, and how it was searched. */
export interface MatchResult extends MatchReply {
  /** The best template's shopper; null when the gallery is empty. */
  readonly shopper: ShopperInfo | null;
  /** False when the guarded pre-filter answered without an exact scan. */
  readonly exact: boolean;
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
      /** Threads searching the gallery (1, or a pool over shared memory). */
      readonly threads: number;
    }
  | {
      readonly type: 'unavailable';
      readonly reason: ShardError['reason'] | 'matcher';
      readonly message: string;
    }
  | ({ readonly type: 'result'; readonly id: number } & MatchResult)
  /** `ok` false also when the record is locked after too many wrong tries (step-up-guard.ts). */
  | { readonly type: 'stepUpResult'; readonly id: number; readonly ok: boolean }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
