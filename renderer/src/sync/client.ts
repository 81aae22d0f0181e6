import type { KioskStatusRequest, KioskStatusResponse } from '../../../common/kiosk/wire';
import {
  AUTH_HEADERS,
  PROTOCOL_VERSION,
  SERVER_TIME_HEADER,
  canonicalRequest,
  type ErrorBody,
  type HeartbeatPayload,
  type ProvisionRequest,
  type ProvisionResponse,
  type PullResponse,
  type PushResponse,
  type ScannerKeyApproval,
  type ScannerKeyRequest,
  type WireMutation,
} from '../../../common/sync/protocol';
import type {
  PaymentCancelOutcome,
  PaymentOutcome,
  PaymentRequest,
} from '../../../common/sync/payments';
import type {
  DeletionAnswer,
  DeletionRequest,
  EnrolmentAnswer,
  EnrolmentRequest,
} from '../../../common/sync/enrolment';
import type {
  WalletCancelOutcome,
  WalletOutcome,
  WalletRequest,
} from '../../../common/sync/wallet';
import type { PalmRefundOutcome, PalmRefundRequest } from '../../../common/sync/palm-refunds';
import { base64url, randomNonce, sha256Hex } from './encoding';
import { classify, parseRetryAfter, type AnswerClass } from './policy';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A call that did not succeed: the HTTP status (0: no usable answer), the cloud's error code,
 * and its class (policy.ts), which is what the engine decides on.
 */
