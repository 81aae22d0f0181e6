import {
  AUTH_HEADERS,
  PROTOCOL_VERSION,
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
import { base64url, randomNonce, sha256Hex } from './encoding';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Why a call failed, sorted by what the engine should do about it:
 * - `transient`: network down, timeout, 5xx, cut connection → back off and retry;
 * - `auth`: 401/403 → stop and show why (retrying cannot help);
 * - `gap`: the cloud is missing earlier mutations (409 MUTATION_GAP);
 * - `client`: any other 4xx → our request is wrong; retrying the same batch will not help.
 */
export type SyncErrorKind = 'transient' | 'auth' | 'gap' | 'client';

export class SyncError extends Error {
  readonly kind: SyncErrorKind;
  readonly status: number;
  readonly code: string;
  readonly body: Partial<ErrorBody>;
  constructor(
    kind: SyncErrorKind,
    status: number,
    code: string,
    message: string,
    body: Partial<ErrorBody> = {},
  ) {
    super(message);
    this.name = 'SyncError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.body = body;
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
  /** Milliseconds to add to the local clock (learned from the cloud on AUTH_EXPIRED). */
  clockOffsetMs: number;
}

/** The terminal's HTTP client for the cloud: signs, times out, and classifies failures. */
export class CloudClient {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: CloudClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
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
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        signal,
        ...(body ? { body } : {}),
      });
      // A connection cut mid-body fails here, still transient.
      if (expect === 'bytes' && res.ok) {
        bytes = new Uint8Array(await res.arrayBuffer());
        text = '';
      } else {
        text = await res.text();
      }
    } catch (e) {
      if (this.signal?.aborted) throw new SyncError('transient', 0, 'ABORTED', 'Stopped');
      const why = timeout.aborted
        ? `no answer within ${this.timeoutMs} ms`
        : e instanceof Error
          ? e.message
          : String(e);
      throw new SyncError('transient', 0, 'NETWORK', `Cloud unreachable: ${why}`);
    }
    if (res.ok && expect === 'bytes') return bytes as T;
    if (res.ok && expect === 'none') return undefined as T;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page or a truncated body: not something we can act on but retry.
      throw new SyncError(
        'transient',
        res.status,
        'BAD_RESPONSE',
        `Unreadable answer from the cloud (HTTP ${res.status})`,
      );
    }
    if (res.ok) {
      if (json === undefined)
        throw new SyncError('transient', res.status, 'BAD_RESPONSE', 'Empty answer from the cloud');
      return json as T;
    }
    const err = (json ?? {}) as Partial<ErrorBody>;
    const code = typeof err.error === 'string' ? err.error : `HTTP_${res.status}`;
    const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`;
    const kind: SyncErrorKind =
      res.status === 401 || res.status === 403
        ? 'auth'
        : res.status === 409 && code === 'MUTATION_GAP'
          ? 'gap'
          : res.status === 408 || res.status === 429 || res.status >= 500
            ? 'transient'
            : 'client';
    throw new SyncError(kind, res.status, code, message, err);
  }
}