export class SyncError extends Error {
  readonly answer: AnswerClass;
  readonly status: number;
  readonly code: string;
  readonly body: Partial<ErrorBody>;
  /** The cloud's Retry-After, in ms (429, 503). */
  readonly retryAfterMs: number | null;
  constructor(
    status: number,
    code: string,
    message: string,
    body: Partial<ErrorBody> = {},
    retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SyncError';
    this.answer = classify(status, code);
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface CloudClientOptions {
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  /** Aborts every request in flight (the engine stopping, a page unloading). */
  readonly signal?: AbortSignal;
}

export interface Signer {
  readonly terminalId: string;
  readonly privateKey: CryptoKey;
  /**
   * Milliseconds to add to the local clock when signing: the client updates it from every
   * answer's `x-palm-time` (and from an AUTH_EXPIRED body), so a drifting clock never stops sync.
   */
  clockOffsetMs: number;
}

/**
 * The cloud's clock offset seen in one answer: its time minus the midpoint of our request's
 * round trip (the header is stamped while the cloud handles it). Null without a usable header.
 */
export function offsetFrom(
  serverTime: string | null,
  sentAt: number,
  receivedAt: number,
): number | null {
  if (!serverTime || !/^\d{10,16}$/.test(serverTime)) return null;
  return Number(serverTime) - Math.round((sentAt + receivedAt) / 2);
}

/**
 * The terminal's HTTP client for the cloud: signs every attempt afresh (a new nonce and
 * timestamp each call, so a retry is never a replay), times out, learns the cloud's clock from
 * every answer, and classifies failures.
 */
export class CloudClient {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: CloudClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.signal = options.signal;
  }

  provision(req: ProvisionRequest): Promise<ProvisionResponse> {
    return this.call<ProvisionResponse>('POST', '/v1/provision', JSON.stringify(req), null);
  }

  push(
    signer: Signer,
    mutations: readonly WireMutation[],
    heartbeat?: HeartbeatPayload,
  ): Promise<PushResponse> {
    const body = JSON.stringify({
      protocol: PROTOCOL_VERSION,
      mutations,
      ...(heartbeat ? { heartbeat } : {}),
    });
    return this.call<PushResponse>('POST', '/v1/push', body, signer);
  }

  pull(signer: Signer, cursor: string, limit = 500): Promise<PullResponse> {
    const q = new URLSearchParams({ cursor, limit: String(limit) });
    return this.call<PullResponse>('GET', `/v1/pull?${q.toString()}`, '', signer);
  }

  async registerShardKey(signer: Signer, publicKey: JsonWebKey): Promise<void> {
    const jwk = { kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x, y: publicKey.y };
    await this.call<void>(
      'POST',
      '/v1/shard-key',
      JSON.stringify({ publicKey: jwk }),
      signer,
      'none',
    );
  }

  /** A manager approves a scanner's key for the store; the cloud checks their passcode. */
  approveScannerKey(signer: Signer, req: ScannerKeyRequest): Promise<ScannerKeyApproval> {
    return this.call<ScannerKeyApproval>('POST', '/v1/scanner-keys', JSON.stringify(req), signer);
  }

  /** A kiosk's live status for the attendant console; answers the console's decisions. */
  kioskStatus(signer: Signer, status: KioskStatusRequest): Promise<KioskStatusResponse> {
    return this.call<KioskStatusResponse>(
      'POST',
      '/v1/kiosk/status',
      JSON.stringify(status),
      signer,
    );
  }

  /** A palm payment (`POST /v1/payments`): every decided outcome is a 200 with its status. */
  payment(signer: Signer, req: PaymentRequest): Promise<PaymentOutcome> {
    return this.call<PaymentOutcome>('POST', '/v1/payments', JSON.stringify(req), signer);
  }

  /** Leave a palm payment whose answer was lost: its outcome, or cancelled for good. */
  cancelPayment(signer: Signer, paymentId: string): Promise<PaymentCancelOutcome> {
    const path = `/v1/payments/${encodeURIComponent(paymentId)}/cancel`;
    return this.call<PaymentCancelOutcome>('POST', path, '{}', signer);
  }

  /** Enrols a shopper (`POST /v1/enrolments`); 409 ALREADY_ENROLLED names the shopper matched. */
  enrol(signer: Signer, req: EnrolmentRequest): Promise<EnrolmentAnswer> {
    return this.call<EnrolmentAnswer>('POST', '/v1/enrolments', JSON.stringify(req), signer);
  }

  /** Asks the cloud to delete a shopper (their palm and digits, or a manager's credential). */
  deleteShopper(signer: Signer, req: DeletionRequest): Promise<DeletionAnswer> {
    return this.call<DeletionAnswer>('POST', '/v1/shoppers/deletions', JSON.stringify(req), signer);
  }

  /** A wallet payment (`POST /v1/wallet-payments`): every decided outcome is a 200. */
  walletPayment(signer: Signer, req: WalletRequest): Promise<WalletOutcome> {
    return this.call<WalletOutcome>('POST', '/v1/wallet-payments', JSON.stringify(req), signer);
  }

  /** Leave a wallet payment whose answer was lost: its outcome, or cancelled for good. */
  cancelWalletPayment(signer: Signer, paymentId: string): Promise<WalletCancelOutcome> {
    const path = `/v1/wallet-payments/${encodeURIComponent(paymentId)}/cancel`;
    return this.call<WalletCancelOutcome>('POST', path, '{}', signer);
  }

  /** A refund back to a palm payment's card, sent by the cloud through its processor. */
  palmRefund(signer: Signer, req: PalmRefundRequest): Promise<PalmRefundOutcome> {
    return this.call<PalmRefundOutcome>('POST', '/v1/palm-refunds', JSON.stringify(req), signer);
  }

  shardChunk(signer: Signer, version: number, index: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.call<Uint8Array<ArrayBuffer>>(
      'GET',
      `/v1/shard/${version}/chunks/${index}`,
      '',
      signer,
      'bytes',
    );
  }

  private async call<T>(
    method: string,
    path: string,
    body: string,
    signer: Signer | null,
    expect: 'json' | 'bytes' | 'none' = 'json',
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (signer) {
      const timestamp = String(Date.now() + signer.clockOffsetMs);
      const nonce = randomNonce();
      const data = canonicalRequest({
        method,
        pathAndQuery: path,
        timestamp,
        nonce,
        bodySha256Hex: await sha256Hex(body),
      });
      const sig = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        signer.privateKey,
        new TextEncoder().encode(data),
      );
      headers[AUTH_HEADERS.terminal] = signer.terminalId;
      headers[AUTH_HEADERS.timestamp] = timestamp;
      headers[AUTH_HEADERS.nonce] = nonce;
      headers[AUTH_HEADERS.signature] = base64url(sig);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    let bytes: Uint8Array<ArrayBuffer> | null = null;
    const sentAt = Date.now();
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        signal,
        ...(body ? { body } : {}),
      });
      // A connection cut mid-body fails here: no usable answer, as if none had come.
      if (expect === 'bytes' && res.ok) {
        bytes = new Uint8Array(await res.arrayBuffer());
        text = '';
      } else {
        text = await res.text();
      }
    } catch (e) {
      if (this.signal?.aborted) throw new SyncError(0, 'ABORTED', 'Stopped');
      const why = timeout.aborted
        ? `no answer within ${this.timeoutMs} ms`
        : e instanceof Error
          ? e.message
          : String(e);
      throw new SyncError(0, 'NETWORK', `Cloud unreachable: ${why}`);
    }
    const offset = offsetFrom(res.headers.get(SERVER_TIME_HEADER), sentAt, Date.now());
    if (signer && offset !== null) signer.clockOffsetMs = offset;
    if (res.ok && expect === 'bytes') return bytes as T;
    if (res.ok && expect === 'none') return undefined as T;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A gateway's HTML error page or a truncated body: nothing to act on but a retry.
      if (res.ok)
        throw new SyncError(
          0,
          'BAD_RESPONSE',
          `Unreadable answer from the cloud (HTTP ${res.status})`,
        );
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined) throw new SyncError(0, 'BAD_RESPONSE', 'Empty answer from the cloud');
      return json as T;
    }
    const err = (json ?? {}) as Partial<ErrorBody>;
    const code = typeof err.error === 'string' ? err.error : `HTTP_${res.status}`;
    const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`;
    if (signer && code === 'AUTH_EXPIRED' && offset === null && err.serverTime) {
      // The header was not readable (an older cloud): the refusal's body has the cloud's time.
      const at = Date.parse(err.serverTime);
      if (Number.isFinite(at)) signer.clockOffsetMs = at - Math.round((sentAt + Date.now()) / 2);
    }
    throw new SyncError(
      res.status,
      code,
      message,
      err,
      parseRetryAfter(res.headers.get('retry-after'), Date.now()),
    );
  }
}
